"""Webhook URLs are typed by API users: deliveries go through the same SSRF guard as media links."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from studio.api.processor import Processor
from studio.netguard import AddressRefused
from studio.secrets import vault_for


def test_a_webhook_aimed_at_an_internal_service_is_refused(settings, monkeypatch):
    hits: list[str] = []

    class Internal(BaseHTTPRequestHandler):
        def do_POST(self):
            hits.append(self.path)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Internal)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        monkeypatch.setenv("STUDIO_FETCH_ALLOW_PRIVATE", "false")
        processor = Processor(settings, vault_for(settings))
        with pytest.raises(AddressRefused):
            processor.http.post(f"http://127.0.0.1:{server.server_port}/admin", json={"event": "post.processed"})
        assert hits == []  # the internal service never saw the request
        monkeypatch.setenv("STUDIO_FETCH_ALLOW_PRIVATE", "true")  # media (and hooks) on your own network
        allowed = Processor(settings, vault_for(settings))
        assert allowed.http.post(f"http://127.0.0.1:{server.server_port}/hook", json={}).status_code == 200
        assert hits == ["/hook"]
    finally:
        server.shutdown()
