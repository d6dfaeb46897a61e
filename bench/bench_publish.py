"""Publishing benchmarks (a runnable script, not part of pytest):

1. A 1 GB video published to a local fake Pinterest: peak RSS of the publishing process and upload
   throughput, against a plain streaming httpx multipart upload of the same file to the same server.
2. 200 image pins against a fake that enforces 10 writes/s: wall time vs the ideal 20 s, 429s provoked.

    .venv/bin/python bench/bench_publish.py [--gb 1.0] [--pins 200]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def serve() -> None:
    """Child: a fake Pinterest in its own process, so its memory and CPU don't count against ours."""
    from tests.fakes.pinterest import FakePinterest

    fake = FakePinterest(boards=5).start()
    print(json.dumps({"base": fake.base, "token": fake.access_token, "board": fake.boards[0]["id"]}), flush=True)
    sys.stdin.read()  # until the parent closes our stdin


def child_publish(video: str, base: str, token: str, board: str) -> None:
    """Child: publish the video with the real pinterest backend; print seconds and peak RSS."""
    import httpx

    from studio.pinterest.tokens import StaticTokenSource
    from studio.publishing.base import NullProgress
    from studio.publishing.payload import PublishRequest
    from studio.publishing.pinterest import PinterestPublisher

    publisher = PinterestPublisher(
        httpx.Client(timeout=60), StaticTokenSource(token), api_base=base, timeout_s=60, poll_base_s=0.05
    )
    request = PublishRequest.model_validate(
        {
            "post": {"body": "bench"},
            "media": [video],
            "platforms": {"pinterest": {"title": "Bench video", "board_id": board, "thumb_offset": 1}},
        }
    )
    progress = NullProgress()
    start = time.perf_counter()
    outcome = publisher.publish(request, progress=progress)
    elapsed = time.perf_counter() - start
    (upload,) = [a for a in progress.attempts if a["step"] == "upload_media"]
    upload_s = (
        datetime.fromisoformat(upload["finished_at"]) - datetime.fromisoformat(upload["started_at"])
    ).total_seconds()
    print(
        json.dumps(
            {
                "seconds": elapsed,
                "upload_seconds": upload_s,
                "pin": outcome.pin_id,
                "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            }
        )
    )


def child_plain(video: str, base: str, token: str) -> None:
    """Child: the baseline — register, then one plain httpx multipart upload streamed from the file."""
    import httpx

    http = httpx.Client(timeout=60)
    reg = http.post(f"{base}/media", json={"media_type": "video"}, headers={"Authorization": f"Bearer {token}"}).json()
    start = time.perf_counter()
    with open(video, "rb") as fh:
        response = http.post(
            reg["upload_url"], data=reg["upload_parameters"], files={"file": ("v.mp4", fh, "video/mp4")}
        )
    response.raise_for_status()
    print(
        json.dumps(
            {
                "seconds": time.perf_counter() - start,
                "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            }
        )
    )


def run_child(*args: str) -> dict:
    out = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True, check=True, cwd=ROOT)
    return json.loads(out.stdout.strip().splitlines()[-1])


def bench_video(gb: float) -> None:
    from tests.support.media import make_video, pad_file

    with tempfile.TemporaryDirectory() as tmp:
        video = make_video(Path(tmp) / "big.mp4", seconds=5)
        pad_file(video, int(gb * 1024**3))
        size_mb = video.stat().st_size / 1024**2
        server = subprocess.Popen(
            [sys.executable, __file__, "--serve"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT
        )
        try:
            info = json.loads(server.stdout.readline())
            plain = run_child("--plain", str(video), info["base"], info["token"])
            ours = run_child("--publish", str(video), info["base"], info["token"], info["board"])
        finally:
            server.stdin.close()
            server.wait(timeout=30)
    print(f"video {size_mb:.0f} MB")
    print(
        f"  plain httpx upload : {plain['seconds']:.2f} s  {size_mb / plain['seconds']:.0f} MB/s  "
        f"peak RSS {plain['peak_rss_mb']:.0f} MB"
    )
    print(
        f"  pinstudio upload   : {ours['upload_seconds']:.2f} s  {size_mb / ours['upload_seconds']:.0f} MB/s  "
        f"peak RSS {ours['peak_rss_mb']:.0f} MB"
    )
    print(f"  whole publish      : {ours['seconds']:.2f} s  (checks + register + upload + poll + create pin)")
    print(
        f"  upload time ratio (ours/plain): {ours['upload_seconds'] / plain['seconds']:.2f}×  "
        "(target < 2×; RSS target < 150 MB)"
    )


def bench_images(pins: int) -> None:
    import httpx

    from studio.pinterest.retry import RequestPacer
    from studio.pinterest.tokens import StaticTokenSource
    from studio.publishing import jobs
    from studio.publishing.payload import PublishRequest
    from studio.publishing.pinterest import PinterestPublisher
    from studio.services import open_store
    from tests.fakes.pinterest import FakePinterest

    rate = 10.0
    with FakePinterest(boards=5, write_limit_per_s=rate) as fake, tempfile.TemporaryDirectory() as tmp:
        store = open_store(Path(tmp) / "studio.db")
        publisher = PinterestPublisher(
            httpx.Client(timeout=10),
            StaticTokenSource(fake.access_token),
            api_base=fake.base,
            limiter=RequestPacer(rate),
        )
        start = time.perf_counter()
        results = []
        for i in range(pins):
            request = PublishRequest.model_validate(
                {
                    "post": {"body": f"pin {i}"},
                    "media": [f"https://cdn.example.com/{i}.jpg"],
                    "platforms": {"pinterest": {"title": f"Pin {i}", "board_id": fake.boards[0]["id"]}},
                }
            )
            results.append(jobs.run_job(store, publisher, jobs.create_job(store, request, "pinterest"))["status"])
        elapsed = time.perf_counter() - start
        ideal = pins / rate
        print(
            f"{pins} image pins at {rate:.0f} writes/s: {elapsed:.2f} s (ideal {ideal:.0f} s, "
            f"{elapsed / ideal:.3f}× — target ≤ 1.15×), published {results.count('published')}, "
            f"429s provoked {fake.rate_limited}, spec violations {len(fake.spec_violations)}"
        )


def main() -> None:
    if sys.argv[1:2] == ["--serve"]:
        return serve()
    if sys.argv[1:2] == ["--publish"]:
        return child_publish(*sys.argv[2:6])
    if sys.argv[1:2] == ["--plain"]:
        return child_plain(*sys.argv[2:5])
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--gb", type=float, default=1.0)
    parser.add_argument("--pins", type=int, default=200)
    args = parser.parse_args()
    os.environ.setdefault("STUDIO_ENV_FILE", "")
    bench_video(args.gb)
    bench_images(args.pins)


if __name__ == "__main__":
    main()
