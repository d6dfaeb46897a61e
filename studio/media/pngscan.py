"""Verify a PNG's pixel data without holding the picture: chunk CRCs, the zlib stream inflated in
1 MB pieces, its length against what the header declares, and every row's filter byte.

Memory stays at a few MB whatever the image size (a full Pillow decode of a 9400×9400 PNG needs
88–265 MB), and it costs less than a decode: inflating is most of Pillow's PNG work, unfiltering
and the full-size buffer are skipped. It also collects what may sit after the pixels (eXIf) and
the size of every APNG frame (`fcTL`), so the pixel cap applies to each frame.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass, field
from typing import BinaryIO

_PIECE = 1 << 20
_CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}
# Adam7 passes: (x start, y start, x step, y step)
_ADAM7 = ((0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2))
_MAX_EXIF = 1 << 20


class PngDamaged(Exception):
    """The PNG's pixel data can't be decoded; the message says how."""


@dataclass
class PngScan:
    width: int = 0
    height: int = 0
    bit_depth: int = 8
    colour_type: int = 0
    exif: bytes | None = None
    frame_sizes: list[tuple[int, int]] = field(default_factory=list)


def _expected_rows(width: int, height: int, bits_per_pixel: int, interlaced: bool) -> list[tuple[int, int]]:
    """(row count, bytes per row incl. the filter byte) for each pass."""
    passes = _ADAM7 if interlaced else ((0, 0, 1, 1),)
    rows = []
    for x0, y0, dx, dy in passes:
        cols = (width - x0 + dx - 1) // dx if width > x0 else 0
        count = (height - y0 + dy - 1) // dy if height > y0 else 0
        if cols and count:
            rows.append((count, 1 + (cols * bits_per_pixel + 7) // 8))
    return rows


def scan_png(fh: BinaryIO) -> PngScan:
    """Walk every chunk; raise PngDamaged if the pixel data would not decode."""
    fh.seek(8)
    scan = PngScan()
    inflater = zlib.decompressobj()
    rows: list[tuple[int, int]] = []
    stage = 0  # index into rows
    stage_left = 0  # bytes left in the current pass
    stride = 1
    offset = 0  # position inside the current pass
    seen_idat = ended = False

    def feed(data: bytes) -> None:
        nonlocal stage, stage_left, stride, offset
        pending = data
        while pending:
            try:
                out = inflater.decompress(pending, _PIECE)
            except zlib.error as exc:
                raise PngDamaged(f"the pixel data is damaged ({exc})") from None
            pending = inflater.unconsumed_tail
            view = memoryview(out)
            while view:
                if stage >= len(rows):
                    raise PngDamaged("the pixel data is longer than the image")
                take = min(len(view), stage_left)
                part = view[:take]
                first = (-offset) % stride
                if first < take and max(part[first::stride]) > 4:
                    raise PngDamaged("the pixel data is scrambled (bad row filter)")
                offset += take
                stage_left -= take
                view = view[take:]
                if stage_left == 0:
                    stage += 1
                    if stage < len(rows):
                        stage_left = rows[stage][0] * rows[stage][1]
                        stride, offset = rows[stage][1], 0
            if inflater.eof:
                return

    while not ended:
        head = fh.read(8)
        if len(head) < 8:
            raise PngDamaged("the file ends before the image does")
        length, kind = struct.unpack(">I4s", head)
        crc = zlib.crc32(kind)
        keep = kind in (b"IHDR", b"fcTL", b"acTL") or (kind == b"eXIf" and length <= _MAX_EXIF)
        kept = bytearray()
        left = length
        while left:
            piece = fh.read(min(left, _PIECE))
            if not piece:
                raise PngDamaged("the file ends before the image does")
            left -= len(piece)
            crc = zlib.crc32(piece, crc)
            if keep:
                kept += piece
            if kind == b"IDAT":
                feed(piece)
        stored = fh.read(4)
        if len(stored) < 4:
            raise PngDamaged("the file ends before the image does")
        if kind in (b"IHDR", b"IDAT") and struct.unpack(">I", stored)[0] != crc & 0xFFFFFFFF:
            raise PngDamaged(f"the {kind.decode('latin-1')} chunk is damaged (checksum mismatch)")
        if kind == b"IHDR":
            scan.width, scan.height, scan.bit_depth, scan.colour_type, _c, _f, interlace = struct.unpack(
                ">IIBBBBB", bytes(kept[:13])
            )
            bpp = _CHANNELS.get(scan.colour_type, 1) * scan.bit_depth
            rows = _expected_rows(scan.width, scan.height, bpp, interlace == 1)
            if rows:
                stage_left, stride = rows[0][0] * rows[0][1], rows[0][1]
        elif kind == b"IDAT":
            seen_idat = True
        elif kind == b"fcTL" and len(kept) >= 12:
            scan.frame_sizes.append(struct.unpack(">II", bytes(kept[4:12])))
        elif kind == b"eXIf":
            scan.exif = bytes(kept)
        elif kind == b"IEND":
            ended = True
    if not seen_idat:
        raise PngDamaged("there is no pixel data")
    if not inflater.eof or stage < len(rows):
        raise PngDamaged("the pixel data stops part-way through the image")
    return scan
