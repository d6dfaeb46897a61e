"""One client must not hurt the others: the API checks the key before it reads a body, caps bodies and JSON
depth, and shows its OpenAPI only with a key (no docs pages that load scripts from a CDN)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator

import httpx
import pytest
from fastapi.testclient import TestClient

from studio.api import create_key
from studio.api.app import create_app
from studio.preferences import load_settings
from studio.services import open_store
from tests.support.env import ROOT
from tests.support.people import owner
from tests.support.processes import free_port, status_kb

MB = 1024 * 1024


@pytest.fixture
def client(data_dir):
    cfg = load_settings()
    with open_store(cfg.db_path) as store:
        key = create_key(store, "limits", actor=owner(), scopes=["posts:publish", "webhooks"])["key"]
    with TestClient(create_app(cfg, start_processor=False)) as http:
        http.headers["Authorization"] = f"Bearer {key}"
        yield http


@pytest.fixture
def api_process(data_dir):
    """`pinstudio api` in a process of its own, so its memory can be read: (base URL, pid)."""
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "STUDIO_DATA_DIR": str(data_dir)}
    server = subprocess.Popen(
        [sys.executable, "-m", "studio", "api", "--port", str(port)], env=env, cwd=ROOT, stdout=subprocess.DEVNULL
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                httpx.get(f"{base}/api/profiles", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        yield base, server.pid
    finally:
        server.terminate()
        server.wait(timeout=15)


def _zeros(total: int) -> Iterator[bytes]:
    chunk = b"0" * MB
    for _ in range(total // MB):
        yield chunk


def test_a_large_body_without_a_key_is_refused_before_it_is_read(api_process):
    base, pid = api_process
    httpx.post(f"{base}/api/webhooks", json={"url": "https://example.com", "events": ["*"]}, timeout=10)
    before = status_kb(pid, "VmHWM")
    answers = []
    for headers in ({"Content-Type": "application/json"}, {"Content-Length": str(200 * MB)}):
        try:  # streamed: the client holds 1 MB at a time, with and without a declared length
            answers.append(httpx.post(f"{base}/api/webhooks", content=_zeros(200 * MB), headers=headers, timeout=60))
        except httpx.TransportError:
            answers.append(None)  # the server answered 401 and closed while the client was still sending
    grown_mb = (status_kb(pid, "VmHWM") - before) / 1024
    assert grown_mb < 50, f"the server's peak RSS grew by {grown_mb:.0f} MB for bodies nobody authenticated"
    for answer in [a for a in answers if a is not None]:
        assert answer.status_code == 401 and answer.json()["code"] == "unauthorized"
    small = httpx.post(f"{base}/api/webhooks", content=b"{}", timeout=10)
    assert small.status_code == 401 and small.headers["WWW-Authenticate"] == "Bearer"


def test_a_json_body_over_the_cap_is_413_in_the_studio_shape(client):
    payload = b'{"url": "https://example.com/hook", "events": ["*"], "description": "' + b"x" * (MB + 10) + b'"}'
    declared = client.post("/api/webhooks", content=payload, headers={"Content-Type": "application/json"})
    streamed = client.post("/api/posts", content=iter([payload[:MB], payload[MB:]]))  # no Content-Length
    for answer in (declared, streamed):
        assert answer.status_code == 413
        assert answer.json()["code"] == "body_too_large" and "STUDIO_API_MAX_JSON_KB" in answer.json()["fix"]
    fine = client.post("/api/webhooks", json={"url": "https://example.com/hook", "events": ["*"]})
    assert fine.status_code == 201


def test_deeply_nested_json_is_a_clear_422_not_a_500(client):
    deep = "[" * 5000 + "]" * 5000
    body = '{"url": "https://example.com/hook", "events": ["*"], "description": ' + deep + "}"
    for path in ("/api/webhooks", "/api/posts"):
        answer = client.post(path, content=body.encode(), headers={"Content-Type": "application/json"})
        assert answer.status_code == 422 and answer.json()["code"] == "json_too_deep", answer.text
    brackets_in_text = {"url": "https://example.com/hook", "events": ["*"], "description": "[" * 200}
    assert client.post("/api/webhooks", json=brackets_in_text).status_code == 201


def test_the_openapi_needs_a_key_and_no_docs_page_loads_a_cdn(client):
    assert client.get("/openapi.json").json()["info"]["title"] == "Pinstudio API"
    refused = client.get("/openapi.json", headers={"Authorization": ""})
    assert refused.status_code == 401 and refused.json()["code"] == "unauthorized"
    for page in ("/docs", "/redoc", "/docs/oauth2-redirect"):
        assert client.get(page, headers={"Authorization": ""}).status_code == 404
        assert client.get(page).status_code == 404
