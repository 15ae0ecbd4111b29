"""A lean multipart/form-data reader for the upload views, fed large blocks of the body.

Django's `MultiPartParser` walks the body through a chain of iterators that slice, join and
"unget" every block it reads (a few copies of each byte of an upload, in pure Python). This
reader looks for the boundary with `bytes.find` in whole blocks as `streamed_body` delivers them
(4 MiB) and hands the upload handlers `memoryview` slices of those blocks: no byte of a file part
is copied before `IncomingFile` hashes and encrypts it. It subclasses Django's parser, so the
rest is Django's: the checks of the `Content-Type` and boundary, `handle_raw_input` (413 from
`Content-Length`), `new_file`/`receive_data_chunk`/`file_complete`, file name sanitising, the
`DATA_UPLOAD_MAX_*` limits, and closing the received files when parsing fails. A body that ends
before its closing boundary is refused (`MultiPartParserError`, 400), never half-accepted.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import IO, TYPE_CHECKING, Any, cast

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.core.files.uploadhandler import SkipFile, StopFutureHandlers, StopUpload
from django.http import QueryDict
from django.http.multipartparser import (  # type: ignore[attr-defined]  # no MAX_TOTAL_HEADER_SIZE in the stub
    MAX_TOTAL_HEADER_SIZE,
    MultiPartParserError,
)
from django.http.multipartparser import MultiPartParser as DjangoMultiPartParser
from django.utils.datastructures import MultiValueDict
from django.utils.encoding import force_str
from django.utils.http import parse_header_parameters
from rest_framework.exceptions import ParseError
from rest_framework.parsers import (  # type: ignore[attr-defined]  # no get_encoding in the stub
    DataAndFiles,
    MultiPartParser,
    get_encoding,
)

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile
    from django.core.files.uploadhandler import FileUploadHandler
    from django.http.request import _ImmutableQueryDict

    from konnaxion.files.encryption import BytesLike

# Text before the first boundary (which clients do not send) is skipped up to this size.
MAX_PREAMBLE_BYTES = 64 * 1024
TOO_BIG = "Request body exceeded settings.DATA_UPLOAD_MAX_MEMORY_SIZE."

# A part's headers by name: the value and its parameters (encoded), as Django's parser has them.
PartHeaders = dict[str, tuple[str, dict[str, bytes]]]


class BodyReader:
    """The body as blocks read from `stream`, scanned for the part delimiter `\\r\\n--boundary`.

    Holds the block being scanned; a block is joined to the next one only when a delimiter or a
    header block spans the two (the carried bytes are then few)."""

    def __init__(self, stream: IO[bytes], *, read_size: int, boundary: bytes) -> None:
        self._stream = stream
        self._read_size = read_size
        self.delimiter = b"\r\n--" + boundary
        self._buffer = b"\r\n"  # the first delimiter has no line break before it
        self._position = 0
        self._ended = False

    def _fill(self) -> bool:
        if self._ended:
            return False
        block = self._stream.read(self._read_size)
        if not block:
            self._ended = True
            return False
        if self._position == len(self._buffer):
            self._buffer = bytes(block)
        else:
            self._buffer = self._buffer[self._position :] + block
        self._position = 0
        return True

    def _find(self, needle: bytes, *, within: int) -> int:
        """The index in the buffer of the next `needle`, found within `within` bytes."""
        while True:
            index = self._buffer.find(needle, self._position, self._position + within)
            if index >= 0:
                return index
            if len(self._buffer) - self._position >= within or not self._fill():
                raise MultiPartParserError("The multipart body is malformed or cut short.")

    def _take(self, size: int) -> bytes:
        while len(self._buffer) - self._position < size:
            if not self._fill():
                raise MultiPartParserError("The multipart body ended before its closing boundary.")
        start, self._position = self._position, self._position + size
        return self._buffer[start : self._position]

    def skip_preamble(self) -> None:
        self._position = self._find(self.delimiter, within=MAX_PREAMBLE_BYTES) + len(self.delimiter)

    def next_part(self) -> bool:
        """After a delimiter: False at the closing one, True at the start of a part's headers."""
        if self._take(2) == b"--":
            return False
        self._position -= 2
        line_end = self._find(b"\r\n", within=MAX_TOTAL_HEADER_SIZE)
        if self._buffer[self._position : line_end].strip(b" \t"):
            raise MultiPartParserError("The multipart boundary is followed by other text.")
        self._position = line_end + 2
        return True

    def headers(self) -> PartHeaders:
        """The part's headers, read as Django's parser reads them."""
        if self._take(2) == b"\r\n":
            return {}
        self._position -= 2
        end = self._find(b"\r\n\r\n", within=MAX_TOTAL_HEADER_SIZE)
        block, self._position = self._buffer[self._position : end], end + 4
        headers: PartHeaders = {}
        for line in block.split(b"\r\n"):
            try:
                main_value, params = parse_header_parameters(line.decode())
                name, value = main_value.split(":", 1)
            except ValueError:  # an invalid header, as Django's parser ignores it
                continue
            headers[name] = (value, {key: item.encode() for key, item in params.items()})
        return headers

    def body(self) -> Iterator[memoryview]:
        """Yield the part's bytes up to the next delimiter, as views of the blocks read."""
        delimiter = self.delimiter
        while True:
            buffer, position = self._buffer, self._position
            index = buffer.find(delimiter, position)
            if index >= 0:
                if index > position:
                    yield memoryview(buffer)[position:index]
                self._position = index + len(delimiter)
                return
            end = len(buffer) - _delimiter_start_length(buffer, position, delimiter)
            if end > position:
                self._position = end
                yield memoryview(buffer)[position:end]
            if not self._fill():
                raise MultiPartParserError("The multipart body ended before its closing boundary.")

    def read_body(self, *, limit: int | None) -> bytes:
        """The part's bytes; RequestDataTooBig past `limit`."""
        pieces: list[bytes] = []
        size = 0
        for piece in self.body():
            size += len(piece)
            if limit is not None and size > limit:
                raise RequestDataTooBig(TOO_BIG)
            pieces.append(bytes(piece))
        return b"".join(pieces)

    def skip_body(self) -> None:
        for _piece in self.body():
            pass

    def exhaust(self) -> None:
        while self._fill():
            self._position = len(self._buffer)


def _delimiter_start_length(buffer: bytes, position: int, delimiter: bytes) -> int:
    """How many bytes at the end of `buffer` may begin a delimiter the next block completes."""
    start = max(position, len(buffer) - len(delimiter) + 1)
    while (start := buffer.find(b"\r", start)) >= 0:
        if delimiter.startswith(buffer[start:]):
            return len(buffer) - start
        start += 1
    return 0


class StreamingMultiPartParserCore(DjangoMultiPartParser):
    """Django's multipart parser with its reading replaced by `BodyReader` (module docstring)."""

    # What Django's parser sets and has, left out of its stub.
    _meta: dict[str, Any]
    _input_data: IO[bytes]
    _boundary: bytes
    _chunk_size: int
    _encoding: str
    _content_length: int
    _upload_handlers: list[FileUploadHandler]
    _post: QueryDict
    _files: MultiValueDict[str, UploadedFile[Any]]
    _close_files: Callable[[], None]

    def _parse(self) -> tuple[QueryDict, MultiValueDict[str, UploadedFile[Any]]]:
        if self._content_length == 0:
            return QueryDict(encoding=self._encoding), MultiValueDict()
        for handler in self._upload_handlers:
            result = handler.handle_raw_input(
                self._input_data,
                self._meta,
                self._content_length,
                self._boundary,  # type: ignore[arg-type]  # bytes, as Django passes it: the stub says str
                self._encoding,
            )
            if result is not None:
                return result[0], result[1]
        self._post = QueryDict(mutable=True)
        self._files = MultiValueDict()
        reader = BodyReader(self._input_data, read_size=self._chunk_size, boundary=self._boundary)
        try:
            self._read_parts(reader)
        except StopUpload as stop:
            self._close_files()
            if not stop.connection_reset:
                reader.exhaust()
        else:
            reader.exhaust()
        # Stops at the first handler that returns something, as Django's parser does (the stub
        # says upload_complete returns None).
        any(handler.upload_complete() for handler in self._upload_handlers)  # type: ignore[func-returns-value]
        self._post._mutable = False
        return self._post, self._files

    def _read_parts(self, reader: BodyReader) -> None:
        fields = files = field_bytes = 0
        max_fields = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
        max_files = settings.DATA_UPLOAD_MAX_NUMBER_FILES
        max_memory = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        reader.skip_preamble()
        while reader.next_part():
            headers = reader.headers()
            disposition = headers.get("content-disposition", ("", {}))[1]
            is_file = bool(disposition.get("filename"))
            if not is_file and max_fields is not None:
                fields += 1
                if fields > max_fields + 2:  # as Django counts
                    raise TooManyFieldsSent(
                        "The number of GET/POST parameters exceeded "
                        "settings.DATA_UPLOAD_MAX_NUMBER_FIELDS."
                    )
            if "name" not in disposition:
                reader.skip_body()
                continue
            field_name = force_str(disposition["name"].strip(), self._encoding, errors="replace")
            if not is_file:
                limit = None if max_memory is None else max_memory - field_bytes
                data = reader.read_body(limit=limit)
                field_bytes += len(data) + len(field_name) + 2
                if max_memory is not None and field_bytes > max_memory:
                    raise RequestDataTooBig(TOO_BIG)
                self._post.appendlist(field_name, force_str(data, self._encoding, errors="replace"))
                continue
            files += 1
            if max_files is not None and files > max_files:
                raise TooManyFilesSent(
                    "The number of files exceeded settings.DATA_UPLOAD_MAX_NUMBER_FILES."
                )
            self._read_file(reader, field_name, disposition["filename"], headers)

    def _read_file(
        self, reader: BodyReader, field_name: str, raw_name: bytes, headers: PartHeaders
    ) -> None:
        file_name = self.sanitize_file_name(force_str(raw_name, self._encoding, errors="replace"))
        if not file_name:
            reader.skip_body()
            return
        if "content-transfer-encoding" in headers:
            raise MultiPartParserError("Encoded file parts are not accepted.")
        content_type, content_type_extra = headers.get("content-type", ("", {}))
        content_length: int | None
        try:
            content_length = int(headers["content-length"][0])
        except (KeyError, ValueError):
            content_length = None
        handlers = self._upload_handlers
        counters = [0] * len(handlers)
        try:
            for handler in handlers:
                try:
                    handler.new_file(
                        field_name,
                        file_name,
                        content_type.strip(),
                        content_length,
                        # bytes, as Django's own parser passes it: the stub says str.
                        content_type_extra.get("charset"),  # type: ignore[arg-type]
                        content_type_extra,
                    )
                except StopFutureHandlers:
                    break
            for piece in reader.body():
                chunk: BytesLike = piece
                for index, handler in enumerate(handlers):
                    size = len(chunk)
                    # A view of the block read: the handlers take any bytes-like chunk.
                    received = handler.receive_data_chunk(chunk, counters[index])  # type: ignore[arg-type]
                    counters[index] += size
                    if received is None:
                        break
                    chunk = received
        except SkipFile:
            self._close_files()
            reader.skip_body()
        else:
            self.handle_file_complete(field_name, counters)


class StreamingMultiPartParser(MultiPartParser):
    """DRF's multipart parser, reading with `StreamingMultiPartParserCore`."""

    def parse(
        self,
        stream: IO[Any],
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> DataAndFiles[_ImmutableQueryDict, MultiValueDict[str, UploadedFile[Any]]]:
        parser_context = parser_context or {}
        request = parser_context["request"]
        meta = request.META.copy()
        meta["CONTENT_TYPE"] = media_type
        try:
            parser = StreamingMultiPartParserCore(
                meta,
                stream,  # type: ignore[arg-type]  # typeshed's IO.read takes no None, Django's does
                request.upload_handlers,
                get_encoding(parser_context),
            )
            data, files = parser.parse()
            # Django's parser returns its QueryDict made immutable; the stub does not say so.
            return DataAndFiles(cast("_ImmutableQueryDict", data), files)
        except MultiPartParserError as exc:
            raise ParseError(f"Multipart form parse error - {exc}") from exc
