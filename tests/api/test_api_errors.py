"""Every refusal is answered the same way: the studio error's status, `{error, code, fix}`, and the API's own
headers (WWW-Authenticate on 401, Retry-After on 429)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from studio.api import create_key
from studio.api.app import create_app
from studio.preferences import load_settings
from studio.services import open_store
from tests.support.people import owner


@pytest.fixture
def client(data_dir):
    cfg = load_settings(api_rate_limit=5)
    with open_store(cfg.db_path) as store:
        key = create_key(store, "errors", actor=owner())["key"]
    with TestClient(create_app(cfg, start_processor=False)) as http:
        http.headers["Authorization"] = f"Bearer {key}"
        yield http


def test_a_missing_or_wrong_key_is_401_asking_for_a_bearer_key(client):
    for authorization in ("", "Bearer not-a-key"):
        refused = client.get("/api/profiles", headers={"Authorization": authorization})
        assert refused.status_code == 401 and refused.headers["WWW-Authenticate"] == "Bearer"
        assert refused.json() == {"error": "Missing or wrong API key.", "code": "unauthorized", "fix": ""}


def test_unknown_things_are_404_and_bad_input_422_in_the_same_shape(client):
    profile = client.get("/api/profiles/prof_nope")
    post = client.get("/api/posts/post_nope")
    media = client.get("/media/" + "a" * 64 + ".jpg")
    not_json = client.post("/api/posts", content=b"{oops", headers={"content-type": "application/json"})
    assert [r.status_code for r in (profile, post, media, not_json)] == [404, 404, 404, 422]
    assert profile.json() == {"error": "There is no profile prof_nope.", "code": "not_found", "fix": ""}
    assert post.json()["code"] == "not_found" and post.json()["fix"]
    assert not_json.json() == {"error": "The body is not valid JSON.", "code": "invalid_json", "fix": ""}


def test_too_many_requests_is_429_with_the_wait(client):
    answers = [client.get("/api/profiles") for _ in range(6)]
    assert [r.status_code for r in answers] == [200] * 5 + [429]
    assert answers[-1].json()["code"] == "rate_limited" and int(answers[-1].headers["Retry-After"]) >= 1
