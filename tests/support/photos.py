"""Photos the way phones and cameras make them, generated at test time (issue #17).

Turned JPEGs with an EXIF Orientation, HEIC/AVIF stills, CMYK/16-bit/Display-P3 pictures, MPO, files
damaged in the middle, an animation with a bomb frame, and a file whose decoder raises something odd.
Every picture has a red block in the top-left corner *as displayed*, so tests can see which way up it is.
"""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

from PIL import Image, ImageDraw

RED, BLUE = (220, 30, 30), (30, 60, 200)
DISPLAYED = (1000, 1500)  # 2:3 as the viewer sees it
# The inverse of what each EXIF Orientation asks a viewer to do.
_STORE = {
    1: None,
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_90,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_270,
}


def displayed_picture(size: tuple[int, int] = DISPLAYED) -> Image.Image:
    """Blue with a red block in the top-left quarter."""
    img = Image.new("RGB", size, BLUE)
    ImageDraw.Draw(img).rectangle((0, 0, size[0] // 2, size[1] // 2), fill=RED)
    return img


def make_phone_jpeg(path: Path, orientation: int, size: tuple[int, int] = DISPLAYED) -> Path:
    """A JPEG stored turned, with the EXIF Orientation that makes viewers show `size` upright."""
    img = displayed_picture(size)
    if _STORE[orientation] is not None:
        img = img.transpose(_STORE[orientation])
    exif = Image.Exif()
    exif[0x0112] = orientation
    img.save(path, "JPEG", quality=90, exif=exif.tobytes())
    return path


def red_top_left(img: Image.Image) -> bool:
    """The picture shows the red block top-left (and blue bottom-right): it is the right way up."""
    rgb = img.convert("RGB")
    w, h = rgb.size

    def is_red(px) -> bool:
        return px[0] > 150 and px[2] < 100

    return is_red(rgb.getpixel((w // 4, h // 4))) and not is_red(rgb.getpixel((3 * w // 4, 3 * h // 4)))


# --- colour --------------------------------------------------------------------------------
def _s15(v: float) -> bytes:
    return struct.pack(">i", round(v * 65536))


def _tag_xyz(xyz: tuple[float, float, float]) -> bytes:
    return b"XYZ \0\0\0\0" + b"".join(_s15(v) for v in xyz)


def display_p3_icc() -> bytes:
    """A matrix/TRC ICC v2 profile with Display P3 primaries (D50-adapted, as Apple's profile has them)."""
    desc_text = b"Display P3\0"
    desc = b"desc\0\0\0\0" + struct.pack(">I", len(desc_text)) + desc_text + b"\0" * 12 + b"\0" * 67
    curve = b"curv\0\0\0\0" + struct.pack(">IH", 1, int(2.2 * 256)) + b"\0\0"
    tags = [
        (b"desc", desc),
        (b"wtpt", _tag_xyz((0.9642, 1.0, 0.8249))),
        (b"rXYZ", _tag_xyz((0.5151, 0.2412, -0.0011))),
        (b"gXYZ", _tag_xyz((0.2920, 0.6922, 0.0419))),
        (b"bXYZ", _tag_xyz((0.1571, 0.0666, 0.7841))),
        (b"rTRC", curve),
        (b"gTRC", curve),
        (b"bTRC", curve),
        (b"cprt", b"text\0\0\0\0public domain\0\0\0"),
    ]
    table_size = 4 + 12 * len(tags)
    offset = 128 + table_size
    table, data = struct.pack(">I", len(tags)), b""
    for sig, body in tags:
        body += b"\0" * (-len(body) % 4)
        table += sig + struct.pack(">II", offset + len(data), len(body))
        data += body
    size = 128 + table_size + len(data)
    header = (
        struct.pack(">I", size)
        + b"lcms"
        + bytes([2, 0x10, 0, 0])
        + b"mntrRGB XYZ "
        + b"\0" * 12
        + b"acsp"
        + b"APPL"
        + b"\0" * 4
        + b"\0" * 8
        + b"\0" * 8
        + b"\0" * 4
        + _s15(0.9642)
        + _s15(1.0)
        + _s15(0.8249)
        + b"\0" * 4
        + b"\0" * 16
        + b"\0" * 28
    )
    assert len(header) == 128, len(header)
    return header + table + data


def make_p3_png(path: Path) -> Path:
    img = displayed_picture()
    ImageDraw.Draw(img).rectangle((600, 900, 900, 1400), fill=(0, 255, 0))  # a colour sRGB can't show
    img.save(path, "PNG", icc_profile=display_p3_icc())
    return path


def make_cmyk_jpeg(path: Path) -> Path:
    displayed_picture().convert("CMYK").save(path, "JPEG", quality=90)
    return path


def make_16bit_png(path: Path) -> Path:
    """A 16-bit greyscale gradient (IHDR bit depth 16)."""
    w, h = DISPLAYED
    img = Image.linear_gradient("L").resize((w, h)).convert("I").point(lambda v: v * 257).convert("I;16")
    img.save(path, "PNG")
    return path


# --- containers ----------------------------------------------------------------------------
def make_heic(path: Path, size: tuple[int, int] = DISPLAYED) -> Path:
    import pillow_heif

    pillow_heif.register_heif_opener()
    displayed_picture(size).save(path, "HEIF", quality=80)
    return path


def make_avif(path: Path, size: tuple[int, int] = DISPLAYED) -> Path:
    displayed_picture(size).save(path, "AVIF", quality=60)
    return path


def make_mpo(path: Path) -> Path:
    first, second = displayed_picture(), displayed_picture().transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    first.save(path, "MPO", save_all=True, append_images=[second], quality=90)
    return path


# --- damage --------------------------------------------------------------------------------
def make_busy_png(path: Path, size: tuple[int, int] = DISPLAYED) -> Path:
    Image.effect_noise(size, 40).convert("RGB").save(path, "PNG", compress_level=1)
    return path


def zero_middle(path: Path, fill: bytes = b"\0", length: int = 4000) -> Path:
    """Overwrite `length` bytes in the middle; the header and the end marker stay intact."""
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    data[middle : middle + length] = fill * length
    path.write_bytes(bytes(data))
    return path


def make_busy_jpeg(path: Path) -> Path:
    Image.effect_noise(DISPLAYED, 60).convert("RGB").save(path, "JPEG", quality=90)
    return path


def _blocks_end(d: bytes, k: int) -> int:
    while d[k]:
        k += d[k] + 1
    return k + 1


def make_gif_with_bomb_frame(path: Path, frame: tuple[int, int] = (60000, 60000)) -> Path:
    """A 2-frame GIF whose logical screen is 1000×1500 and whose second frame declares `frame` pixels."""
    a, b = Image.new("P", DISPLAYED, 0), Image.new("P", DISPLAYED, 1)
    for img in (a, b):
        img.putpalette([220, 30, 30, 30, 60, 200] + [0] * 762)
    buf = io.BytesIO()
    a.save(buf, "GIF", save_all=True, append_images=[b], duration=100, loop=0)
    d = bytearray(buf.getvalue())
    flags = d[10]
    k = 13 + (3 * 2 ** ((flags & 7) + 1) if flags & 0x80 else 0)
    descriptors = []
    while d[k] != 0x3B:
        if d[k] == 0x21:  # extension
            k = _blocks_end(d, k + 2)
        else:  # 0x2C image descriptor
            descriptors.append(k)
            local = d[k + 9]
            k += 10 + (3 * 2 ** ((local & 7) + 1) if local & 0x80 else 0)
            k = _blocks_end(d, k + 1)
    struct.pack_into("<HHHH", d, descriptors[1] + 1, 0, 0, *frame)
    path.write_bytes(bytes(d))
    return path


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def make_invalid_apng(path: Path) -> Path:
    """A PNG with an `acTL` chunk claiming 0 frames: Pillow warns "Invalid APNG" (a UserWarning)."""
    buf = io.BytesIO()
    displayed_picture().save(buf, "PNG")
    data = buf.getvalue()
    ihdr_end = 8 + 8 + 13 + 4
    path.write_bytes(data[:ihdr_end] + _chunk(b"acTL", struct.pack(">II", 0, 0)) + data[ihdr_end:])
    return path


def make_odd_decoder_file(path: Path) -> Path:
    """A DirectDraw Surface with an unknown pixel format: Pillow raises NotImplementedError on open."""
    header = (
        struct.pack("<7I", 124, 0x1007, 1500, 1000, 0, 0, 0)
        + b"\0" * 44
        + struct.pack("<2I4s5I", 32, 0x4, b"XXXX", 0, 0, 0, 0, 0)
        + struct.pack("<5I", 0x1000, 0, 0, 0, 0)
    )
    path.write_bytes(b"DDS " + header + b"\0" * 64)
    return path
