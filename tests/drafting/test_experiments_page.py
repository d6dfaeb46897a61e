"""Experiments: variants generated at once, compared with lint/tokens/latency, promoted, kept and re-run."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from studio.drafting.experiments import ExperimentInput, Variant, create_experiment, get_experiment, run_experiment
from studio.drafting.log import CallLog
from studio.errors import ValidationError
from studio.media.assets import ingest_image
from studio.services import open_store
from tests.fakes.openai_server import DEFAULT_REPLY
from tests.support.people import editor

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def asset(settings, make_image):
    store = open_store(settings.db_path)
    asset, _ = ingest_image(store, settings.data_dir, make_image(), "soup.jpg")
    store.close()
    return asset


def page() -> AppTest:
    return AppTest.from_file(str(ROOT / "pages" / "experiments.py"), default_timeout=30)


def test_variants_are_generated_compared_and_the_winner_promoted(openai_server, settings, asset):
    at = page().run()
    at.text_input(key="exp_topic").input("Autumn soup").run()
    at.text_input(key="exp_keywords").input("autumn soup recipe").run()
    at.number_input(key="exp_n").set_value(3).run()
    at.text_input(key="exp_model_1").input("fake-vision-model").run()
    at.text_input(key="exp_tone_2").input("playful").run()
    at.button(key="exp_generate").click().run()
    assert not at.exception, [e.value for e in at.exception]
    sent = openai_server.requests
    assert len(sent) == 3 and {r["model"] for r in sent} == {"fake-text-model", "fake-vision-model"}
    assert any("playful" in r["messages"][0]["content"] for r in sent)
    text = " ".join(m.value for m in at.markdown)
    assert DEFAULT_REPLY["title"] in text and "SEO check:" in text
    assert any("120+60 tokens" in c.value for c in at.caption)
    promote_keys = [b.key for b in at.button if b.key and b.key.startswith("promote_")]
    assert len(promote_keys) == 3
    at.button(key=promote_keys[1]).click().run()
    store = open_store(settings.db_path)
    (draft,) = store.list_drafts()
    assert draft.title == DEFAULT_REPLY["title"] and draft.model == "fake-vision-model" and draft.media_id == asset.id
    assert len(CallLog(store).for_draft(draft.id)) == 1
    assert any(f"#{draft.id}" in s.value for s in at.success)


def test_past_experiments_are_kept_and_rerun_from_the_log(openai_server, settings, asset):
    store = open_store(settings.db_path)
    exp_id = create_experiment(
        store,
        media_id=asset.id,
        base=ExperimentInput(topic="Soup", keywords="soup"),
        variants=[Variant(temperature=0.2), Variant(temperature=1.0, notes="be bold")],
    )
    run_experiment(store, settings, exp_id, actor=editor())
    assert len(openai_server.requests) == 2
    at = page().run()
    at.selectbox(key="experiment_pick").set_value(exp_id).run()
    at.button(key="exp_rerun").click().run()
    assert not at.exception
    assert len(openai_server.requests) == 2  # identical requests were answered from the log
    assert sum("from the log" in c.value for c in at.caption) == 2
    assert get_experiment(store, exp_id)["round"] == 2
    at.checkbox(key="exp_fresh").check().run()
    at.button(key="exp_rerun").click().run()
    assert len(openai_server.requests) == 4


def test_a_failing_variant_shows_its_error_and_others_still_show(openai_server, settings, asset):
    openai_server.script = ["429"]
    store = open_store(settings.db_path)
    exp_id = create_experiment(
        store, media_id=asset.id, base=ExperimentInput(topic="Soup"), variants=[Variant(), Variant(notes="shorter")]
    )
    exp = run_experiment(store, settings, exp_id, actor=editor())
    errors = [r for r in exp["runs"] if r["error"]]
    assert len(errors) == 1 and "429" in errors[0]["error"]
    assert sum(1 for r in exp["runs"] if r["output"]) == 1


def test_variant_count_is_checked(settings, asset):
    store = open_store(settings.db_path)
    with pytest.raises(ValidationError):
        create_experiment(store, media_id=asset.id, base=ExperimentInput(), variants=[Variant()])


def test_page_runs_with_no_media_and_offline():
    at = page().run()
    assert not at.exception and any("No media yet" in i.value for i in at.info)


def test_promoting_the_same_copy_twice_keeps_one_draft(openai_server, settings, asset):
    at = page().run()
    at.text_input(key="exp_topic").input("Autumn soup").run()
    at.button(key="exp_generate").click().run()
    promote_keys = [b.key for b in at.button if b.key and b.key.startswith("promote_")]
    at.button(key=promote_keys[0]).click().run()
    at.button(key=promote_keys[0]).click().run()  # a double click, or the other variant with the same copy
    at.button(key=promote_keys[1]).click().run()
    assert not at.exception and not at.error
    store = open_store(settings.db_path)
    (draft,) = store.list_drafts()
    assert any(f"Draft #{draft.id} already has this copy" in s.value for s in at.success)


@pytest.mark.parametrize("name", ["experiments", "settings", "compose"])
def test_a_direct_visit_asks_for_the_password_first(name, settings, monkeypatch):
    # Streamlit serves a first visit to /<page> from pages/ without running app.py's gate.
    monkeypatch.setenv("STUDIO_PASSWORD", "correct horse battery")
    at = AppTest.from_file(str(ROOT / "pages" / f"{name}.py"), default_timeout=30).run()
    assert not at.exception
    assert at.text_input(key="studio_password") and len(at.title) == 1 and "🔒" in at.title[0].value
    assert not at.table  # Settings' configuration table stays hidden
    at.text_input(key="studio_password").input("correct horse battery")
    at.button[0].click().run()
    assert not at.exception and "🔒" not in at.title[0].value


def test_offline_variants_are_labelled_as_the_template_not_a_model(asset):
    """Issue 16, item 5: offline, a variant card never claims a model (e.g. gpt-4o-mini) it didn't use."""
    at = page().run()
    at.text_input(key="exp_topic").input("Autumn soup").run()
    at.button(key="exp_generate").click().run()
    assert not at.exception
    headers = [m.value for m in at.markdown if m.value.startswith("**Variant") and " · " in m.value]
    assert len(headers) == 2 and all("offline template" in h for h in headers)
    text = " ".join(m.value for m in at.markdown) + " ".join(c.value for c in at.caption)
    assert "gpt-4o-mini" not in text and "offline template" in at.caption[0].value


def test_lint_messages_quote_a_keyword_as_text_never_as_a_link(openai_server, settings, asset):
    store = open_store(settings.db_path)
    bait = "[Verify your account](https://phish.example/login)"
    exp_id = create_experiment(
        store, media_id=asset.id, base=ExperimentInput(topic="Soup", keywords=bait), variants=[Variant(), Variant()]
    )
    run_experiment(store, settings, exp_id, actor=editor())
    at = page().run()
    at.selectbox(key="experiment_pick").set_value(exp_id).run()
    warnings = [m.value for m in at.markdown if m.value.startswith("⚠️")]
    assert warnings and all("](https://phish" not in w for w in warnings)  # a link would render as one
    assert any("\\[Verify your account\\]\\(https" in w for w in warnings)  # the brackets are escaped: shown as typed
