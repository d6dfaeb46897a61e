"""Video through the ffmpeg that ships with imageio-ffmpeg: probe (headers only), transcode, frames.

There is no ffprobe: `ffmpeg -hide_banner -i FILE` prints the container and stream info on
stderr without decoding anything. moviepy's parser reads most of it; the audio codec and the
rotation are read here from the same text, so one process answers everything.
"""

from __future__ import annotations

import re
import subprocess
import threading
from collections.abc import Callable
from pathlib import Path

from studio import constraints
from studio.errors import MediaError
from studio.media.report import MediaReport

ProgressCallback = Callable[[float], None]  # fraction done, 0.0–1.0
# ffmpeg demuxers that really are video containers (for content the sniffer doesn't know).
_VIDEO_DEMUXERS = frozenset({"mov", "matroska", "avi", "mpegts", "flv", "mpeg", "asf", "ogg", "mxf", "h264", "hevc"})

_AUDIO_RE = re.compile(r"Stream #\d+:\d+.*?: Audio: (\w+)")
_VIDEO_RE = re.compile(r"Stream #\d+:\d+.*?: Video: (\w+)")
_INPUT_RE = re.compile(r"Input #0, ([\w,]+), from")
_ROTATION_RE = re.compile(r"(?:rotation of|rotate\s*:)\s*(-?[\d.]+)")


def ffmpeg_exe() -> str:
    import imageio_ffmpeg  # imported when a video is met: `pinstudio check IMAGE` never pays for it

    return imageio_ffmpeg.get_ffmpeg_exe()


def _file(path: Path | str) -> str:
    """A local path for ffmpeg: `file:` stops a name like `concat:…` or `http:…` being read as a protocol."""
    return f"file:{Path(path).resolve()}"


def probe_video(path: Path) -> dict:
    """Container, duration, size, fps, codecs and rotation of a video; raises MediaError(unreadable)."""
    try:
        proc = subprocess.run(
            [ffmpeg_exe(), "-hide_banner", "-nostdin", "-i", _file(path)],
            capture_output=True,
            timeout=constraints.FFMPEG_PROBE_TIMEOUT_S,
            stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired:
        raise MediaError(
            "Reading the video took too long.", fix="Check the file plays, then try again.", code="unreadable"
        ) from None
    text = proc.stderr.decode("utf8", errors="replace")
    formats = _INPUT_RE.search(text)
    video = _VIDEO_RE.search(text)
    if not formats or not video:
        raise MediaError(
            "The video is damaged or cut short, or isn't a video at all.",
            fix="Export or download it again, then upload the new file.",
            code="unreadable",
        )
    # moviepy imports numpy (~0.2 s): only when a video is probed.
    from moviepy.video.io.ffmpeg_reader import FFmpegInfosParser

    try:
        infos = FFmpegInfosParser(text, str(path)).parse()
    except Exception:  # moviepy's parser raises bare exceptions on odd output
        infos = {}
    audio = _AUDIO_RE.search(text)
    rotation = _ROTATION_RE.search(text)
    size = infos.get("video_size") or _size_from(text)
    return {
        "ffmpeg_format": formats.group(1),
        "duration_s": infos.get("duration"),
        "width": size[0] if size else None,
        "height": size[1] if size else None,
        "fps": infos.get("video_fps"),
        "video_codec": video.group(1),
        "audio_codec": audio.group(1) if audio else None,
        "rotation": round(float(rotation.group(1))) % 360 if rotation else 0,
        "frames": infos.get("video_n_frames"),
        "major_brand": (infos.get("metadata") or {}).get("major_brand", "").strip() or None,
    }


def _size_from(text: str) -> tuple[int, int] | None:
    match = re.search(r"Video: .*?(\d{2,5})x(\d{2,5})", text)
    return (int(match.group(1)), int(match.group(2))) if match else None


def run_ffmpeg(
    args: list[str],
    *,
    duration_s: float | None = None,
    on_progress: ProgressCallback | None = None,
    cancel: threading.Event | None = None,
    timeout_s: float = 3600.0,
) -> None:
    """Run ffmpeg with `-progress pipe:1`, reporting progress; `cancel.set()` stops it (MediaError)."""
    cmd = [ffmpeg_exe(), "-hide_banner", "-nostdin", "-y", "-loglevel", "error", "-progress", "pipe:1", *args]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
    stderr: list[bytes] = []
    assert proc.stdout is not None and proc.stderr is not None  # both are pipes
    err_pipe = proc.stderr
    reader = threading.Thread(target=lambda: stderr.append(err_pipe.read()), daemon=True)
    reader.start()
    timer = threading.Timer(timeout_s, proc.kill)
    timer.start()
    cancelled = False
    try:
        for raw in proc.stdout:  # one `key=value` per line, a block per progress tick
            if cancel is not None and cancel.is_set():
                cancelled = True
                proc.terminate()
                break
            key, _, value = raw.decode(errors="replace").strip().partition("=")
            if key == "out_time_us" and on_progress and duration_s and value.isdigit():
                on_progress(min(1.0, int(value) / 1e6 / duration_s))
            elif key == "progress" and value == "end" and on_progress:
                on_progress(1.0)
        proc.wait(timeout=30)
    finally:
        timer.cancel()
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        reader.join(timeout=5)
    if cancelled or proc.returncode != 0:
        _remove_output(args)  # never leave half a video behind
    if cancelled:
        raise MediaError(
            "The video conversion was cancelled.", fix="Press the fix again to restart it.", code="cancelled"
        )
    if proc.returncode != 0:
        detail = b"".join(stderr).decode(errors="replace").strip().splitlines()[-1:] or [""]
        raise MediaError(
            f"ffmpeg could not convert the video ({detail[0][:200]}).",
            fix="Check the original plays; export it again as MP4 if not.",
            code="fix_failed",
        )


def _remove_output(args: list[str]) -> None:
    """ffmpeg's output file is its last argument."""
    if args and args[-1].startswith("file:"):
        Path(args[-1][len("file:") :]).unlink(missing_ok=True)


def fit_ratio_filter(width: int, height: int) -> str | None:
    """An ffmpeg pad filter bringing width:height inside Pinterest's 1:2–1.91:1, or None if inside."""
    ratio = width / height
    if ratio < constraints.VIDEO_MIN_RATIO:
        new_w = _even(height * constraints.VIDEO_MIN_RATIO + 1)
        return f"pad={new_w}:{_even(height)}:(ow-iw)/2:0:black"
    if ratio > constraints.VIDEO_MAX_RATIO:
        new_h = _even(width / constraints.VIDEO_MAX_RATIO + 1)
        return f"pad={_even(width)}:{new_h}:0:(oh-ih)/2:black"
    return None


def _even(value: float) -> int:
    return int(value) + (int(value) % 2)


def transcode(
    src: Path,
    dst: Path,
    *,
    duration_s: float | None = None,
    max_seconds: float | None = None,
    width: int | None = None,
    height: int | None = None,
    on_progress: ProgressCallback | None = None,
    cancel: threading.Event | None = None,
) -> Path:
    """Re-encode to H.264/AAC MP4 (faststart), optionally trimmed and padded into the allowed aspect."""
    filters = ["scale=trunc(iw/2)*2:trunc(ih/2)*2"]  # libx264 with yuv420p needs even sides
    if width and height and (pad := fit_ratio_filter(width, height)):
        filters.append(pad)
    args = ["-i", _file(src)]
    if max_seconds:
        args += ["-t", f"{max_seconds:.3f}"]
    args += [
        "-map",
        "0:v:0",
        "-map",
        "0:a:0?",
        "-vf",
        ",".join(filters),
        "-c:v",
        "libx264",
        "-preset",
        "veryfast",
        "-crf",
        "20",
        "-pix_fmt",
        "yuv420p",
        "-c:a",
        "aac",
        "-b:a",
        "128k",
        "-movflags",
        "+faststart",
        "-f",
        "mp4",
        _file(dst),
    ]
    total = min(duration_s or 0, max_seconds or float("inf")) or duration_s
    run_ffmpeg(args, duration_s=total, on_progress=on_progress, cancel=cancel)
    return dst


def trim(
    src: Path,
    dst: Path,
    max_seconds: float,
    *,
    on_progress: ProgressCallback | None = None,
    cancel: threading.Event | None = None,
) -> Path:
    """Cut to the first `max_seconds` without re-encoding (stream copy), as MP4."""
    run_ffmpeg(
        [
            "-i",
            _file(src),
            "-t",
            f"{max_seconds:.3f}",
            "-map",
            "0:v:0",
            "-map",
            "0:a:0?",
            "-c",
            "copy",
            "-movflags",
            "+faststart",
            "-f",
            "mp4",
            _file(dst),
        ],
        duration_s=max_seconds,
        on_progress=on_progress,
        cancel=cancel,
    )
    return dst


def extract_frame(src: Path, dst: Path, offset_s: float, *, max_side: int | None = None) -> Path:
    """One frame at `offset_s` as a JPEG (input seeking: decodes from the nearest key frame only)."""
    args = ["-ss", f"{max(0.0, offset_s):.3f}", "-i", _file(src), "-frames:v", "1"]
    if max_side:
        args += ["-vf", f"scale='min({max_side},iw)':-2"]
    args += ["-q:v", "3", "-f", "image2", "-c:v", "mjpeg", _file(dst)]
    run_ffmpeg(args, timeout_s=60)
    if not Path(dst).exists() or Path(dst).stat().st_size == 0:
        raise MediaError(
            f"There is no frame at {offset_s:.1f} s.",
            fix="Pick a time inside the video.",
            code="thumb_offset_out_of_range",
        )
    return dst


# --- the rules ------------------------------------------------------------------------
def check_video(path: Path, report: MediaReport, sniffed: str | None) -> None:
    """Pinterest's video rules, into `report` (container, size, duration, codecs, aspect)."""
    f = report.facts
    try:
        info = probe_video(path)
    except MediaError as exc:
        report.kind = "video" if sniffed else "unknown"
        if sniffed:
            report.error("unreadable", exc.message, exc.fix)
        else:
            report.error(
                "unreadable",
                "This file is not an image or a video we can read (it may be another kind of file renamed).",
                "Upload a JPEG, PNG, GIF or WEBP image, or an MP4 or MOV video.",
            )
        return
    demuxer = info["ffmpeg_format"].split(",")[0]
    if not sniffed and demuxer not in _VIDEO_DEMUXERS:
        # ffmpeg guesses from the extension (a text file named .jpg "is" image2/mjpeg): not a video
        report.error(
            "unreadable",
            "This file is not an image or a video we can read (it may be another kind of file renamed).",
            "Upload a JPEG, PNG, GIF or WEBP image, or an MP4 or MOV video.",
        )
        return
    report.kind = "video"
    container = sniffed or _container_from_ffmpeg(info["ffmpeg_format"])
    f.container = f.format = container
    f.width, f.height, f.fps = info["width"], info["height"], info["fps"]
    f.duration_s = info["duration_s"]
    f.video_codec, f.audio_codec = info["video_codec"], info["audio_codec"]
    f.rotation, f.frames = info["rotation"], info["frames"]
    if container not in constraints.VIDEO_CONTAINERS:
        report.error(
            "unsupported_format",
            f"{container.upper()} videos are not accepted by Pinterest.",
            "Convert to MP4 (H.264/AAC) (one click).",
        )
    if f.bytes > constraints.VIDEO_MAX_BYTES:
        report.error(
            "file_too_large",
            f"The video is {f.bytes / constraints.MB / 1024:.2f} GB; Pinterest accepts up to 2 GB.",
            "Convert to MP4 (H.264), which usually makes it much smaller, or trim it.",
        )
    if f.duration_s is not None:
        if f.duration_s < constraints.VIDEO_MIN_SECONDS:
            report.error(
                "video_too_short",
                f"The video lasts {f.duration_s:.1f} s; "
                f"Pinterest needs at least {constraints.VIDEO_MIN_SECONDS:.0f} s.",
                "Use a longer clip (4 seconds or more).",
            )
        elif f.duration_s > constraints.VIDEO_MAX_SECONDS:
            report.error(
                "video_too_long",
                f"The video lasts {f.duration_s / 60:.1f} min; Pinterest accepts up to 15 min.",
                "Trim to 15 minutes (one click).",
            )
    codec = f.video_codec or "unknown"
    if codec in constraints.VIDEO_CODECS_WARN:
        report.warn(
            "video_codec_not_recommended",
            "The video is H.265 (HEVC): Pinterest accepts it but some devices play it badly.",
            "Convert to H.264/AAC MP4 (one click).",
        )
    elif codec not in constraints.VIDEO_CODECS:
        report.error(
            "unsupported_video_codec",
            f"The video is encoded as {codec.upper()}; Pinterest needs H.264.",
            "Convert to H.264/AAC MP4 (one click).",
        )
    if f.audio_codec and f.audio_codec not in constraints.AUDIO_CODECS:
        report.warn(
            "audio_codec_not_recommended",
            f"The sound is {f.audio_codec.upper()}; Pinterest expects AAC and may drop the sound.",
            "Convert to H.264/AAC MP4 (one click).",
        )
    size = report.display_size()
    if size:
        ratio = size[0] / size[1]
        if not constraints.VIDEO_MIN_RATIO <= ratio <= constraints.VIDEO_MAX_RATIO:
            report.error(
                "aspect_ratio_out_of_range",
                f"The video is {size[0]}×{size[1]} ({ratio:.2f}:1); Pinterest accepts shapes "
                "from 1:2 (tall) to 1.91:1 (wide).",
                "Convert to MP4 with bars added to fit (one click).",
            )


def _container_from_ffmpeg(formats: str) -> str:
    if formats.startswith("mov"):
        return "mp4"
    return formats.split(",")[-1] if "webm" in formats else formats.split(",")[0]
