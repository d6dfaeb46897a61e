"""The data dir holds every draft, API key hashes and encrypted tokens: only the studio's user may read it
(0700), and the database and stored media are 0600, also when an older studio left them readable."""

from __future__ import annotations

import stat

from studio.media import ingest_path
from studio.services import open_store
from tests.support.media import make_image


def _mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_database_and_media_are_for_the_studios_user_alone(tmp_path):
    data_dir = tmp_path / "data"
    store = open_store(data_dir / "studio.db")
    try:
        asset, _ = ingest_path(store, data_dir, make_image(tmp_path / "desk.jpg", (600, 900)))
        assert _mode(data_dir / "studio.db-wal") == 0o600  # while it is open (SQLite removes it on close)
    finally:
        store.close()
    assert _mode(data_dir) == 0o700 and _mode(data_dir / "studio.db") == 0o600
    assert _mode(data_dir / asset.path) == 0o600


def test_a_data_dir_an_older_studio_left_open_is_tightened(tmp_path):
    data_dir = tmp_path / "data"
    open_store(data_dir / "studio.db").close()
    data_dir.chmod(0o755)
    (data_dir / "studio.db").chmod(0o644)
    open_store(data_dir / "studio.db").close()
    assert _mode(data_dir) == 0o700 and _mode(data_dir / "studio.db") == 0o600
