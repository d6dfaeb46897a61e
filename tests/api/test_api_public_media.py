"""STUDIO_PUBLIC_BASE_URL: the API server serves stored media read-only, so a bulk CSV export of pins
whose media was uploaded from a computer gets public URLs; without it, the export says why and what works."""

from __future__ import annotations

import httpx
import pytest

from studio.bulk import export_pinterest_csv
from studio.drafts import approve, save_draft
from studio.media import ingest_path
from studio.preferences import load_settings
from studio.services import open_store
from tests.support.api import Api, start_api
from tests.support.media import make_image
from tests.support.people import editor, reviewer


def _uploaded_pin(store, data_dir, tmp_path) -> int:
    asset, _ = ingest_path(store, data_dir, make_image(tmp_path / "desk.jpg", (1000, 1500)))
    draft = save_draft(store, None, {"media_id": asset.id, "title": "Desk setup", "board": "Office"}, actor=editor())
    approve(store, draft.id, actor=reviewer("Ana"))
    return draft.id


def test_export_says_why_uploaded_media_needs_a_public_url(store, data_dir, tmp_path):
    draft_id = _uploaded_pin(store, data_dir, tmp_path)
    result = export_pinterest_csv(store)
    assert result.rows == 0 and result.skipped[0]["draft_id"] == draft_id
    help_text = " ".join(result.warnings)
    assert "downloads each pin's image or video from a public web address" in help_text
    assert "STUDIO_PUBLIC_BASE_URL" in help_text and "publish those pins through the studio" in help_text


@pytest.fixture
def public_api(data_dir, monkeypatch):
    """The API with STUDIO_PUBLIC_BASE_URL set: it serves the media of approved and published pins."""
    monkeypatch.setenv("STUDIO_PUBLIC_BASE_URL", "https://pins.example.com")
    server, key, app = start_api(load_settings())
    try:
        yield Api(server, key, app)
    finally:
        server.stop()


def test_with_a_public_base_url_the_csv_links_media_the_api_serves(public_api, tmp_path):
    api, api_settings = public_api, public_api.app.state.api.settings
    store = open_store(api_settings.db_path)
    try:
        _uploaded_pin(store, api_settings.data_dir, tmp_path)
        result = export_pinterest_csv(store, public_base_url=api.url + "/")
        stored = store.list_media()[0]
    finally:
        store.close()
    assert result.rows == 1 and not result.skipped
    url = f"{api.url}/media/{stored.sha256}.jpg"
    assert url in result.texts[0]
    served = httpx.get(url)  # public: no API key, as Pinterest fetches it
    assert served.status_code == 200 and served.content == (api_settings.data_dir / stored.path).read_bytes()
    for bad in ("0" * 64 + ".jpg", "..%2Fstudio.db", "studio.db"):
        assert httpx.get(f"{api.url}/media/{bad}").status_code == 404
    assert httpx.post(url).status_code == 405  # read-only
