"""HTTP API under load: 1,000 POST /api/posts (dry-run publisher, URL media on a loopback host).

Prints throughput, p50/p95 latency, the time until every post is published, and the Review page's
AppTest render time while the load runs against idle. The API runs as `pinstudio api` in its own
process (as `pinstudio run` serves it beside the Streamlit process); 8 clients send concurrently.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from studio.api import create_key  # noqa: E402
from studio.services import open_store  # noqa: E402
from tests.fakes.media_host import MediaHost  # noqa: E402
from tests.support.browser import free_port  # noqa: E402
from tests.support.media import make_image  # noqa: E402

POSTS = int(os.environ.get("BENCH_API_POSTS", "1000"))
CLIENTS = 8


def render_review() -> float:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "pages" / "review.py"), default_timeout=120)
    t = time.perf_counter()
    at.run()
    assert not at.exception, at.exception
    return time.perf_counter() - t


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        env = {
            **os.environ,
            "STUDIO_DATA_DIR": str(data),
            "STUDIO_ENV_FILE": "",
            "STUDIO_PUBLISHER": "dry-run",
            "STUDIO_LLM_PROVIDER": "offline",
            "STUDIO_API_RATE_LIMIT": "1000000",
            "STUDIO_FETCH_ALLOW_PRIVATE": "true",
        }
        os.environ.update({k: env[k] for k in ("STUDIO_DATA_DIR", "STUDIO_ENV_FILE", "STUDIO_PUBLISHER")})
        store = open_store(data / "studio.db")
        key = create_key(store, "bench")["key"]
        make_image(Path(tmp) / "cdn" / "pin.jpg", (1000, 1500))
        port = free_port()
        api = subprocess.Popen(
            [sys.executable, "-m", "studio", "api", "--port", str(port)], env=env, cwd=ROOT, stdout=subprocess.DEVNULL
        )
        base = f"http://127.0.0.1:{port}"
        try:
            with MediaHost(Path(tmp) / "cdn") as host:
                for _ in range(200):
                    try:
                        httpx.get(f"{base}/openapi.json", timeout=1)
                        break
                    except httpx.HTTPError:
                        time.sleep(0.1)
                idle = [render_review() for _ in range(4)][1:]  # the first run warms imports
                headers = {"Authorization": f"Bearer {key}"}
                latencies: list[float] = []
                errors: list[str] = []
                http = httpx.Client(timeout=60, limits=httpx.Limits(max_connections=CLIENTS))

                def send(n: int) -> None:
                    body = {
                        "post": {"body": f"Pin number {n}: a bright kitchen idea"},
                        "profiles": ["pinterest"],
                        "media": [host.url("pin.jpg")],
                        "platforms": {"pinterest": {"title": f"Kitchen idea {n}", "board_id": "Kitchen"}},
                    }
                    t = time.perf_counter()
                    try:
                        r = http.post(f"{base}/api/posts", json=body, headers=headers)
                    except httpx.HTTPError as exc:
                        errors.append(type(exc).__name__)
                        return
                    latencies.append(time.perf_counter() - t)
                    if r.status_code != 201:
                        errors.append(f"{r.status_code} {r.text[:120]}")

                busy: list[float] = []

                def load() -> None:
                    with ThreadPoolExecutor(CLIENTS) as pool:
                        list(pool.map(send, range(POSTS)))

                t0 = time.perf_counter()
                loader = threading.Thread(target=load)
                loader.start()
                while loader.is_alive():  # AppTest runs in the main thread, as Streamlit's script runner expects
                    busy.append(render_review())
                loader.join()
                elapsed = time.perf_counter() - t0
                while True:  # every post published by the API's background jobs
                    page = http.get(f"{base}/api/posts", params={"status": "processed", "per_page": 1}, headers=headers)
                    if page.json()["total"] >= POSTS - len(errors) or time.perf_counter() - t0 > 300:
                        break
                    time.sleep(0.2)
                drained = time.perf_counter() - t0
        finally:
            api.terminate()
            api.wait(timeout=10)
            store.close()
        ms = sorted(x * 1000 for x in latencies)
        print(f"{POSTS} POST /api/posts, {CLIENTS} clients, dry run, URL media on loopback")
        print(f"  throughput: {POSTS / elapsed:.1f} posts/s ({elapsed:.1f} s); errors: {len(errors)} {errors[:2]}")
        print(f"  latency p50 {ms[len(ms) // 2]:.0f} ms, p95 {ms[int(len(ms) * 0.95)]:.0f} ms, max {ms[-1]:.0f} ms")
        print(f"  all {POSTS} published after {drained:.1f} s")
        print(
            f"  Review page render (AppTest): idle median {statistics.median(idle):.2f} s; during the load median "
            f"{statistics.median(busy):.2f} s, worst {max(busy):.2f} s over {len(busy)} renders"
        )


if __name__ == "__main__":
    main()
