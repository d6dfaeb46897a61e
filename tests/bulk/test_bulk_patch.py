"""Fix published pins in bulk: PATCH /v5/pins/{id} against the fake Pinterest, as a resumable batch."""

from __future__ import annotations

import httpx
import pytest

from studio.bulk import batch
from studio.bulk.patch import PinUpdater, missing_alt_text, updater_for
from studio.drafts.lifecycle import approve, save_draft
from studio.errors import ValidationError
from studio.media.assets import ingest_path
from studio.models import DraftStatus
from studio.pinterest.client import PinterestAPI
from studio.pinterest.retry import RequestPacer
from studio.pinterest.tokens import StaticTokenSource
from studio.publishing import jobs
from studio.services import Services
from tests.support.media import make_image
from tests.support.people import editor, reviewer
from tests.support.publishing import fast_retry, make_publisher

# the page's HTTP client goes through the fetch guard; the fake Pinterest on loopback stands in for a public host
pytestmark = pytest.mark.usefixtures("allow_private_fetch")


@pytest.fixture
def published(store, settings, data_dir, tmp_path, fake):
    """Three pins published to the fake Pinterest through the studio, without alt text."""
    ids = []
    for n in range(3):
        asset, _ = ingest_path(store, data_dir, make_image(tmp_path / f"p{n}.jpg", (600, 900), colour=(70 * n, 40, 40)))
        draft = save_draft(
            store,
            None,
            {
                "title": f"Pin {n}",
                "description": f"About {n}.",
                "board": "Board 001",
                "link": f"https://example.com/{n}",
                "media_id": asset.id,
            },
            actor=editor(),
        )
        approve(store, draft.id, actor=reviewer("rev"))
        ids.append(draft.id)
    # three pins at once break the 10-minute spacing: a reviewer overrides it
    run = batch.start_batch(store, "publish", ids, params={"override_guardrails": True}, actor=reviewer())
    assert batch.run_batch(store, settings, run, publisher=make_publisher(fake, settings), actor=reviewer())[
        "counts"
    ] == {"ok": 3}
    return ids


@pytest.fixture
def updater(fake):
    with httpx.Client(timeout=5) as http:
        api = PinterestAPI(
            http,
            StaticTokenSource(fake.access_token),
            fake.base,
            timeout=5,
            retry=fast_retry(),
            limiter=RequestPacer(0),
        )
        yield PinUpdater(api)


def pin_of(store, fake, draft_id):
    pin_id = next(j["pin_id"] for j in jobs.for_draft(store, draft_id) if j["status"] == "published")
    return fake.pins[pin_id]


def test_add_missing_alt_text_to_published_pins(store, settings, fake, published, updater):
    assert [d.id for d in missing_alt_text(store)] == published
    payloads = {d: {"alt_text": f"A plate of food, photo {d}"} for d in published}
    run = batch.start_batch(store, "patch", published, payloads=payloads, actor=reviewer("ana"))
    done = batch.run_batch(store, settings, run, pins=updater, actor=reviewer())
    assert done["counts"] == {"ok": 3}
    for d in published:
        assert pin_of(store, fake, d)["alt_text"] == f"A plate of food, photo {d}"  # live on Pinterest
        draft = store.get_draft(d)
        assert draft.alt_text == f"A plate of food, photo {d}" and draft.status is DraftStatus.PUBLISHED
        assert store.events(d)[-1].action == "pin_updated"
    patches = fake.calls("PATCH", "/pins/")
    assert len(patches) == 3 and missing_alt_text(store) == []
    assert "updated alt text on pin" in batch.results(store, run)[0]["message"]


def test_title_description_link_and_a_transient_error_is_retried(store, settings, fake, published, updater):
    fake.fail("PATCH", "/pins/", status=503)
    changes = {"title": "Better title", "description": "Clearer words.", "link": "https://example.com/new"}
    run = batch.start_batch(store, "patch", published[:1], payloads={published[0]: changes}, actor=reviewer())
    assert batch.run_batch(store, settings, run, pins=updater, actor=reviewer())["counts"] == {"ok": 1}
    pin = pin_of(store, fake, published[0])
    assert (pin["title"], pin["description"], pin["link"]) == tuple(changes.values())
    assert len(fake.calls("PATCH", "/pins/")) == 2


def test_a_pin_deleted_on_pinterest_fails_alone(store, settings, fake, published, updater):
    del fake.pins[pin_of(store, fake, published[1])["id"]]
    payloads = {d: {"alt_text": "Alt"} for d in published}
    run = batch.start_batch(store, "patch", published, payloads=payloads, actor=reviewer())
    batch.run_batch(store, settings, run, pins=updater, actor=reviewer())
    statuses = [r["status"] for r in batch.results(store, run)]
    assert statuses == ["ok", "failed", "ok"]
    assert store.get_draft(published[1]).alt_text == ""  # nothing changed that didn't change on Pinterest


def test_pins_without_a_pinterest_id_and_bad_values_are_refused(store, settings, fake, published, updater):
    dry = save_draft(store, None, {"title": "Dry", "board": "Board 001"}, actor=editor())
    approve(store, dry.id, actor=reviewer())
    run = batch.start_batch(
        store,
        "patch",
        [dry.id, published[0]],
        payloads={dry.id: {"alt_text": "x"}, published[0]: {"link": "http://insecure.example"}},
        actor=reviewer(),
    )
    batch.run_batch(store, settings, run, pins=updater, actor=reviewer())
    first, second = batch.results(store, run)
    assert first["status"] == "failed" and "isn't published" in first["message"]
    assert second["status"] == "failed" and "https://" in second["message"]
    assert fake.calls("PATCH", "/pins/") == []


def test_a_patch_batch_without_a_connection_fails_each_item_clearly(store, settings, published):
    run = batch.start_batch(store, "patch", published[:1], payloads={published[0]: {"alt_text": "x"}}, actor=reviewer())
    batch.run_batch(store, settings, run, actor=reviewer())
    assert "needs a Pinterest connection" in batch.results(store, run)[0]["message"]


def test_updater_from_settings_uses_the_configured_account(store, settings, fake, published):
    cfg = settings.model_copy(update={"pinterest_api_base": fake.base, "publish_backoff_base_s": 0.01})
    from pydantic import SecretStr

    cfg = cfg.model_copy(update={"pinterest_access_token": SecretStr(fake.access_token)})
    with httpx.Client(timeout=5) as http:
        services = Services(cfg, http=http)
        message = updater_for(cfg, http, services.tokens()).update(
            store, published[2], {"alt_text": "From settings"}, actor=reviewer()
        )
        with pytest.raises(ValidationError):
            updater_for(cfg, http, services.tokens()).update(
                store, published[2], {"board": "not patchable here"}, actor=reviewer()
            )
    assert message.startswith("updated alt text") and pin_of(store, fake, published[2])["alt_text"] == "From settings"


def test_fix_tab_updates_pins_and_shows_each_result(store, settings, fake, published, monkeypatch):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("PINTEREST_API_BASE", fake.base)
    monkeypatch.setenv("PINTEREST_ACCESS_TOKEN", fake.access_token)
    monkeypatch.setenv("STUDIO_PUBLISH_BACKOFF_BASE", "0.01")
    at = AppTest.from_file("../../pages/bulk.py", default_timeout=30).run()
    editor = at.data_editor[0]
    at.session_state[editor.key] = {
        "edited_rows": {0: {"Alt text": "A red plate"}, 1: {"Link": "http://bad"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    at.button(key="fix_run").click().run()
    assert not at.exception and not at.error
    assert "1 ok, 1 failed" in at.markdown[-1].value  # the results show in the tab where the user clicked
    results = at.dataframe[-1].value
    assert "https://" in results["message"][1]
    assert pin_of(store, fake, published[0])["alt_text"] == "A red plate"
    assert at.data_editor[0].value["Id"].tolist() == published[1:]  # the fixed pin left the "no alt text" list


def test_a_stopped_fix_batch_resumes_with_its_connection(store, settings, fake, published, monkeypatch):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("PINTEREST_API_BASE", fake.base)
    monkeypatch.setenv("PINTEREST_ACCESS_TOKEN", fake.access_token)
    run = batch.start_batch(
        store, "patch", published, payloads={d: {"alt_text": f"Alt {d}"} for d in published}, actor=reviewer()
    )
    batch.tables.set_batch(store, run, status="cancelled")  # stopped before any item ran
    at = AppTest.from_file("../../pages/bulk.py", default_timeout=30).run()
    at.button(key=f"ops_resume_{run}").click().run()
    assert not at.exception and not at.error
    assert [r["status"] for r in batch.results(store, run)] == ["ok", "ok", "ok"]
    assert pin_of(store, fake, published[2])["alt_text"] == f"Alt {published[2]}"


def test_each_pin_is_updated_as_the_account_that_published_it(store, settings, fake, published):
    from studio.bulk.patch import AccountPinUpdater
    from studio.secrets import vault_for

    vault = vault_for(settings)
    # "alice" sorts first, so she is the default account; her token is not the one that owns the pins.
    for name, token in (("alice", "pina_not_this_one"), ("zoe", fake.access_token)):
        store.db["accounts"].insert(
            {
                "name": name,
                "access_token": vault.encrypt(token),
                "status": "connected",
                "token_hint": "…",
                "api_base": fake.base,
            },
            alter=True,
        )
    store.db["drafts"].update(published[0], {"account": "zoe"})
    cfg = settings.model_copy(update={"pinterest_api_base": fake.base, "publish_backoff_base_s": 0.01})
    with httpx.Client(timeout=5) as http:
        services = Services(cfg, http=http)
        message = AccountPinUpdater(cfg, http, services.tokens).update(
            store, published[0], {"alt_text": "As zoe"}, actor=reviewer()
        )
    assert message.startswith("updated alt text") and pin_of(store, fake, published[0])["alt_text"] == "As zoe"


def test_publish_batch_posts_each_pin_as_its_drafts_account(store, settings, fake, data_dir, tmp_path):
    from studio.secrets import vault_for

    cfg = settings.model_copy(
        update={
            "publisher": "pinterest",
            "pinterest_api_base": fake.base,
            "publish_backoff_base_s": 0.01,
            "publish_backoff_cap_s": 0.02,
            "media_poll_cap_s": 0.05,
        }
    )
    vault = vault_for(cfg)
    for name, token in (("alice", "pina_not_this_one"), ("zoe", fake.access_token)):  # alice is the default
        store.db["accounts"].insert(
            {
                "name": name,
                "access_token": vault.encrypt(token),
                "status": "connected",
                "token_hint": "…",
                "api_base": fake.base,
            },
            alter=True,
        )
    asset, _ = ingest_path(store, data_dir, make_image(tmp_path / "z.jpg", (600, 900)))
    draft = save_draft(
        store,
        None,
        {
            "title": "Zoe's pin",
            "description": "Hers.",
            "board": "Board 001",
            "link": "https://example.com/z",
            "media_id": asset.id,
            "account": "zoe",
        },
        actor=editor(),
    )
    approve(store, draft.id, actor=reviewer("rev"))
    run = batch.start_batch(store, "publish", [draft.id], actor=reviewer())
    done = batch.run_batch(
        store, cfg, run, publishers=Services(cfg).publisher, actor=reviewer()
    )  # built per account, as the page does
    assert done["counts"] == {"ok": 1}, batch.results(store, run)
    assert store.get_draft(draft.id).status is DraftStatus.PUBLISHED and len(fake.pins) == 1
