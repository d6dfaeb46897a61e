"""The drafting service: call log, request-hash cache, alternatives, landing pages and batches."""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import openai
import pytest

from studio.drafting.batch import BatchItem, draft_batch
from studio.drafting.landing import LandingFetcher, parse_head
from studio.drafting.offline import OfflineDrafter
from studio.drafting.openai_compat import OpenAIDrafter
from studio.drafting.service import DraftingService
from studio.errors import DraftingError
from studio.media.assets import ingest_image
from tests.fakes.openai_server import DEFAULT_REPLY
from tests.support.people import editor

# loopback test servers stand in for public hosts
pytestmark = pytest.mark.usefixtures("allow_private_fetch")


def service_for(store, server, data_dir, *, latency: float = 0.0, landing=None) -> DraftingService:
    server.latency_s = latency
    client = openai.OpenAI(api_key="sk-test", base_url=server.base_url, timeout=5, max_retries=0)
    return DraftingService(store, OpenAIDrafter(client, "fake-text-model"), data_dir=data_dir, landing=landing)


@pytest.fixture
def media(store, data_dir, make_image):
    return [ingest_image(store, data_dir, make_image(color=(i * 20, 90, 40)), f"pin{i}.jpg")[0] for i in range(6)]


def test_calls_are_logged_and_identical_requests_are_cached(store, server, data_dir, media):
    svc = service_for(store, server, data_dir)
    first = svc.draft(media_id=media[0].id, topic="Autumn soup", keywords="autumn soup recipe")
    assert not first.cached and first.output.title == DEFAULT_REPLY["title"]
    started = time.perf_counter()
    again = svc.draft(media_id=media[0].id, topic="Autumn soup", keywords="autumn soup recipe")
    assert again.cached and again.output.title == first.output.title and again.call_id == first.call_id
    assert time.perf_counter() - started < 0.05
    assert len(server.requests) == 1  # the model was not asked twice
    fresh = svc.draft(media_id=media[0].id, topic="Autumn soup", keywords="autumn soup recipe", fresh=True)
    assert not fresh.cached and len(server.requests) == 2
    row = svc.log.get(first.call_id)
    assert row["provider"] == "openai" and row["model"] == "fake-text-model"
    assert row["prompt_tokens"] == 120 and row["completion_tokens"] == 60 and row["latency_ms"] > 0
    assert "Autumn soup" in row["prompt"][1]["content"] and DEFAULT_REPLY["title"] in row["response"]
    assert any(r["rule"] == "title_keyword" for r in first.lint)


def test_failures_are_logged_and_raise(store, server, data_dir, media):
    svc = service_for(store, server, data_dir)
    server.mode = "429"
    with pytest.raises(DraftingError):
        svc.draft(media_id=media[0].id, topic="Soup")
    row = svc.log.recent(1)[0]
    assert "429" in row["error"] and row["output"] is None
    server.mode = "schema"  # an error is never served from the cache
    assert not svc.draft(media_id=media[0].id, topic="Soup").cached


def test_log_is_viewable_per_draft_after_save(store, server, data_dir, media):
    svc = service_for(store, server, data_dir)
    result = svc.draft(media_id=media[0].id, topic="Soup", keywords="soup")
    draft = svc.save(result, topic="Soup", media_id=media[0].id, actor=editor())
    calls = svc.log.for_draft(draft.id)
    assert [c["id"] for c in calls] == [result.call_id]
    assert draft.provider == "openai" and draft.model == "fake-text-model"


def test_alternatives_are_different_requests_made_concurrently(store, server, data_dir, media):
    svc = service_for(store, server, data_dir, latency=0.2)
    started = time.perf_counter()
    results = svc.alternatives(3, media_id=media[0].id, topic="Soup", field="title", current={"title": "Old"})
    assert len(results) == 3 and time.perf_counter() - started < 0.55
    prompts = [r["messages"][1]["content"] for r in server.requests]
    assert len(set(prompts)) == 3 and all("Rewrite only the title" in p for p in prompts)


def test_offline_drafter_through_the_service_says_template(store, data_dir, media):
    svc = DraftingService(store, OfflineDrafter(), data_dir=data_dir)
    result = svc.draft(media_id=media[0].id, topic="Cosy autumn soup", keywords="autumn soup")
    assert result.output.provider == "offline" and result.output.title


def test_batch_saves_each_result_and_survives_one_failure(store, server, data_dir, media):
    svc = service_for(store, server, data_dir, latency=0.05)
    server.script = ["schema", "schema", "500"]  # the third request fails
    seen: list[tuple[int, int]] = []
    items = [BatchItem(media_id=m.id, topic=f"Soup {i}", keywords="soup") for i, m in enumerate(media)]
    report = draft_batch(svc, items, concurrency=3, on_progress=lambda d, t, o: seen.append((d, t)), actor=editor())
    assert report.saved == 5 and report.failed == 1 and report.cancelled == 0
    assert seen[-1] == (6, 6) and [d for d, _ in seen] == list(range(1, 7))
    failure = next(o for o in report.outcomes if not o.ok)
    assert "internal error" in failure.error
    assert len(store.list_drafts()) == 5


def test_batch_cancel_stops_what_has_not_started(store, server, data_dir, media):
    svc = service_for(store, server, data_dir, latency=0.1)
    cancel = threading.Event()
    items = [BatchItem(media_id=m.id, topic=f"Cancel {i}") for i, m in enumerate(media)]
    report = draft_batch(svc, items, concurrency=1, cancel=cancel, on_progress=lambda *a: cancel.set(), actor=editor())
    assert report.saved >= 1 and report.cancelled >= 3
    assert len(store.list_drafts()) == report.saved


class _Page(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        if self.path == "/slow":
            time.sleep(1.0)
        body = (
            b"<html><head><title>Squash &amp; Soup Shop</title>"
            b'<meta name="description" content="Soups for every season."></head><body>'
            + b"x" * 500_000
            + b"</body></html>"
        )
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass


@pytest.fixture
def page_server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Page)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_landing_page_title_and_description_reach_the_prompt(store, server, data_dir, media, page_server):
    with httpx.Client() as http:
        fetcher = LandingFetcher(http, timeout_s=0.3)
        assert fetcher.fetch(page_server + "/slow") == {}  # too slow: drafting goes on without it
        svc = service_for(store, server, data_dir, landing=fetcher)
        svc.draft(media_id=media[0].id, topic="Soup", link=page_server + "/soup")
    user = server.requests[-1]["messages"][1]["content"]
    assert "Squash & Soup Shop" in user and "Soups for every season." in user


def test_parse_head_reads_og_tags():
    assert parse_head('<meta property="og:title" content="T"><meta property="og:description" content="D">') == {
        "title": "T",
        "description": "D",
    }


def test_batch_interrupted_by_its_progress_callback_saves_what_finished_then_reraises(store, server, data_dir, media):
    svc = service_for(store, server, data_dir, latency=0.1)
    items = [BatchItem(media_id=m.id, topic=f"Stop {i}") for i, m in enumerate(media)]

    def stop(done, total, outcome):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        draft_batch(svc, items, concurrency=2, on_progress=stop, actor=editor())
    asked = len(server.requests)
    time.sleep(0.3)
    assert len(server.requests) == asked < len(items)  # nothing starts after the interruption
    assert len(store.list_drafts()) == asked  # and every answer that was paid for is saved


def test_drafting_migrations_apply_on_a_blank_db_and_twice_is_a_no_op():
    from studio.services import MIGRATIONS
    from studio.storage import Store, migrate

    store = Store.memory(migrations=MIGRATIONS)
    tables = set(store.db.table_names())
    assert {"llm_calls", "experiments", "experiment_runs"} <= tables
    migrate(store.db, MIGRATIONS)
    assert set(store.db.table_names()) == tables


def test_offline_alternatives_differ_and_stay_deterministic(store, data_dir, media):
    svc = DraftingService(store, OfflineDrafter(), data_dir=data_dir)
    titles = [r.output.title for r in svc.alternatives(3, media_id=media[0].id, topic="Cosy soup", keywords="soup")]
    assert len(set(titles)) == 3
    again = [
        r.output.title
        for r in svc.alternatives(3, media_id=media[0].id, topic="Cosy soup", keywords="soup", fresh=True)
    ]
    assert again == titles


def test_video_alt_text_sees_a_frame(store, server, data_dir, tmp_path):
    import subprocess

    import imageio_ffmpeg

    from studio.media.assets import ingest_path

    video = tmp_path / "clip.mp4"
    subprocess.run(
        [
            imageio_ffmpeg.get_ffmpeg_exe(),
            "-hide_banner",
            "-loglevel",
            "error",
            "-f",
            "lavfi",
            "-i",
            "testsrc=size=160x240:rate=5",
            "-t",
            "5",
            "-pix_fmt",
            "yuv420p",
            "-c:v",
            "libx264",
            str(video),
        ],
        check=True,
        timeout=60,
    )
    asset, _ = ingest_path(store, data_dir, video)
    client = openai.OpenAI(api_key="sk-test", base_url=server.base_url, timeout=5, max_retries=0)
    svc = DraftingService(store, OpenAIDrafter(client, "gpt-4o-mini"), data_dir=data_dir)
    svc.draft(media_id=asset.id, topic="Test pattern")
    parts = server.requests[-1]["messages"][1]["content"]
    assert any(p["type"] == "image_url" and p["image_url"]["url"].startswith("data:image/jpeg") for p in parts)
    assert '"kind": "video"' in parts[0]["text"]
