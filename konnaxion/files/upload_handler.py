"""A Django upload handler that streams multipart file parts straight into `IncomingFile`s.

Installed first on a request (`request.upload_handlers = [IncomingFileUploadHandler(request)]`),
it keeps every file part out of memory and out of Django's own temporary files: each part is
hashed, size-checked and encrypted as it is read from the socket.
"""

from __future__ import annotations

from typing import IO, TYPE_CHECKING, Any

from django.core.files.uploadhandler import FileUploadHandler, StopFutureHandlers
from rest_framework.parsers import MultiPartParser

from konnaxion.files.encryption import CHUNK_SIZE
from konnaxion.files.incoming import FileTooLarge, IncomingFile, max_upload_bytes
from konnaxion.files.multipart import StreamingMultiPartParser

if TYPE_CHECKING:
    from django.http import HttpRequest
    from django.http.response import HttpResponseBase
    from rest_framework.parsers import BaseParser
    from rest_framework.request import Request
    from rest_framework.views import APIView

    from konnaxion.files.encryption import BytesLike

    _APIView = APIView  # the views StreamedUploadsMixin is mixed into: it extends their methods
else:
    _APIView = object

# Room for the multipart boundaries, part headers and the small text fields of an upload form.
MULTIPART_OVERHEAD_BYTES = 1024 * 1024


class IncomingFileUploadHandler(FileUploadHandler):
    # Reads of up to 8 MiB: larger than the blocks a streamed body is received in
    # (konnaxion.core.streamed_body.BLOCK_BYTES), so each read takes a whole block without
    # copying it, and the multipart parser's per-read work is paid rarely; memory stays bounded.
    chunk_size = 128 * CHUNK_SIZE

    def __init__(self, request: HttpRequest | None = None, *, max_bytes: int | None = None) -> None:
        super().__init__(request)
        self.max_bytes = max_upload_bytes() if max_bytes is None else max_bytes
        self.incoming: IncomingFile | None = None

    def handle_raw_input(
        self,
        input_data: IO[bytes],
        META: dict[str, str],
        content_length: int,
        boundary: str,
        encoding: str | None = None,
    ) -> None:
        # Decided from Content-Length before the body is read, when the client gives it.
        if content_length and content_length > self.max_bytes + MULTIPART_OVERHEAD_BYTES:
            raise FileTooLarge(details={"max_bytes": self.max_bytes})

    def new_file(
        self,
        field_name: str,
        file_name: str,
        content_type: str,
        content_length: int | None,
        charset: str | None = None,
        content_type_extra: dict[str, bytes] | None = None,
    ) -> None:
        super().new_file(
            field_name, file_name, content_type, content_length, charset, content_type_extra
        )
        if self.content_length is not None and self.content_length > self.max_bytes:
            raise FileTooLarge(details={"max_bytes": self.max_bytes})
        self.incoming = IncomingFile(name=self.file_name or "", max_bytes=self.max_bytes)
        raise StopFutureHandlers()

    def receive_data_chunk(self, raw_data: BytesLike, start: int) -> None:
        assert self.incoming is not None  # Django calls new_file first
        self.incoming.write(raw_data)
        return None

    # request.FILES keeps what a handler returns: here an IncomingFile, which the stub's
    # `UploadedFile` return type does not allow for.
    def file_complete(self, file_size: int) -> IncomingFile:  # type: ignore[override]
        incoming, self.incoming = self.incoming, None
        assert incoming is not None  # Django calls new_file first
        incoming.finish()
        return incoming

    def upload_interrupted(self) -> None:
        if self.incoming is not None:
            self.incoming.discard()
            self.incoming = None


class StreamedUploadsMixin(_APIView):
    """For DRF views that receive files: the streaming handlers are installed on the request
    before anything reads its body, and multipart bodies are read by `StreamingMultiPartParser`.

    DRF's session authentication checks the CSRF token by reading `request.POST`, which parses a
    multipart body with whatever handlers the request has at that moment: installed later, they
    would never see the file (browsers sign in with sessions). Files a refused request received
    are discarded when Django closes `request.FILES` at the end of the request; a file still
    being received when the request failed (its body cut short) is discarded on the way out.
    """

    streaming_handlers: list[FileUploadHandler] = []

    def upload_handlers_for(self, request: HttpRequest) -> list[FileUploadHandler]:
        return [IncomingFileUploadHandler(request)]

    def get_parsers(self) -> list[BaseParser]:
        return [
            StreamingMultiPartParser() if isinstance(parser, MultiPartParser) else parser
            for parser in super().get_parsers()
        ]

    def initialize_request(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Request:
        if request.method in ("POST", "PUT", "PATCH"):
            self.streaming_handlers = self.upload_handlers_for(request)
            request.upload_handlers = self.streaming_handlers
        return super().initialize_request(request, *args, **kwargs)

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            return super().dispatch(request, *args, **kwargs)
        finally:
            for handler in self.streaming_handlers:
                handler.upload_interrupted()
