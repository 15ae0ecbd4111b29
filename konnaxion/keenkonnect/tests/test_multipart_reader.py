"""The lean multipart reader of the upload views reads what Django's parser reads, whatever the
blocks the body arrives in, and refuses what is malformed or cut short."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import RequestDataTooBig, TooManyFilesSent
from django.core.files.uploadhandler import MemoryFileUploadHandler
from django.http.multipartparser import MultiPartParser, MultiPartParserError

from konnaxion.files.multipart import StreamingMultiPartParserCore

BOUNDARY = "xYzZy-boundary"
DELIMITER = f"\r\n--{BOUNDARY}".encode()


class Trickle(io.RawIOBase):
    """A body read at most `step` bytes at a time, as a network delivers it."""

    def __init__(self, data: bytes, step: int) -> None:
        self._data, self._step, self._offset = data, step, 0

    def read(self, size: int = -1) -> bytes:
        size = self._step if size < 0 else min(size, self._step)
        piece = self._data[self._offset : self._offset + size]
        self._offset += len(piece)
        return piece


def body(*parts: tuple[dict[str, str], bytes], preamble: bytes = b"") -> bytes:
    lines = [preamble]
    for headers, content in parts:
        head = "".join(f"{name}: {value}\r\n" for name, value in headers.items())
        lines.append(f"--{BOUNDARY}\r\n{head}\r\n".encode() + content + b"\r\n")
    lines.append(f"--{BOUNDARY}--\r\n".encode())
    return b"".join(lines)


def file_part(name: str, filename: str, content: bytes) -> tuple[dict[str, str], bytes]:
    disposition = f'form-data; name="{name}"; filename="{filename}"'
    return {"Content-Disposition": disposition, "Content-Type": "model/stl"}, content


def field_part(name: str, value: str) -> tuple[dict[str, str], bytes]:
    return {"Content-Disposition": f'form-data; name="{name}"'}, value.encode()


def parse(parser_class, data: bytes, *, step: int):
    meta = {
        "CONTENT_TYPE": f"multipart/form-data; boundary={BOUNDARY}",
        "CONTENT_LENGTH": str(len(data)),
    }
    handlers = [MemoryFileUploadHandler()]
    handlers[0].chunk_size = 1 << 20
    post, files = parser_class(meta, Trickle(data, step), handlers, "utf-8").parse()
    return (
        {key: post.getlist(key) for key in post},
        {key: [(f.name, f.content_type, f.read()) for f in files.getlist(key)] for key in files},
    )


# Content that looks like the delimiter's beginning, at every place a block may end.
TRICKY = b"".join(DELIMITER[:cut] + b"x" for cut in range(len(DELIMITER))) + b"\r\n--" + b"\r"

FORMS = {
    "file and fields": body(
        field_part("title", "Plan d'étage"),
        file_part("file", "plan.stl", TRICKY * 50),
        field_part("description", ""),
    ),
    "preamble, two files, path in a name": body(
        file_part("attachments", "../../etc/a.stl", b"\r\n-\r\n--x" * 99),
        file_part("attachments", "C:\\docs\\b.stl", b""),
        preamble=b"ignored text\r\n",
    ),
    "part without name, file without name": body(
        ({"Content-Disposition": "form-data"}, b"skipped"),
        file_part("file", "", b"dropped"),
        field_part("comment", "kept"),
    ),
    "a field that is not UTF-8": body(
        ({"Content-Disposition": 'form-data; name="note"'}, b"caf\xe9 \xff\xfe"),
        file_part("file", "plan.stl", b"solid"),
    ),
}


@pytest.mark.parametrize("form", FORMS, ids=list(FORMS))
@pytest.mark.parametrize("step", [1, 2, 7, 61, 4096, 1 << 20])
def test_reads_what_djangos_parser_reads(form: str, step: int):
    # given a form, delivered in blocks of `step` bytes
    data = FORMS[form]
    # when both parsers read it
    expected = parse(MultiPartParser, data, step=1 << 20)
    # then the lean reader finds the same fields and files
    assert parse(StreamingMultiPartParserCore, data, step=step) == expected
    assert expected[0] or expected[1]


@pytest.mark.parametrize("cut", [10, 60, 200, -20, -3])
def test_a_body_cut_short_is_refused(cut: int):
    # given a body that stops before its closing boundary
    data = body(field_part("title", "t"), file_part("file", "a.stl", b"a" * 150))[:cut]
    # when / then
    with pytest.raises(MultiPartParserError):
        parse(StreamingMultiPartParserCore, data, step=16)


def test_text_after_a_boundary_is_refused():
    data = body(field_part("title", "t"))
    data = data.replace(f"--{BOUNDARY}\r\n".encode(), f"--{BOUNDARY}junk\r\n".encode(), 1)
    with pytest.raises(MultiPartParserError):
        parse(StreamingMultiPartParserCore, data, step=64)


def test_encoded_file_parts_are_refused():
    headers, content = file_part("file", "a.stl", b"YWJj")
    data = body(({**headers, "Content-Transfer-Encoding": "base64"}, content))
    with pytest.raises(MultiPartParserError):
        parse(StreamingMultiPartParserCore, data, step=64)


def test_django_limits_hold(settings):
    # given small limits on text fields and files
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 1
    # then a large text field and a second file are refused as Django refuses them
    with pytest.raises(RequestDataTooBig):
        parse(StreamingMultiPartParserCore, body(field_part("d", "x" * 101)), step=64)
    two_files = body(file_part("a", "a.stl", b"1"), file_part("b", "b.stl", b"2"))
    with pytest.raises(TooManyFilesSent):
        parse(StreamingMultiPartParserCore, two_files, step=64)
