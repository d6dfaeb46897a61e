"""A 1 GB video upload through POST /api/posts (multipart `media[]`): the server's peak RSS and the wall time.

The API runs as `pinstudio api` in its own process (dry-run publisher, a temp data dir); the client streams the
multipart body from a generator, so neither side holds the file. The video is a real 5 s H.264 MP4 followed by
a top-level `free` box of padding up to the size asked for: ffmpeg (the studio's media checks) reads it as the
5 s clip, so the whole body is stored, checked, hashed and published (dry run) like any upload.

Prints the server's VmRSS before, its peak (VmHWM of /proc/<pid>/status, sampled during the upload too), the
upload's wall time and throughput, and the time until the post is published.
Size: BENCH_UPLOAD_MB (default 1024).
"""

from __future__ import annotations

import os
import struct
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from studio.api import create_key  # noqa: E402
from studio.services import open_store  # noqa: E402
from tests.support.browser import free_port  # noqa: E402
from tests.support.media import make_video  # noqa: E402

MB = 1024 * 1024
SIZE = int(os.environ.get("BENCH_UPLOAD_MB", "1024")) * MB
CHUNK = MB


def status_kb(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise KeyError(field)


def cpu_s(pid: int) -> float:
    """User + system CPU seconds the process used so far (/proc/<pid>/stat fields 14 and 15)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def padded_video_parts(clip: bytes, total: int) -> tuple[int, Iterator[bytes]]:
    """The clip, then one `free` box filling the file up to `total` bytes (as a stream of chunks)."""
    pad = total - len(clip)
    assert 8 <= pad < 2**32, "a free box of up to 4 GB"

    def chunks() -> Iterator[bytes]:
        yield clip
        yield struct.pack(">I", pad) + b"free"
        left, zeros = pad - 8, bytes(CHUNK)
        while left > 0:
            yield zeros[: min(CHUNK, left)]
            left -= min(CHUNK, left)

    return total, chunks()


def multipart(fields: list[tuple[str, str]], file_field: str, filename: str, size: int, body: Iterator[bytes]):
    """(content type, content length, chunks) of a multipart/form-data body with one streamed file part."""
    boundary = "----pinstudio-bench-" + os.urandom(8).hex()
    head = b"".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields
    )
    head += (
        f'--{boundary}\r\nContent-Disposition: form-data; name="{file_field}"; filename="{filename}"\r\n'
        "Content-Type: video/mp4\r\n\r\n"
    ).encode()
    tail = f"\r\n--{boundary}--\r\n".encode()

    def chunks() -> Iterator[bytes]:
        yield head
        yield from body
        yield tail

    return f"multipart/form-data; boundary={boundary}", len(head) + size + len(tail), chunks()


def main() -> None:
    with tempfile.TemporaryDirectory(dir=os.environ.get("BENCH_TMP")) as tmp:
        data = Path(tmp) / "data"
        env = {
            **os.environ,
            "STUDIO_DATA_DIR": str(data),
            "STUDIO_ENV_FILE": "",
            "STUDIO_PUBLISHER": "dry-run",
            "STUDIO_LLM_PROVIDER": "offline",
        }
        store = open_store(data / "studio.db")
        key = create_key(store, "bench")["key"]
        store.close()
        clip = make_video(Path(tmp) / "clip.mp4", seconds=5, size=(320, 480)).read_bytes()
        port = free_port()
        api = subprocess.Popen(
            [sys.executable, "-m", "studio", "api", "--port", str(port)], env=env, cwd=ROOT, stdout=subprocess.DEVNULL
        )
        base = f"http://127.0.0.1:{port}"
        peak_seen = [0]
        stop = threading.Event()

        def sample() -> None:  # VmHWM is the kernel's own peak; sampling VmRSS too shows when it happens
            while not stop.is_set() and api.poll() is None:
                peak_seen[0] = max(peak_seen[0], status_kb(api.pid, "VmRSS"))
                time.sleep(0.05)

        try:
            for _ in range(300):
                try:
                    httpx.get(f"{base}/openapi.json", timeout=1)
                    break
                except httpx.HTTPError:
                    time.sleep(0.1)
            idle_rss = status_kb(api.pid, "VmRSS")
            size, body = padded_video_parts(clip, SIZE)
            kind, length, chunks = multipart(
                [
                    ("post[body]", "A big video, streamed"),
                    ("profiles[]", "pinterest"),
                    ("platforms[pinterest][title]", "Big video"),
                    ("platforms[pinterest][board_id]", "Ideas"),
                ],
                "media[]",
                "big.mp4",
                size,
                body,
            )
            sampler = threading.Thread(target=sample, daemon=True)
            sampler.start()
            auth = {"Authorization": f"Bearer {key}"}
            headers = {**auth, "Content-Type": kind, "Content-Length": str(length)}
            cpu0, t0 = cpu_s(api.pid), time.perf_counter()
            response = httpx.post(f"{base}/api/posts", content=chunks, headers=headers, timeout=600)
            upload_s, upload_cpu = time.perf_counter() - t0, cpu_s(api.pid) - cpu0
            post = response.json()
            assert response.status_code == 201, post
            status = post
            while status["status"] not in ("processed", "media_processing_failed"):
                time.sleep(0.2)
                status = httpx.get(f"{base}/api/posts/{post['id']}", headers=auth, timeout=30).json()
            published_s = time.perf_counter() - t0
            stop.set()
            sampler.join()
            hwm = status_kb(api.pid, "VmHWM")
            stored = sorted((data / "media").rglob("*.mp4"))
            left = [p for p in (data / "api" / "incoming").rglob("*") if p.is_file()]
        finally:
            stop.set()
            api.terminate()
            api.wait(timeout=30)
        print(f"upload: {size / MB:.0f} MB video as multipart media[] (body {length / MB:.1f} MB)")
        print(f"server RSS idle: {idle_rss / 1024:.0f} MB")
        print(f"server peak RSS (VmHWM): {hwm / 1024:.0f} MB  (sampled VmRSS max {peak_seen[0] / 1024:.0f} MB)")
        print(f"upload wall time (request sent → 201): {upload_s:.1f} s  ({size / MB / upload_s:.0f} MB/s)")
        print(f"server CPU during the upload: {upload_cpu:.1f} s (the ffmpeg probes run as child processes)")
        print(f"until published (dry run): {published_s:.1f} s  → platform status {status['platforms'][0]['status']}")
        print(f"stored: {[p.stat().st_size for p in stored]} bytes; left in api/incoming: {len(left)} files")


if __name__ == "__main__":
    main()
