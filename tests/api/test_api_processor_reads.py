"""The API's processor runs a pass after every create: each of its reads of `api_posts` must go through the
open-posts index (`m007`), never over every post in the studio: at 100,000 posts in Review a scan per create
made posting several times slower (bench_api_load.py)."""

from studio.api.processor import advance_approved, announce, retry_waiting, run_queued
from studio.preferences import load_settings
from studio.publishing.dry_run import DryRunPublisher
from studio.services import open_store


def test_every_processor_read_of_posts_uses_the_open_posts_index(tmp_path):
    cfg = load_settings(STUDIO_DATA_DIR=str(tmp_path))
    store = open_store(cfg.db_path)
    try:
        statements: list[str] = []
        store.db.conn.set_trace_callback(statements.append)
        advance_approved(store, cfg, "dry-run")
        run_queued(store, lambda job: DryRunPublisher())
        announce(store)
        retry_waiting(store, lambda job: DryRunPublisher())
        store.db.conn.set_trace_callback(None)
        reads = [s for s in statements if s.lstrip().lower().startswith("select") and "from api_posts" in s]
        assert len(reads) == 4, reads  # one per step
        for sql in reads:
            plan = " ".join(row[3] for row in store.db.execute("explain query plan " + sql).fetchall())
            assert "USING INDEX api_posts_open_status" in plan, (sql, plan)
    finally:
        store.close()
