"""Media the API refuses is not kept, `/media/` serves only approved or published pins' media and only when
STUDIO_PUBLIC_BASE_URL is set, and each API key's posts keep at most STUDIO_API_KEY_QUOTA_MB stored."""

from __future__ import annotations

import hashlib
import io
import os
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from PIL import Image

from studio.api import create_key
from studio.api.app import create_app
from studio.drafts import approve
from studio.preferences import load_settings
from studio.services import open_store
from tests.support.people import owner, reviewer

MB = 1024 * 1024


def _noise(size: tuple[int, int], fmt: str, **save) -> bytes:
    """An image of random pixels: it compresses as badly as a photo can, so its size is about what we ask."""
    out = io.BytesIO()
    Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3)).save(out, fmt, **save)
    return out.getvalue()


def _form(title: str, *, draft: bool = True) -> dict[str, str]:
    return {
        "post[body]": title,
        "post[draft]": "true" if draft else "false",
        "profiles[]": "pinterest",
        "platforms[pinterest][title]": title,
        "platforms[pinterest][board_id]": "Ideas",
    }


def _client(**env: str):
    cfg = load_settings(**env)
    with open_store(cfg.db_path) as store:
        key = create_key(store, "media", actor=owner(), scopes=["posts:publish", "webhooks"])["key"]
    client = TestClient(create_app(cfg, start_processor=False))
    client.headers["Authorization"] = f"Bearer {key}"
    return cfg, client


@pytest.fixture
def public(data_dir, monkeypatch):
    monkeypatch.setenv("STUDIO_PUBLIC_BASE_URL", "https://pins.example.com")
    cfg, client = _client()
    with client:
        yield cfg, client


def _stored_files(cfg) -> list[Path]:
    return [p for p in (Path(cfg.data_dir) / "media").rglob("*") if p.is_file()]


def _media_rows(cfg) -> int:
    with open_store(cfg.db_path) as store:
        return len(store.list_media())


def test_a_refused_upload_is_not_kept_nor_served(public):
    cfg, client = public
    huge = _noise((3000, 3000), "PNG", compress_level=0)  # 27 MB: over Pinterest's 20 MB for images
    refused = client.post("/api/posts", data=_form("Too big"), files={"media[]": ("huge.png", huge, "image/png")})
    assert refused.status_code == 422 and refused.json()["code"] == "file_too_large"
    assert _stored_files(cfg) == [] and _media_rows(cfg) == 0
    assert client.get(f"/media/{hashlib.sha256(huge).hexdigest()}.png").status_code == 404


def test_media_kept_for_a_post_refused_later_is_forgotten(host, public):  # host first: fetches may reach it
    cfg, client = public
    refused = client.post(  # the image is fetched and passes its checks; the cover, read after it, is no image
        "/api/posts",
        json={
            "post": {"body": "A broken cover", "draft": True},
            "media": [host.url("p0.jpg")],
            "platforms": {
                "pinterest": {"title": "Cover", "board_id": "Ideas", "cover_file": "data:image/png;base64,AAAA"}
            },
        },
    )
    assert refused.status_code == 422 and refused.json()["code"] == "invalid_cover_file", refused.text
    assert host.hits["p0.jpg"] == 1
    assert _stored_files(cfg) == [] and _media_rows(cfg) == 0
    assert not list((Path(cfg.data_dir) / "cards").glob("*.jpg"))


def test_only_the_media_of_approved_pins_is_served_and_only_with_a_public_base_url(public, data_dir):
    cfg, client = public
    image = _noise((600, 900), "JPEG", quality=90)
    posted = client.post("/api/posts", data=_form("In review"), files={"media[]": ("p.jpg", image, "image/jpeg")})
    assert posted.status_code == 201, posted.text
    url = posted.json()["media"][0]["url"]
    path = "/media/" + url.rsplit("/", 1)[1]
    assert client.get(path, headers={"Authorization": ""}).status_code == 404  # waiting in review: not public
    with open_store(cfg.db_path) as store:
        approve(store, posted.json()["studio"]["draft_id"], actor=reviewer("Ana"))
    served = client.get(path, headers={"Authorization": ""})
    assert served.status_code == 200 and served.content == image
    _cfg, private = _client(public_base_url=None)
    with private:  # the same studio, STUDIO_PUBLIC_BASE_URL unset: nothing is served
        assert private.get(path).status_code == 404


def test_a_keys_posts_keep_at_most_its_storage_quota(data_dir):
    cfg, client = _client(api_key_quota_mb=1)
    first_image, second_image = (_noise((600, 900), "JPEG", quality=95) for _ in range(2))
    assert 0.5 * MB < len(first_image) < MB and 0.5 * MB < len(second_image) < MB
    with client:
        first = client.post("/api/posts", data=_form("First"), files={"media[]": ("a.jpg", first_image, "image/jpeg")})
        assert first.status_code == 201, first.text
        second = _form("Second")
        over = client.post("/api/posts", data=second, files={"media[]": ("b.jpg", second_image, "image/jpeg")})
        assert over.status_code == 413 and over.json()["code"] == "storage_quota_exceeded"
        assert "STUDIO_API_KEY_QUOTA_MB" in over.json()["fix"] and _media_rows(cfg) == 1
        assert client.delete(f"/api/posts/{first.json()['id']}").status_code == 200
        again = client.post("/api/posts", data=second, files={"media[]": ("b.jpg", second_image, "image/jpeg")})
        assert again.status_code == 201, again.text
