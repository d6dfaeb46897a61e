import subprocess
import sys
import time

import sqlite_utils

from studio.services import MIGRATIONS, open_store
from studio.storage import Store, migrations
from tests.support.people import editor


def test_blank_database_gets_the_schema(tmp_path):
    store = open_store(tmp_path / "s.db")
    tables = set(store.db.table_names())
    assert {"media", "drafts", "events", "publish_jobs", "_sqlite_migrations"} <= tables
    assert {"title", "description", "alt_text", "link", "board", "status", "version"} <= set(
        store.db["drafts"].columns_dict
    )
    assert store.db.journal_mode == "wal"


def test_migrating_twice_is_a_no_op(tmp_path):
    path = tmp_path / "s.db"
    open_store(path).close()
    db = sqlite_utils.Database(path)
    applied = db["_sqlite_migrations"].count
    schema = db.schema
    Store(db, MIGRATIONS)  # opening again applies nothing new
    assert db["_sqlite_migrations"].count == applied
    assert db.schema == schema
    assert migrations.pending(db) == []


def test_a_draft_survives_reopening(tmp_path):
    path = tmp_path / "s.db"
    store = open_store(path)
    draft = store.create_draft(title="Autumn soup", description="Warm and easy.", actor=editor("ana"))
    store.close()
    again = open_store(path)
    kept = again.get_draft(draft.id)
    assert kept.title == "Autumn soup" and kept.description == "Warm and easy."
    assert [e.action for e in again.events(draft.id)] == ["created"]


def test_media_is_unique_by_hash(store):
    store.add_media(sha256="abc", kind="image", path="media/ab/abc.jpg", bytes=3)
    assert store.media_by_sha("abc").path == "media/ab/abc.jpg"
    assert store.media_by_sha("nope") is None


def test_processes_opening_a_fresh_database_at_once_all_get_it_migrated(tmp_path):
    """`make run` starts the studio, the API and the worker together on a new data dir: each opens the
    store at the same moment, and none may crash on a half-made migrations table."""
    path = tmp_path / "studio.db"
    script = (
        "import sys, time; from studio.services import open_store\n"
        "start = float(sys.argv[2])\n"
        "while time.time() < start: pass\n"
        "open_store(sys.argv[1]).close()\n"
    )
    start = str(time.time() + 1.5)
    procs = [
        subprocess.Popen([sys.executable, "-c", script, str(path), start], stderr=subprocess.PIPE, text=True)
        for _ in range(6)
    ]
    errors = [p.communicate(timeout=60)[1] for p in procs]
    assert [p.returncode for p in procs] == [0] * 6, "\n".join(errors)
    store = open_store(path)
    try:
        assert "drafts" in store.db.table_names()
    finally:
        store.close()
