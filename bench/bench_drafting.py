"""Drafting benchmark: 100 drafts against a local OpenAI-compatible server that answers after 200 ms.

Prints the batch time against the ideal (100 × 0.2 s / concurrency), the ratio to drafting one by
one, and the time of cached re-drafts. Run: `.venv/bin/python bench/bench_drafting.py`.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import openai
from PIL import Image

from studio.drafting.batch import BatchItem, draft_batch
from studio.drafting.openai_compat import OpenAIDrafter
from studio.drafting.service import DraftingService
from studio.media.assets import ingest_path
from studio.services import open_store
from tests.fakes.openai_server import FakeOpenAIServer

N = 100
LATENCY_S = 0.2
CONCURRENCY = 8
SERIAL_SAMPLE = 10  # drafting one by one is slow: time 10 and scale


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp, FakeOpenAIServer(latency_s=LATENCY_S) as server:
        data_dir = Path(tmp)
        store = open_store(data_dir / "studio.db")
        media = []
        for i in range(N):
            path = data_dir / f"in{i}.png"
            Image.new("RGB", (200, 300), (i, 255 - i, 90)).save(path)
            media.append(ingest_path(store, data_dir, path)[0])
        client = openai.OpenAI(api_key="sk-bench", base_url=server.base_url, timeout=10, max_retries=0)
        service = DraftingService(store, OpenAIDrafter(client, "bench-model"), data_dir=data_dir)
        items = [BatchItem(media_id=m.id, topic=f"Pin {i}", keywords="autumn soup recipe") for i, m in enumerate(media)]

        started = time.perf_counter()
        report = draft_batch(service, items, concurrency=CONCURRENCY)
        batch_s = time.perf_counter() - started
        ideal = N * LATENCY_S / CONCURRENCY
        assert report.saved == N, report.outcomes[:3]

        started = time.perf_counter()
        for item in items[:SERIAL_SAMPLE]:
            service.draft(media_id=item.media_id, topic=item.topic, keywords=item.keywords, fresh=True)
        serial_s = (time.perf_counter() - started) * N / SERIAL_SAMPLE

        timings = []
        for item in items:
            t0 = time.perf_counter()
            result = service.draft(media_id=item.media_id, topic=item.topic, keywords=item.keywords)
            timings.append((time.perf_counter() - t0) * 1000)
            assert result.cached
        timings.sort()
        print(f"batch: {N} drafts, concurrency {CONCURRENCY}, server latency {LATENCY_S * 1000:.0f} ms")
        print(
            f"  batch time {batch_s:.2f} s; ideal {ideal:.2f} s; ratio to ideal {batch_s / ideal:.2f}× (target ≤ 1.3×)"
        )
        print(
            f"  one by one (extrapolated from {SERIAL_SAMPLE}): {serial_s:.1f} s; "
            f"batch is {serial_s / batch_s:.1f}× faster"
        )
        print(
            f"  cached re-drafts: median {timings[len(timings) // 2]:.2f} ms, "
            f"p95 {timings[int(len(timings) * 0.95)]:.2f} ms, "
            f"max {timings[-1]:.2f} ms (target < 5 ms)"
        )
        store.close()


if __name__ == "__main__":
    main()
