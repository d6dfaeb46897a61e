"""End to end: an account connected on the Accounts page publishes with its own token from the
Publish page, the CLI and the worker; expiry refreshes it, a revoked refresh says "reconnect"."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from studio import accounts
from studio.drafts.lifecycle import approve, save_draft
from studio.media.assets import ingest_image
from studio.preferences import load_settings
from studio.publishing import jobs
from studio.secrets import vault_for
from studio.services import Services, open_store
from tests.support.people import editor, reviewer

ROOT = Path(__file__).resolve().parents[2]


def page(name: str) -> AppTest:
    return AppTest.from_file(str(ROOT / "pages" / name), default_timeout=30)


def connect_on_the_accounts_page(fake) -> None:
    at = page("accounts.py").run()
    at.text_input(key="acc_token").input(fake.access_token)
    at.text_input(key="acc_refresh").input(fake.refresh_token)
    at.button(key="acc_connect_token").click().run()
    assert not at.exception and not at.error


def approved_draft(make_image, account: str = "studio_test", board: str = "Board 005", title: str = "Cosy soup") -> int:
    cfg = load_settings()
    store = open_store(cfg.db_path)
    asset, _ = ingest_image(store, cfg.data_dir, make_image(), "soup.jpg")
    draft = save_draft(
        store,
        None,
        {
            "title": title,
            "description": "Warm soup",
            "board": board,
            "link": "https://example.com/soup",
            "media_id": asset.id,
            "account": account,
        },
        actor=editor(),
    )
    approve(store, draft.id, actor=reviewer("rita"))
    store.close()
    return draft.id


@pytest.fixture
def studio(pinterest, monkeypatch):
    """No PINTEREST_ACCESS_TOKEN: publishing must find the connected account by itself."""
    monkeypatch.setenv("STUDIO_PUBLISHER", "auto")
    monkeypatch.setenv("PINTEREST_WRITE_RATE", "0")
    monkeypatch.delenv("PINTEREST_ACCESS_TOKEN", raising=False)
    return pinterest


def test_publish_page_uses_the_connected_accounts_token(studio, make_image):
    connect_on_the_accounts_page(studio)
    token = studio.access_token
    draft_id = approved_draft(make_image)
    at = page("publish.py").run()
    assert "Publisher: **pinterest**" in " ".join(c.value for c in at.caption)
    at.button(key=f"publish_{draft_id}").click().run()
    assert not at.exception
    (pin,) = studio.pins.values()
    assert pin["title"] == "Cosy soup"
    assert studio.calls("POST", "/pins")[0]["authorization"] == f"Bearer {token}"


def test_an_expired_token_is_refreshed_and_the_rotated_refresh_token_stored(studio, make_image):
    connect_on_the_accounts_page(studio)
    old_refresh = studio.refresh_token
    studio.expire_token()
    draft_id = approved_draft(make_image)
    at = page("publish.py").run()
    at.button(key=f"publish_{draft_id}").click().run()
    assert not at.exception and len(studio.pins) == 1
    assert studio.refresh_token != old_refresh
    cfg = load_settings()
    store = open_store(cfg.db_path)
    row = store.db["accounts"].get("studio_test")
    store.close()
    assert vault_for(cfg).decrypt(row["refresh_token"]) == studio.refresh_token
    assert vault_for(cfg).decrypt(row["access_token"]) == studio.access_token


def shown(at: AppTest) -> str:
    return " ".join(
        str(e.value) for kind in ("error", "warning", "success", "markdown", "caption") for e in getattr(at, kind)
    )


def test_a_revoked_refresh_says_reconnect_and_the_pin_waits_until_reconnected(studio, make_image):
    connect_on_the_accounts_page(studio)
    studio.refresh_token = "pinr_revoked_elsewhere"
    studio.expire_token()
    draft_id = approved_draft(make_image)
    at = page("publish.py").run()
    at.button(key=f"publish_{draft_id}").click().run()
    assert not at.exception and not studio.pins
    text = shown(at)
    assert "needs to be reconnected" in text and "Accounts page" in text and "Settings page" not in text
    cfg = load_settings()
    store = open_store(cfg.db_path)
    assert accounts.get_account(store, "studio_test").needs_reconnect
    assert store.get_draft(draft_id).status == "approved"  # not the pin's fault: it waits
    store.close()
    again = page("publish.py").run()
    assert "Reconnect studio_test" in shown(again) and "Waiting: reconnect" in shown(again)
    assert again.button(key=f"publish_{draft_id}").disabled
    studio.access_token = "pina_after_reconnect"
    studio.valid_tokens.add(studio.access_token)
    connect_on_the_accounts_page(studio)  # reconnecting clears the flag
    after = page("publish.py").run()
    assert "Reconnect studio_test" not in shown(after)
    after.button(key=f"publish_{draft_id}").click().run()
    (_pin,) = studio.pins.values()
    assert studio.calls("POST", "/pins")[-1]["authorization"] == "Bearer pina_after_reconnect"


def test_the_worker_waits_for_a_revoked_account_then_publishes(studio, make_image, monkeypatch):
    from studio.cli.worker import publishers
    from studio.scheduling.schedule import run_due

    monkeypatch.setenv("STUDIO_MIN_SPACING_MINUTES", "0")  # both pins are due at once: the spacing rule is off

    connect_on_the_accounts_page(studio)
    studio.refresh_token = "pinr_revoked_elsewhere"
    studio.expire_token()
    cfg = load_settings()
    first, second = approved_draft(make_image, title="First"), approved_draft(make_image, title="Second")
    store = open_store(cfg.db_path)
    past = "2020-01-01T00:00:00+00:00"
    for draft_id in (first, second):
        store.db["drafts"].update(draft_id, {"scheduled_at": past})
    results = run_due(store, publishers(Services(cfg)), cfg, worker="w1")
    assert [(r["draft_id"], r["status"]) for r in results] == [
        (first, "failed"),
        (first, "waiting"),
        (second, "waiting"),
    ]
    assert "needs to be reconnected" in results[0]["error"]
    assert results[-1]["error"] == "account studio_test must be reconnected on the Accounts page"
    assert [store.get_draft(d).status for d in (first, second)] == ["approved", "approved"]
    results = run_due(store, publishers(Services(cfg)), cfg, worker="w1")  # still revoked: both wait, no new job
    assert {r["status"] for r in results} == {"waiting"} and len(jobs.list_jobs(store)) == 1
    studio.access_token = "pina_after_reconnect"
    studio.valid_tokens.add(studio.access_token)
    connect_on_the_accounts_page(studio)
    results = run_due(store, publishers(Services(cfg)), cfg, worker="w1")
    assert sorted(r["status"] for r in results) == ["published", "published"] and len(studio.pins) == 2
    store.close()


def test_retry_and_cli_publish_use_the_drafts_account(studio, make_image, capsys, monkeypatch):
    from studio.cli import main

    monkeypatch.setenv("STUDIO_MIN_SPACING_MINUTES", "0")  # two pins with one link a moment apart: the spacing
    monkeypatch.setenv("STUDIO_REPEAT_DAYS", "0")  # and repeat guardrails are off here (tests/publishing/…guardrails)

    connect_on_the_accounts_page(studio)  # studio_test, the default (first by name)
    studio.username = "zz_second_brand"
    studio.access_token = "pina_second_brand"
    studio.valid_tokens.add(studio.access_token)
    connect_on_the_accounts_page(studio)
    draft_id = approved_draft(make_image, account="zz_second_brand")
    studio.fail("POST", "/pins", status=400, body={"code": 1, "message": "Sorry we could not fetch the image."})
    at = page("publish.py").run()
    at.button(key=f"publish_{draft_id}").click().run()
    assert not studio.pins
    assert "as **zz\\_second\\_brand**" in shown(at)  # the job names its account (escaped: shown as typed)
    (retry,) = [b for b in at.button if b.key.startswith("retry_")]
    retry.click().run()
    assert not at.exception and len(studio.pins) == 1
    assert [c["authorization"] for c in studio.calls("POST", "/pins")] == ["Bearer pina_second_brand"] * 2
    other = approved_draft(make_image, account="zz_second_brand", title="Other")
    assert main(["publish", "--draft", str(other), "--json"]) == 0
    assert studio.calls("POST", "/pins")[-1]["authorization"] == "Bearer pina_second_brand"
    capsys.readouterr()
    assert main(["jobs", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert {j["account"] for j in listed} == {"zz_second_brand"}
    assert main(["publish", "--draft", "999", "--json"]) == 2
    assert "error:" in capsys.readouterr().err


def test_env_tokens_rotated_by_a_refresh_are_kept_for_the_next_run(studio, monkeypatch):
    """PINTEREST_ACCESS/REFRESH_TOKEN only: after Pinterest rotates the refresh token, the next
    process must not be left with the spent one from the environment."""
    from studio.publishing.payload import PublishRequest
    from studio.publishing.service import publish_request

    monkeypatch.setenv("PINTEREST_ACCESS_TOKEN", studio.access_token)
    monkeypatch.setenv("PINTEREST_REFRESH_TOKEN", studio.refresh_token)
    req = PublishRequest.model_validate(
        {
            "post": {"body": "Warm soup"},
            "media": ["https://example.com/soup.jpg"],
            "platforms": {"pinterest": {"title": "Soup", "board_id": studio.boards[0]["id"]}},
        }
    )
    cfg = load_settings()
    for _ in range(2):  # two runs, each meeting an expired token
        studio.expire_token()
        store = open_store(cfg.db_path)
        # the same pin twice, moments apart: past the guardrails (what this test weighs is the token refresh)
        job = publish_request(store, Services(cfg).publisher(), req, cfg, actor=reviewer(), override=True)
        store.close()
        assert job["status"] == "published", job
    assert len(studio.pins) == 2 and len(studio.calls("POST", "/oauth/token")) == 2
    store = open_store(cfg.db_path)
    (account,) = accounts.list_accounts(store)
    assert vault_for(cfg).decrypt(store.db["accounts"].get(account.name)["refresh_token"]) == studio.refresh_token
    store.close()


def test_compose_picks_the_account_and_publish_uses_its_token(studio, make_image):
    connect_on_the_accounts_page(studio)
    studio.username, studio.access_token = "zz_second_brand", "pina_second_brand"
    studio.valid_tokens.add(studio.access_token)
    connect_on_the_accounts_page(studio)
    cfg = load_settings()
    store = open_store(cfg.db_path)
    asset, _ = ingest_image(store, cfg.data_dir, make_image(), "soup.jpg")
    store.close()
    at = page("compose.py")
    at.session_state["media_id"] = asset.id
    at.run()
    assert at.selectbox(key="account").options == ["default (studio_test)", "studio_test", "zz_second_brand"]
    at.selectbox(key="account").select("zz_second_brand").run()
    at.text_area(key="title").input("Cosy soup").run()
    at.text_area(key="description").input("Warm soup for autumn").run()
    # Connecting synced the account's boards right away: the board is picked from them.
    assert "Board 005" in at.selectbox(key="board").options
    at.selectbox(key="board").select("Board 005").run()
    at.button(key="save").click().run()
    assert not at.exception
    store = open_store(cfg.db_path)
    (draft,) = store.list_drafts()
    assert draft.account == "zz_second_brand"
    approve(store, draft.id, actor=reviewer("rita"))
    store.close()
    publish = page("publish.py").run()
    publish.button(key=f"publish_{draft.id}").click().run()
    assert len(studio.pins) == 1
    assert studio.calls("POST", "/pins")[0]["authorization"] == "Bearer pina_second_brand"


def test_a_pin_without_an_account_waits_when_the_default_account_needs_reconnecting(studio, make_image):
    from studio.cli.worker import publishers
    from studio.scheduling.schedule import run_due

    connect_on_the_accounts_page(studio)
    draft_id = approved_draft(make_image, account="")
    cfg = load_settings()
    store = open_store(cfg.db_path)
    accounts.mark_reconnect_needed(store, "studio_test", "Pinterest refused to renew the connection.")
    store.db["drafts"].update(draft_id, {"scheduled_at": "2020-01-01T00:00:00+00:00"})
    (result,) = run_due(store, publishers(Services(cfg)), cfg, worker="w1")
    assert result["status"] == "waiting" and "(default)" in result["error"] and not studio.pins
    store.close()
    assert page("publish.py").run().button(key=f"publish_{draft_id}").disabled
