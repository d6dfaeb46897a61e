"""Real test media, generated on demand with Pillow and the ffmpeg bundled with imageio-ffmpeg.

Import from any test: `from tests.support.media import make_image, make_video`.
Nothing large is committed; every file is made in a temp dir in well under a second.
"""

from __future__ import annotations

import io
import struct
import subprocess
import zlib
from pathlib import Path

import imageio_ffmpeg
from PIL import Image, ImageDraw

FFMPEG = imageio_ffmpeg.get_ffmpeg_exe()
CONTAINER_FORMAT = {"mp4": "mp4", "mov": "mov", "m4v": "mp4", "webm": "webm", "mkv": "matroska", "avi": "avi"}


def make_image(
    path: Path | str,
    size: tuple[int, int] = (1000, 1500),
    fmt: str = "JPEG",
    colour: str | tuple = "#c8581e",
    *,
    frames: int = 1,
    **save,
) -> Path:
    """An image with a few shapes (so it compresses like a picture); `frames` > 1 animates GIF/WEBP."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    images = []
    for i in range(frames):
        img = Image.new("RGB", size, colour)
        draw = ImageDraw.Draw(img)
        w, h = size
        draw.ellipse((w * 0.2, h * 0.2 + i * 3, w * 0.8, h * 0.6 + i * 3), fill="#f2c14e")
        images.append(img)
    if frames > 1:
        save.setdefault("save_all", True)
        save.setdefault("append_images", images[1:])
        save.setdefault("duration", 100)
        save.setdefault("loop", 0)
    images[0].save(path, fmt, **save)
    return path


def make_noise_image(path: Path | str, size: tuple[int, int] = (1000, 1500), fmt: str = "PNG", **save) -> Path:
    """Random pixels: incompressible, for files that must be large."""
    import os

    path = Path(path)
    Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3)).save(path, fmt, **save)
    return path


def make_bomb_png(path: Path | str, size: tuple[int, int] = (30000, 30000)) -> Path:
    """A valid PNG that claims `size` pixels (900 MP by default) in a few hundred kB: a decompression bomb.

    Written by hand, streaming zlib, so making it never needs the memory it claims.
    """
    path = Path(path)
    width, height = size

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    compressor = zlib.compressobj(9)
    row = b"\x00" + b"\x00" * width  # filter byte + one greyscale byte per pixel
    with path.open("wb") as fh:
        fh.write(b"\x89PNG\r\n\x1a\n")
        fh.write(chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)))
        data = bytearray()
        for _ in range(height):
            data += compressor.compress(row)
            if len(data) > 1 << 20:
                fh.write(chunk(b"IDAT", bytes(data)))
                data.clear()
        data += compressor.flush()
        fh.write(chunk(b"IDAT", bytes(data)))
        fh.write(chunk(b"IEND", b""))
    return path


def make_video(
    path: Path | str,
    seconds: float = 5,
    size: tuple[int, int] = (160, 240),
    vcodec: str = "libx264",
    acodec: str | None = "aac",
    container: str = "mp4",
    *,
    fps: int = 10,
    rotation: int | None = None,
    extra: list[str] | None = None,
) -> Path:
    """A test-pattern video (with a sine tone unless `acodec` is None), made by the bundled ffmpeg."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    w, h = size
    cmd = [
        FFMPEG,
        "-hide_banner",
        "-loglevel",
        "error",
        "-nostdin",
        "-y",
        "-f",
        "lavfi",
        "-i",
        f"testsrc=size={w}x{h}:rate={fps}",
    ]
    if acodec:
        cmd += ["-f", "lavfi", "-i", "sine=frequency=440:sample_rate=22050"]
    cmd += ["-t", str(seconds), "-c:v", vcodec]
    if vcodec in ("libx264", "libx265"):
        cmd += ["-pix_fmt", "yuv420p", "-preset", "ultrafast"]
    if vcodec == "libx265":
        cmd += ["-tag:v", "hvc1", "-x265-params", "log-level=error"]
    if acodec:
        cmd += ["-c:a", acodec]
    cmd += list(extra or [])
    cmd += ["-f", CONTAINER_FORMAT.get(container, container), str(path)]
    subprocess.run(cmd, check=True, capture_output=True, timeout=120)
    if rotation is not None:
        rotated = path.with_name(path.stem + ".rot" + path.suffix)
        subprocess.run(
            [
                FFMPEG,
                "-hide_banner",
                "-loglevel",
                "error",
                "-y",
                "-display_rotation:v:0",
                str(rotation),
                "-i",
                str(path),
                "-c",
                "copy",
                str(rotated),
            ],
            check=True,
            capture_output=True,
            timeout=60,
        )
        rotated.replace(path)
    return path


def truncate(path: Path | str, keep: float = 0.5, out: Path | str | None = None) -> Path:
    """A copy of `path` cut to `keep` of its bytes (a broken download)."""
    path = Path(path)
    data = path.read_bytes()
    target = Path(out) if out else path.with_name(path.stem + ".truncated" + path.suffix)
    target.write_bytes(data[: max(1, int(len(data) * keep))])
    return target


def pad_file(path: Path | str, total_bytes: int) -> Path:
    """Grow a valid MP4 to `total_bytes` with a trailing `free` box (players and ffmpeg skip it)."""
    path = Path(path)
    extra = total_bytes - path.stat().st_size
    if extra > 8:
        with path.open("ab") as fh:
            box = extra if extra < 2**32 else None
            if box is not None:
                fh.write(struct.pack(">I", extra) + b"free")
            else:  # 64-bit box size
                fh.write(struct.pack(">I", 1) + b"free" + struct.pack(">Q", extra))
            remaining = extra - (8 if box is not None else 16)
            block = b"\x00" * (8 * 1024 * 1024)
            while remaining > 0:
                fh.write(block[: min(len(block), remaining)])
                remaining -= len(block)
    return path


def image_bytes(size=(1000, 1500), fmt="JPEG", color=(200, 80, 40), **save) -> bytes:
    """A real image made with Pillow, in memory (what the `make_image` fixture hands out)."""
    mode = "RGBA" if fmt == "PNG" and save.pop("alpha", False) else "RGB"
    img = Image.new(mode, size, color)
    buf = io.BytesIO()
    img.save(buf, fmt, **save)
    return buf.getvalue()
