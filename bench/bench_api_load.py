"""`POST /api/posts` side by side with the least work the same request needs, at 0 and 100,000 posts.

In one process tree: `pinstudio api` (the real app, dry-run publisher, a temp data dir), the reference server
(bench/reference_api.py: check the key, stream the media to disk, read the header with Pillow, hash, one
SQLite insert), a loopback media host serving a 1000×1500 JPEG, and 8 concurrent clients posting `draft=true`
posts as JSON (URL media) and as multipart (a 5 MB image file). Prints p50/p95/posts/s for both, the ratio
and the load average; then the same with 100,000 posts stored, and `GET /api/posts?per_page=100` p95 with the
`status` and `scheduled_after` filters. Last, the 1,000-row `pinstudio import-csv --dry-run`.

BENCH_POSTS (default 400) posts per run; BENCH_SEED (default 100000) posts stored for the second round;
BENCH_CSV=0 skips the CSV import. BENCH_ONLY=lists: only seed BENCH_SEED posts and measure the listings;
BENCH_ONLY=csv: only the CSV import (BENCH_PROFILE=path: under cProfile, its stats written there).
"""

from __future__ import annotations

import csv
import json
import os
import secrets
import sqlite3
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from studio.api import create_key  # noqa: E402
from studio.people import Actor  # noqa: E402
from studio.services import open_store  # noqa: E402
from tests.fakes.media_host import MediaHost  # noqa: E402
from tests.support.browser import free_port  # noqa: E402
from tests.support.media import make_image  # noqa: E402

POSTS = int(os.environ.get("BENCH_POSTS", "400"))
SEED = int(os.environ.get("BENCH_SEED", "100000"))
CLIENTS = 8
CSV_ROWS = 1000
ONLY = os.environ.get("BENCH_ONLY", "")


def wait_up(base: str) -> None:
    for _ in range(300):
        try:
            httpx.get(f"{base}/api/profiles", timeout=1)
            return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise RuntimeError(f"{base} did not start")


def big_image(path: Path) -> Path:
    """A photo-like JPEG of about 5 MB (noise compresses badly)."""
    img = Image.frombytes("RGB", (1600, 2400), os.urandom(1600 * 2400 * 3)).resize((1000, 1500))
    img = img.resize((2000, 3000))
    img.save(path, "JPEG", quality=88)
    return path


def run_load(base: str, key: str, mode: str, media_url: str, upload: Path) -> dict:
    """POSTS posts from CLIENTS threads; latencies and throughput."""
    headers = {"Authorization": f"Bearer {key}"}
    latencies: list[float] = []
    errors: list[str] = []
    data = upload.read_bytes()
    http = httpx.Client(timeout=120, limits=httpx.Limits(max_connections=CLIENTS))

    def send(n: int) -> None:
        tag = secrets.token_hex(4)
        t = time.perf_counter()
        try:
            if mode == "json":
                body = {
                    "post": {"body": f"Pin {n} {tag}: a bright kitchen idea", "draft": True},
                    "profiles": ["pinterest"],
                    "media": [media_url],
                    "platforms": {"pinterest": {"title": f"Kitchen idea {n}", "board_id": "Kitchen"}},
                }
                r = http.post(f"{base}/api/posts", json=body, headers=headers)
            else:
                form = {
                    "post[body]": f"Pin {n} {tag}: a bright kitchen idea",
                    "post[draft]": "true",
                    "profiles[]": "pinterest",
                    "platforms[pinterest][title]": f"Kitchen idea {n}",
                    "platforms[pinterest][board_id]": "Kitchen",
                }
                r = http.post(
                    f"{base}/api/posts", data=form, files={"media[]": ("pin.jpg", data, "image/jpeg")}, headers=headers
                )
        except httpx.HTTPError as exc:
            errors.append(type(exc).__name__)
            return
        latencies.append(time.perf_counter() - t)
        if r.status_code not in (200, 201):
            errors.append(f"{r.status_code} {r.text[:160]}")

    with ThreadPoolExecutor(CLIENTS) as pool:  # warm-up: imports, connections, caches
        list(pool.map(send, range(CLIENTS * 2)))
    latencies.clear()
    t0 = time.perf_counter()
    with ThreadPoolExecutor(CLIENTS) as pool:
        list(pool.map(send, range(POSTS)))
    elapsed = time.perf_counter() - t0
    http.close()
    ms = sorted(x * 1000 for x in latencies) or [0.0]
    return {
        "p50": ms[len(ms) // 2],
        "p95": ms[int(len(ms) * 0.95)],
        "rate": len(latencies) / elapsed,
        "errors": errors,
        "load": os.getloadavg(),
    }


def drain(base: str, key: str) -> float:
    """Wait until no post waits for its media check (the pool after the answers); the seconds it took."""
    t = time.perf_counter()
    while time.perf_counter() - t < 600:
        page = httpx.get(
            f"{base}/api/posts",
            params={"status": "pending", "per_page": 1},
            headers={"Authorization": f"Bearer {key}"},
            timeout=60,
        )
        if page.json()["total"] == 0:
            break
        time.sleep(0.2)
    return time.perf_counter() - t


def compare(title: str, studio: dict, reference: dict) -> None:
    print(f"  {title}")
    for name, r in (("pinstudio api", studio), ("reference", reference)):
        errs = f"; errors {len(r['errors'])} {r['errors'][:2]}" if r["errors"] else ""
        load = "/".join(f"{x:.2f}" for x in r["load"])
        print(
            f"    {name:14} p50 {r['p50']:6.0f} ms  p95 {r['p95']:6.0f} ms  {r['rate']:6.1f} posts/s  load {load}{errs}"
        )
    print(
        f"    ratio          p50 {studio['p50'] / reference['p50']:.2f}×  p95 {studio['p95'] / reference['p95']:.2f}×  "
        f"throughput {studio['rate'] / reference['rate']:.2f}×   (targets ≤ 2, ≤ 2.5, ≥ 0.5)"
    )


def seed(db_path: Path, count: int) -> None:
    """`count` more API posts with their drafts, copied from the newest one by bulk SQL (fast, not realistic
    in content: a quarter scheduled, a quarter in review, half drafts, all still open as such posts are; they
    share one media file)."""
    conn = sqlite3.connect(db_path)
    conn.row_factory = sqlite3.Row
    post = dict(conn.execute("select * from api_posts order by created_at desc limit 1").fetchone())
    draft = dict(conn.execute("select * from drafts where id = ?", [post["draft_id"]]).fetchone())
    draft.pop("id")
    draft_cols = list(draft)
    post_cols = list(post)
    start = conn.execute("select coalesce(max(id), 0) from drafts").fetchone()[0] + 1
    drafts, api_posts = [], []
    for n in range(count):
        stamp = f"2026-0{1 + n % 9}-{1 + n % 28:02d}T{n % 24:02d}:00:00+00:00"
        scheduled = f"2027-0{1 + n % 9}-{1 + n % 28:02d}T10:00:00+00:00" if n % 4 == 0 else None
        status = "approved" if scheduled else ("in_review" if n % 4 == 1 else "draft")
        row = draft | {"status": status, "title": f"Seeded {n}", "created_at": stamp, "updated_at": stamp}
        if "scheduled_at" in row:
            row["scheduled_at"] = scheduled
        drafts.append([row[c] for c in draft_cols])
        prow = post | {
            "id": f"post_seed{n:08d}",
            "draft_id": start + n,
            "fingerprint": secrets.token_hex(8),
            "created_at": stamp,
            "updated_at": stamp,
            "scheduled_at": scheduled,
            "open": 1,  # in review or scheduled: open until published and announced, as real posts are
        }
        api_posts.append([prow[c] for c in post_cols])
    with conn:
        conn.executemany(
            f"insert into drafts (id, {', '.join(draft_cols)}) values (?, {', '.join('?' for _ in draft_cols)})",
            [[start + n, *row] for n, row in enumerate(drafts)],
        )
        conn.executemany(
            f"insert into api_posts ({', '.join(post_cols)}) values ({', '.join('?' for _ in post_cols)})", api_posts
        )
    conn.close()


LIST_FILTERS = (
    ("no filter", {}),
    ("status=draft", {"status": "draft"}),
    ("status=scheduled", {"status": "scheduled"}),
    ("scheduled_after", {"scheduled_after": "2027-05-01T00:00:00Z"}),
)


def list_p95(base: str, key: str, p50: dict[str, float] | None = None) -> dict[str, float]:
    """p95 of 40 requests per filter, after 3 untimed ones (a server just started reads its pages cold)."""
    http = httpx.Client(timeout=60, headers={"Authorization": f"Bearer {key}"})
    out = {}
    for name, params in LIST_FILTERS:
        for _ in range(3):
            http.get(f"{base}/api/posts", params={"per_page": 100, **params})
        times = []
        for _ in range(40):
            t = time.perf_counter()
            r = http.get(f"{base}/api/posts", params={"per_page": 100, **params})
            times.append((time.perf_counter() - t) * 1000)
            assert r.status_code == 200, r.text[:200]
        times.sort()
        out[name] = times[int(len(times) * 0.95)]
        if p50 is not None:
            p50[name] = times[len(times) // 2]
    http.close()
    return out


def lists_only(base: str, key: str, url: str, api: subprocess.Popen, port: int, env: dict, data: Path) -> None:
    """BENCH_ONLY=lists: one real post to copy, SEED seeded beside it, then the listings' p95."""
    reply = httpx.post(
        f"{base}/api/posts",
        json={
            "post": {"body": "Seed me", "draft": True},
            "profiles": ["pinterest"],
            "media": [url],
            "platforms": {"pinterest": {"title": "Seed me", "board_id": "Kitchen"}},
        },
        headers={"Authorization": f"Bearer {key}"},
        timeout=60,
    )
    assert reply.status_code == 201, reply.text[:200]
    drain(base, key)
    api.terminate()
    api.wait(timeout=20)
    t = time.perf_counter()
    seed(data / "studio.db", SEED)
    print(f"(seeded {SEED:,} posts in {time.perf_counter() - t:.1f} s)")
    api = subprocess.Popen(
        [sys.executable, "-m", "studio", "api", "--port", str(port)], env=env, cwd=ROOT, stdout=subprocess.DEVNULL
    )
    try:
        wait_up(base)
        medians: dict[str, float] = {}
        figures = list_p95(base, key, medians)
        load = "/".join(f"{x:.2f}" for x in os.getloadavg())
        print(
            f"  GET /api/posts?per_page=100 p95 (p50) at {SEED:,} posts: "
            + ", ".join(f"{name} {ms:.0f} ({medians[name]:.0f}) ms" for name, ms in figures.items())
            + f"  (target ≤ 50 ms; load {load})"
        )
        totals = {}
        for name, params in LIST_FILTERS:
            answer = httpx.get(
                f"{base}/api/posts",
                params={"per_page": 100, **params},
                headers={"Authorization": f"Bearer {key}"},
                timeout=60,
            ).json()
            first = answer["data"][0] if answer["data"] else {}
            totals[name] = f"{answer['total']} ({first.get('id')} {first.get('status')})"
        print("  totals (first id, status): " + "; ".join(f"{name} {t}" for name, t in totals.items()))
    finally:
        api.terminate()
        api.wait(timeout=20)


def bench_csv(tmp: Path, env: dict) -> float:
    """The 1,000-row `import-csv --dry-run`, one image URL a row on a loopback host."""
    cdn = tmp / "csvcdn"
    for n in range(CSV_ROWS):
        make_image(cdn / f"pin{n}.jpg", (1000, 1500), colour=(n % 256, 90, 30))
    with MediaHost(cdn) as host:
        path = tmp / "bulk.csv"
        with path.open("w", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(["Title", "Media URL", "Pinterest board", "Description", "Link"])
            for n in range(CSV_ROWS):
                writer.writerow(
                    [
                        f"Idea {n}",
                        host.url(f"pin{n}.jpg"),
                        "Kitchen",
                        f"A kitchen idea {n}",
                        f"https://example.com/idea-{n}",
                    ]
                )
        t = time.perf_counter()
        profile = ["-m", "cProfile", "-o", os.environ["BENCH_PROFILE"]] if os.environ.get("BENCH_PROFILE") else []
        done = subprocess.run(
            [sys.executable, *profile, "-m", "studio", "import-csv", str(path), "--dry-run", "--json"],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        elapsed = time.perf_counter() - t
    summary = json.loads(done.stdout)["summary"] if done.stdout.strip().startswith("{") else done.stderr[-300:]
    print(f"  import-csv --dry-run, {CSV_ROWS} rows: {elapsed:.2f} s (exit {done.returncode}; {summary})")
    return elapsed


def main() -> None:
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]  # figures as they come
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        data = tmp / "data"
        env = {
            **os.environ,
            "STUDIO_DATA_DIR": str(data),
            "STUDIO_ENV_FILE": "",
            "STUDIO_PUBLISHER": "dry-run",
            "STUDIO_LLM_PROVIDER": "offline",
            "STUDIO_API_RATE_LIMIT": "1000000",
            "STUDIO_API_KEY_QUOTA_MB": "1000000",
            "STUDIO_FETCH_ALLOW_PRIVATE": "true",
            "PYTHONPATH": str(ROOT),
        }
        os.environ.update({k: env[k] for k in ("STUDIO_DATA_DIR", "STUDIO_ENV_FILE", "STUDIO_PUBLISHER")})
        if ONLY == "csv":
            bench_csv(tmp, env)
            return
        store = open_store(data / "studio.db")
        key = create_key(store, "bench", actor=Actor.cli("bench"), scopes=["posts:draft"])["key"]
        store.close()
        make_image(tmp / "cdn" / "pin.jpg", (1000, 1500))
        upload = big_image(tmp / "upload.jpg")
        port, ref_port = free_port(), free_port()
        api = subprocess.Popen(
            [sys.executable, "-m", "studio", "api", "--port", str(port)], env=env, cwd=ROOT, stdout=subprocess.DEVNULL
        )
        ref = subprocess.Popen(
            [sys.executable, str(ROOT / "bench" / "reference_api.py"), str(ref_port), str(tmp / "ref"), key],
            env=env,
            cwd=ROOT,
        )
        base, ref_base = f"http://127.0.0.1:{port}", f"http://127.0.0.1:{ref_port}"
        print(f"POST /api/posts, {CLIENTS} clients, {POSTS} posts a run, draft=true, dry run; {os.cpu_count()} cores")
        try:
            with MediaHost(tmp / "cdn") as host:
                wait_up(base)
                wait_up(ref_base)
                url = host.url("pin.jpg")
                if ONLY == "lists":
                    lists_only(base, key, url, api, port, env, data)
                    return
                for stored in ("0", f"{SEED:,}") if SEED else ("0",):
                    if stored != "0":
                        api.terminate()
                        api.wait(timeout=20)
                        t = time.perf_counter()
                        seed(data / "studio.db", SEED)
                        print(f"(seeded {SEED:,} posts in {time.perf_counter() - t:.1f} s)")
                        api = subprocess.Popen(
                            [sys.executable, "-m", "studio", "api", "--port", str(port)],
                            env=env,
                            cwd=ROOT,
                            stdout=subprocess.DEVNULL,
                        )
                        wait_up(base)
                    print(f"with {stored} posts stored:")
                    for mode, label in (
                        ("json", "JSON, URL media (1000×1500 JPEG)"),
                        ("multipart", "multipart, 5 MB file"),
                    ):
                        reference = run_load(ref_base, key, mode, url, upload)
                        studio = run_load(base, key, mode, url, upload)
                        compare(label, studio, reference)
                        print(f"    (pinstudio's media checks done {drain(base, key):.1f} s after the last answer)")
                    figures = list_p95(base, key)
                    print(
                        "  GET /api/posts?per_page=100 p95: "
                        + ", ".join(f"{name} {ms:.0f} ms" for name, ms in figures.items())
                        + "  (target ≤ 50 ms)"
                    )
        finally:
            for proc in (api, ref):
                proc.terminate()
                proc.wait(timeout=20)
        if os.environ.get("BENCH_CSV", "1") != "0":
            bench_csv(tmp, env)


if __name__ == "__main__":
    main()
