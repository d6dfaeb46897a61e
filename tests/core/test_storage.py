import sqlite_utils

from studio.storage import Store, migrations


def test_blank_database_gets_the_schema(tmp_path):
    store = Store.open(tmp_path / "s.db")
    tables = set(store.db.table_names())
    assert {"media", "drafts", "events", "publish_jobs", "_sqlite_migrations"} <= tables
    assert {"title", "description", "alt_text", "link", "board", "status", "version"} <= set(
        store.db["drafts"].columns_dict
    )
    assert store.db.journal_mode == "wal"


def test_migrating_twice_is_a_no_op(tmp_path):
    path = tmp_path / "s.db"
    Store.open(path).close()
    db = sqlite_utils.Database(path)
    applied = db["_sqlite_migrations"].count
    schema = db.schema
    Store(db)  # opening again applies nothing new
    assert db["_sqlite_migrations"].count == applied
    assert db.schema == schema
    assert migrations.pending(db) == []


def test_a_draft_survives_reopening(tmp_path):
    path = tmp_path / "s.db"
    store = Store.open(path)
    draft = store.create_draft(title="Autumn soup", description="Warm and easy.", actor="ana")
    store.close()
    again = Store.open(path)
    kept = again.get_draft(draft.id)
    assert kept.title == "Autumn soup" and kept.description == "Warm and easy."
    assert [e.action for e in again.events(draft.id)] == ["created"]


def test_media_is_unique_by_hash(store):
    store.add_media(sha256="abc", kind="image", path="media/ab/abc.jpg", bytes=3)
    assert store.media_by_sha("abc").path == "media/ab/abc.jpg"
    assert store.media_by_sha("nope") is None
