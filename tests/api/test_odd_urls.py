"""A link urllib can't even split ("http://[::1") is a clear 422 wherever the API takes one, never a 500; the
media fetch refuses it with its own message."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from studio.api import create_key
from studio.api.app import create_app
from studio.errors import MediaError
from studio.media import default_client, fetch_url
from studio.preferences import load_settings
from studio.services import open_store
from tests.support.people import owner

BROKEN = "http://[::1"


@pytest.fixture
def client(data_dir):
    cfg = load_settings()
    with open_store(cfg.db_path) as store:
        key = create_key(store, "odd", actor=owner(), scopes=["posts:publish", "webhooks"])["key"]
    with TestClient(create_app(cfg, start_processor=False), raise_server_exceptions=False) as http:
        http.headers["Authorization"] = f"Bearer {key}"
        yield http


def _post(**pinterest) -> dict:
    media = pinterest.pop("media", "https://example.com/pin.mp4")
    return {
        "post": {"body": "Odd", "draft": True},
        "media": [media],
        "platforms": {"pinterest": {"title": "Odd", "board_id": "Ideas", **pinterest}},
    }


def test_a_link_that_cannot_be_split_is_a_422_naming_it(client):
    for body in (_post(media=BROKEN), _post(destination_link=BROKEN), _post(cover_url=BROKEN)):
        answer = client.post("/api/posts", json=body)
        assert answer.status_code == 422, answer.text
        assert "is not a valid web address" in answer.json()["error"] and "[::1" in answer.json()["error"]
    form = {"post[body]": "Odd", "media[]": BROKEN, "platforms[pinterest][title]": "Odd"}
    answer = client.post("/api/posts", data=form, files={"unused": ("x.txt", b"", "text/plain")})
    assert answer.status_code == 422 and "is not a valid web address" in answer.json()["error"]
    hook = client.post("/api/webhooks", json={"url": BROKEN, "events": ["*"]})
    assert hook.status_code == 422 and hook.json()["code"] == "invalid_url"


def test_the_media_fetch_refuses_such_a_link(data_dir, allow_private_fetch):
    with pytest.raises(MediaError) as refused:
        fetch_url(BROKEN, data_dir, http=default_client())
    assert refused.value.code == "download_failed" and "not a valid web address" in refused.value.message
