"""Multipart bodies (the SDK's `media[]`, `cover_file`) parsed as they arrive, file parts written straight
into the request's own folder in the data dir: a 1 GB video is never in memory, never spooled through /tmp
(a RAM disk on many systems) and never copied a second time. Memory stays at about one network chunk plus a
1 MB write buffer per request (bench/bench_api_upload.py measures the server's peak RSS)."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from python_multipart import MultipartParser
from python_multipart.exceptions import FormParserError
from python_multipart.multipart import parse_options_header
from starlette.concurrency import run_in_threadpool

from studio import constraints
from studio.api.posts import Upload
from studio.errors import ValidationError

if TYPE_CHECKING:
    from python_multipart.multipart import MultipartCallbacks

MAX_FILES = 3  # media[] (one per pin here) and a cover_file, with room for a mistake the checks name
MAX_FIELDS = 200
MAX_FIELD_BYTES = 1024 * 1024  # a text field (a data: URL cover fits; a whole video in a text field doesn't)
MAX_FILE_BYTES = constraints.VIDEO_MAX_BYTES + 1  # one byte over Pinterest's limit is enough for the checks to say so
FLUSH_BYTES = 1024 * 1024  # file data is written (in a worker thread) once this much is waiting


def _invalid(message: str, fix: str = "Send the post as the SDK does, or as JSON.", code: str = "invalid_form"):
    return ValidationError(message, fix=fix, code=code)


class _Sink:
    """python-multipart's callbacks: text fields kept (capped), file data queued for the disk."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.items: list[tuple[str, str | Upload]] = []
        self.files: list[BinaryIO] = []
        self.pending: list[tuple[BinaryIO, bytes]] = []
        self.pending_bytes = 0
        self.fields = 0
        self._begin()

    def _begin(self) -> None:
        self.header_name, self.header_value, self.disposition = b"", b"", b""
        self.name, self.data, self.size = "", bytearray(), 0
        self.out: BinaryIO | None = None

    def on_part_begin(self) -> None:
        self._begin()

    def on_header_field(self, data: bytes, start: int, end: int) -> None:
        self.header_name += data[start:end]

    def on_header_value(self, data: bytes, start: int, end: int) -> None:
        self.header_value += data[start:end]

    def on_header_end(self) -> None:
        if self.header_name.lower() == b"content-disposition":
            self.disposition = self.header_value
        self.header_name, self.header_value = b"", b""

    def on_headers_finished(self) -> None:
        _kind, options = parse_options_header(self.disposition)
        if b"name" not in options:
            raise _invalid("A part of the form has no name.")
        self.name = options[b"name"].decode("utf-8", "replace")
        if b"filename" not in options:
            self.fields += 1
            if self.fields > MAX_FIELDS:
                raise _invalid(f"The form has more than {MAX_FIELDS} fields.")
            return
        if len(self.files) >= MAX_FILES:
            raise _invalid(
                f"The form has more than {MAX_FILES} files.", fix="Send one media file (and at most one cover_file)."
            )
        filename = Path(options[b"filename"].decode("utf-8", "replace").replace("\\", "/")).name or "upload"
        safe = re.sub(r"[^\w.\-]+", "_", filename)[-80:]
        path = self.folder / f"{len(self.files)}-{safe}"
        out: BinaryIO = path.open("wb")
        self.out = out
        self.files.append(out)
        self.items.append((self.name, Upload(path, filename)))

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        if self.out is None:
            if len(self.data) + end - start > MAX_FIELD_BYTES:
                raise _invalid(
                    f"The form field “{self.name[:60]}” is over 1 MB.", fix="Send files as file parts, not text."
                )
            self.data += data[start:end]
            return
        self.size += end - start
        if self.size > MAX_FILE_BYTES:
            raise _invalid(
                "The uploaded file is over 2 GB, more than Pinterest accepts.",
                fix="Convert it to MP4 (H.264), which usually makes it much smaller, or trim it.",
                code="file_too_large",
            )
        self.pending.append((self.out, data[start:end]))
        self.pending_bytes += end - start

    def on_part_end(self) -> None:
        if self.out is None:
            self.items.append((self.name, self.data.decode("utf-8", "replace")))

    def take(self) -> list[tuple[BinaryIO, bytes]]:
        batch, self.pending, self.pending_bytes = self.pending, [], 0
        return batch

    def callbacks(self) -> MultipartCallbacks:
        return {
            "on_part_begin": self.on_part_begin,
            "on_part_data": self.on_part_data,
            "on_part_end": self.on_part_end,
            "on_header_field": self.on_header_field,
            "on_header_value": self.on_header_value,
            "on_header_end": self.on_header_end,
            "on_headers_finished": self.on_headers_finished,
        }


def _write(batch: list[tuple[BinaryIO, bytes]]) -> None:
    for out, data in batch:
        out.write(data)


async def read_form(content_type: str, stream: AsyncIterator[bytes], folder: Path) -> list[tuple[str, str | Upload]]:
    """The form's (name, value) items in order; values are text, or an `Upload` saved in `folder`."""
    _kind, params = parse_options_header(content_type)
    boundary = params.get(b"boundary")
    if not boundary:
        raise _invalid("The multipart form has no boundary.")
    sink = _Sink(folder)
    try:
        parser = MultipartParser(boundary, sink.callbacks())
        async for chunk in stream:
            parser.write(chunk)
            if sink.pending_bytes >= FLUSH_BYTES:
                await run_in_threadpool(_write, sink.take())  # disk writes off the event loop
        parser.finalize()
        if sink.pending:
            await run_in_threadpool(_write, sink.take())
    except FormParserError:
        raise _invalid("The multipart form can't be read (it is malformed or cut short).") from None
    finally:
        for out in sink.files:
            out.close()
    return sink.items
