"""Settings and the LLM key: only owners save; a new endpoint forgets the saved key unless it is entered
again; a key from the environment never goes to an endpoint saved in the studio; a saved endpoint on this
machine is refused unless the environment allows it. A loopback server records what reaches it."""

from __future__ import annotations

import pytest

from studio import people
from studio.drafting import check_connection
from studio.errors import DraftingError
from studio.preferences import load_preferences, load_settings, save_preferences
from tests.support.llm import Recorder
from tests.support.people import editor, owner


@pytest.fixture
def llm_env(monkeypatch):
    monkeypatch.setenv("STUDIO_LLM_PROVIDER", "openai")
    monkeypatch.setenv("STUDIO_LLM_MODEL", "m1")
    monkeypatch.setenv("STUDIO_LLM_RETRIES", "0")


def save(store, changes: dict, actor=None) -> None:
    save_preferences(load_settings(), changes, actor=actor or owner(), store=store)


def test_a_new_endpoint_without_the_key_entered_again_gets_no_key(store, llm_env, allow_private_fetch):
    with Recorder() as first, Recorder() as second:
        save(store, {"openai_base_url": first.url, "openai_api_key": "sk-saved-for-the-first"})
        check_connection(load_settings())
        save(store, {"openai_base_url": second.url})  # the key field left empty
        assert load_settings().openai_api_key is None
        assert "openai_api_key" not in load_preferences(load_settings().data_dir)
        check_connection(load_settings())
    assert first.headers() == ["Bearer sk-saved-for-the-first"]
    assert second.seen and not any("sk-saved-for-the-first" in key for key in second.headers())
    changed = [entry.target for entry in people.audit_entries(store, action="setting_changed")]
    assert changed.count("openai_api_key") == 2 and "sk-saved" not in str(people.audit_entries(store))


def test_the_key_entered_again_with_the_new_endpoint_goes_there(store, llm_env, allow_private_fetch):
    with Recorder() as first, Recorder() as second:
        save(store, {"openai_base_url": first.url, "openai_api_key": "sk-one"})
        save(store, {"openai_base_url": second.url, "openai_api_key": "sk-two"})
        check_connection(load_settings())
    assert first.seen == [] and second.headers() == ["Bearer sk-two"]


def test_a_key_from_the_environment_never_goes_to_a_saved_endpoint(store, llm_env, allow_private_fetch, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-from-the-environment")
    with Recorder() as saved_here:
        save(store, {"openai_base_url": saved_here.url})
        assert load_settings().openai_api_key is None
        check_connection(load_settings())
    assert saved_here.seen and not any("sk-from-the-environment" in key for key in saved_here.headers())


def test_a_saved_endpoint_on_this_machine_is_refused_unless_the_environment_allows_it(store, llm_env, monkeypatch):
    with Recorder() as local:
        save(store, {"openai_base_url": local.url, "openai_api_key": "sk-local"})
        with pytest.raises(DraftingError) as refused:
            check_connection(load_settings())
        assert refused.value.code == "llm_address_refused" and "OPENAI_BASE_URL" in refused.value.fix
        assert local.seen == []  # nothing reached it
        monkeypatch.setenv("OPENAI_BASE_URL", local.url)  # set by whoever runs the studio: trusted
        assert "available" in check_connection(load_settings())
    assert local.seen


def test_only_owners_change_settings(store):
    with pytest.raises(people.PermissionDenied) as refused:
        save(store, {"brand_tone": "shouty"}, actor=editor())
    assert refused.value.http_status == 403 and load_settings().brand_tone != "shouty"
    save(store, {"brand_tone": "warm"})
    assert load_settings().brand_tone == "warm"
    (entry,) = people.audit_entries(store, action="setting_changed")
    assert (entry.target, entry.detail, entry.actor_name) == ("brand_tone", {"key": "brand_tone"}, "olga")
