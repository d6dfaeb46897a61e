"""The secret-leak grep: plant recognizable tokens and an app secret, go through connect, refresh,
publish, reconnect-needed, the CLI and the Accounts page, then look for them everywhere the
studio writes: stdout/stderr, page output, logs, the database (and its WAL), the data dir."""

from __future__ import annotations

import logging

import httpx
import pytest
from streamlit.testing.v1 import AppTest

from studio import accounts
from studio.cli import main
from studio.pinterest.retry import RequestPacer
from studio.preferences import load_settings
from studio.publishing.payload import PinterestOptions, Platforms, Post, PublishRequest
from studio.publishing.pinterest import build
from studio.publishing.service import publish_request
from studio.secrets import vault_for
from studio.services import open_store
from tests.fakes.pinterest import FakePinterest
from tests.support.env import ROOT
from tests.support.media import image_bytes
from tests.support.people import reviewer

ACCESS = "pina_PLANTED_access_7Gq2LmXv9RtY8kPz_ENDA"
REFRESH = "pinr_PLANTED_refresh_3Hs8NbWc1QeU5jLo_ENDR"
APP_SECRET = "PLANTED_app_secret_Vd4Kx7Mn2Pq9_ENDS"


@pytest.fixture
def fake(monkeypatch):
    with FakePinterest(boards=30, app_secret=APP_SECRET) as server:
        server.access_token, server.refresh_token, server.valid_tokens = ACCESS, REFRESH, {ACCESS}
        monkeypatch.setenv("PINTEREST_API_BASE", server.base)
        monkeypatch.setenv("PINTEREST_APP_ID", server.app_id)
        monkeypatch.setenv("PINTEREST_APP_SECRET", APP_SECRET)
        monkeypatch.setenv("STUDIO_PUBLISH_BACKOFF_BASE", "0.01")
        monkeypatch.setenv("STUDIO_PUBLISH_BACKOFF_CAP", "0.02")
        yield server


def page_output(at: AppTest) -> str:
    """Every value the page rendered, widgets included."""
    out = []
    for node in at.main:  # walks the whole element tree
        for attr in ("value", "label", "placeholder", "body", "url"):
            try:
                out.append(str(getattr(node, attr, "")))
            except Exception:  # some elements have no such field: nothing shown there
                pass
        out.append(str(getattr(node, "proto", "")))
    return "\n".join(out)


def test_planted_tokens_never_appear_anywhere(fake, capsys, caplog, data_dir):
    caplog.set_level(logging.DEBUG)  # httpx/httpcore debug logs included
    seen = {ACCESS, REFRESH, APP_SECRET}

    def remember() -> None:  # every token the fake has handed out so far
        seen.update({fake.access_token, fake.refresh_token, *fake.valid_tokens})

    # connect (CLI), list, sync boards
    assert main(["connect", "--token", ACCESS, "--refresh-token", REFRESH, "--json"]) == 0
    assert main(["accounts"]) == 0 and main(["accounts", "--json"]) == 0
    assert main(["boards", "--sync", "--json"]) == 0
    # refresh on a 401 (rotates both tokens), then publish a pin with a refresh in the middle
    fake.expire_token()
    assert main(["boards", "--sync"]) == 0
    remember()
    cfg = load_settings()
    image = data_dir / "pin.jpg"
    image.write_bytes(image_bytes())
    store = open_store(cfg.db_path)
    with httpx.Client(timeout=5) as http:
        tokens = accounts.token_source(
            cfg, http, vault_for(cfg), "studio_test", open_store=lambda: open_store(cfg.db_path)
        )
        publisher = build(cfg, http, tokens=tokens, limiter=RequestPacer(0))
        fake.expire_token()
        job = publish_request(
            store,
            publisher,
            PublishRequest(
                post=Post(body="A planted-token pin"),
                media=[str(image)],
                platforms=Platforms(pinterest=PinterestOptions(title="Leak check", board_name="Board 003")),
            ),
            cfg,
            actor=reviewer(),
        )
    assert job["status"] == "published"
    remember()
    # the Accounts page, with the account connected and synced
    at = AppTest.from_file(str(ROOT / "pages" / "accounts.py"), default_timeout=30).run()
    assert not at.exception and "studio_test" in page_output(at)
    shown = page_output(at)
    # a refused refresh: the account needs reconnecting, and the error is printed
    fake.refresh_token = "pinr_rotated_away_elsewhere"
    fake.expire_token()
    assert main(["boards", "--sync"]) == 1
    assert accounts.get_account(store, "studio_test").needs_reconnect
    store.close()
    at.run()
    shown += page_output(at)
    assert "needs to be reconnected" in shown

    captured = capsys.readouterr()
    texts = {"stdout": captured.out, "stderr": captured.err, "page": shown, "logs": caplog.text}
    blobs = {"database": b"".join(p.read_bytes() for p in data_dir.rglob("*") if p.is_file())}
    for secret in seen - {"pinr_rotated_away_elsewhere"}:
        # At most the last 4 characters may be shown.
        for where, text in texts.items():
            assert secret[:-4] not in text, f"{secret[:8]}… leaked into {where}"
        for where, blob in blobs.items():
            assert secret[:-4].encode() not in blob, f"{secret[:8]}… leaked into {where}"
    assert "studio_test" in captured.out and "••••" in captured.out  # the outputs are real, not empty
    assert b"studio_test" in blobs["database"] and "GET" in caplog.text
