"""Settings → Test connection: the configured OpenAI key only ever goes to the configured base URL."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from studio.drafting import check_connection
from studio.preferences import load_settings

ROOT = Path(__file__).resolve().parents[2]
CONFIGURED_KEY = "sk-configured-secret-key-1234"


@pytest.fixture
def recorder():
    """An OpenAI-compatible /models endpoint on loopback that records every Authorization header."""
    seen: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            seen.append(self.headers.get("Authorization", ""))
            body = json.dumps({"object": "list", "data": [{"id": "m1", "object": "model", "created": 0,
                                                          "owned_by": "x"}]}).encode()  # fmt: skip
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/v1", seen
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def configured(monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", CONFIGURED_KEY)
    monkeypatch.setenv("OPENAI_BASE_URL", "https://llm.example.invalid/v1")
    monkeypatch.setenv("STUDIO_LLM_PROVIDER", "openai")
    monkeypatch.setenv("STUDIO_LLM_MODEL", "m1")
    monkeypatch.setenv("STUDIO_LLM_RETRIES", "0")


def test_a_typed_url_on_the_settings_page_never_receives_the_configured_key(recorder, configured, allow_private_fetch):
    url, seen = recorder
    at = AppTest.from_file(str(ROOT / "pages" / "settings.py"), default_timeout=30).run()
    at.text_input(key="llm_base_url").input(url).run()
    at.button(key="test_connection").click().run()
    assert not at.exception and "model 'm1' is available" in at.success[0].value
    assert seen and all(CONFIGURED_KEY not in header for header in seen)
    at.text_input(key="llm_test_key").input("sk-typed-for-this-test").run()
    at.button(key="test_connection").click().run()
    assert seen[-1] == "Bearer sk-typed-for-this-test"


def test_the_configured_url_gets_the_configured_key(recorder, monkeypatch, configured):
    url, seen = recorder
    monkeypatch.setenv("OPENAI_BASE_URL", url)
    assert "available" in check_connection(load_settings(), base_url=url + "/")
    assert seen == [f"Bearer {CONFIGURED_KEY}"]
