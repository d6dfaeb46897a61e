"""A webhook receiver can't hurt the API or the other receivers: its answer is never decompressed nor read
past the headers, a delivery ends by its deadline, and deliveries run on a small pool, one in flight per hook."""

from __future__ import annotations

import os
import socketserver
import subprocess
import sys
import threading
import time
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import pytest

from studio.api import webhooks
from studio.api.processor import Processor
from studio.secrets import vault_for
from studio.services import open_store
from tests.support.api import wait_for
from tests.support.env import ROOT
from tests.support.people import owner

MB = 1024 * 1024


def _gzip_of_zeros(size: int) -> bytes:
    packer = zlib.compressobj(1, zlib.DEFLATED, 31)
    zeros = bytes(MB)
    return b"".join([*(packer.compress(zeros) for _ in range(size // MB)), packer.flush()])


class _Server:
    """A loopback HTTP server for one handler class; `url`, and `close()`."""

    def __init__(self, handler: type[socketserver.BaseRequestHandler]) -> None:
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)  # type: ignore[arg-type]
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def gzip_bomb():
    """A receiver that answers every delivery with 1 MB of gzip that inflates to 256 MB."""
    bomb = _gzip_of_zeros(256 * MB)

    class Bomb(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers["Content-Length"]))
            self.send_response(200)
            self.send_header("Content-Encoding", "gzip")  # whatever Accept-Encoding said
            self.send_header("Content-Length", str(len(bomb)))
            self.end_headers()
            try:
                self.wfile.write(bomb)
            except OSError:
                pass  # the API hung up without reading it: the point

        def log_message(self, *args) -> None:
            pass

    server = _Server(Bomb)
    yield server
    server.close()


class _Drip(socketserver.BaseRequestHandler):
    """Answers one byte of its status line every 0.25 s, for up to 30 s (never a whole answer)."""

    stop = threading.Event()

    def handle(self) -> None:
        self.request.recv(65536)
        for byte in b"HTTP/1.1 200 OK\r\nX-Slow: " + b"a" * 120:
            if self.stop.wait(0.25):
                return
            try:
                self.request.sendall(bytes([byte]))
            except OSError:
                return


class _Fast(BaseHTTPRequestHandler):
    got: ClassVar[list[float]] = []

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers["Content-Length"]))
        self.got.append(time.monotonic())
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


BOMB_RUN = """
import sys, time
from pathlib import Path
from studio.api import webhooks
from studio.api.processor import Processor
from studio.people import Actor
from studio.preferences import load_settings
from studio.secrets import vault_for
from studio.services import open_store

def peak_kb():
    return next(int(l.split()[1]) for l in Path("/proc/self/status").read_text().splitlines() if l.startswith("VmHWM"))

cfg = load_settings()
store = open_store(cfg.db_path)
operator = Actor.cli("tests")
hook = webhooks.create(store, vault_for(cfg), sys.argv[1], ["*"], None, True, actor=operator, key_id=None)
processor = Processor(cfg, vault_for(cfg), interval_s=0.05).start()
time.sleep(1)  # everything imported and running
before = peak_kb()
webhooks.enqueue(store, "post.processed", {"id": "post_1"}, key_id=None)
deadline = time.monotonic() + 60
while not webhooks.deliveries(store, hook["id"])[0]["attempt_number"] and time.monotonic() < deadline:
    time.sleep(0.05)
print(webhooks.deliveries(store, hook["id"])[0]["response_status"], (peak_kb() - before) // 1024)
processor.stop()
"""


def test_a_gzip_bomb_answer_is_never_inflated(gzip_bomb, data_dir):
    env = {**os.environ, "PYTHONPATH": str(ROOT), "STUDIO_FETCH_ALLOW_PRIVATE": "true"}
    run = subprocess.run(
        [sys.executable, "-c", BOMB_RUN, gzip_bomb.url], env=env, cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 0, run.stderr
    status, grown_mb = (int(word) for word in run.stdout.split())
    assert status == 200  # delivered: the status line is all the API needs of the answer
    assert grown_mb < 40, f"the API's peak RSS grew by {grown_mb} MB reading a receiver's answer"


def test_a_receiver_that_drips_does_not_hold_up_another_hooks_delivery(settings, monkeypatch, allow_private_fetch):
    monkeypatch.setattr(webhooks, "DELIVERY_DEADLINE_S", 3.0, raising=False)
    _Drip.stop.clear()
    drip = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _Drip)
    drip.daemon_threads = True
    threading.Thread(target=drip.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    fast = _Server(_Fast)
    _Fast.got.clear()
    store = open_store(settings.db_path)
    vault = vault_for(settings)
    processor = None
    try:  # the dripping hook first: its delivery is the first one due
        slow_hook = webhooks.create(
            store, vault, f"http://127.0.0.1:{drip.server_address[1]}/", ["*"], None, True, actor=owner(), key_id=None
        )
        webhooks.create(store, vault, fast.url, ["*"], None, True, actor=owner(), key_id=None)
        webhooks.enqueue(store, "post.processed", {"id": "post_1"}, key_id=None)
        started = time.monotonic()
        processor = Processor(settings, vault, interval_s=0.05).start()
        wait_for(lambda: _Fast.got, timeout=20)
        assert _Fast.got[0] - started < 2.0, "the other hook waited for the dripping one"
        slow = wait_for(lambda: webhooks.deliveries(store, slow_hook["id"])[0]["attempt_number"] and True, timeout=10)
        assert slow and time.monotonic() - started < 3.0 + 2.0  # cut at its deadline, not after 30 s of drip
        failed = webhooks.deliveries(store, slow_hook["id"])[0]
        assert not failed["success"] and failed["error"] == "deadline"
    finally:
        _Drip.stop.set()
        if processor is not None:
            processor.stop()
        store.close()
        drip.shutdown()
        drip.server_close()
        fast.close()
