"""The OpenAI-compatible drafter: the real `openai` client against a loopback fake server."""

from __future__ import annotations

import base64
import io

import openai
import pytest
from PIL import Image

from studio import constraints
from studio.drafting import DraftInput, get_drafter
from studio.drafting.openai_compat import OpenAIDrafter, extract_json_object
from studio.drafting.prompts import BrandVoice
from studio.errors import DraftingError
from studio.preferences import load_settings
from tests.fakes.openai_server import DEFAULT_REPLY, FakeOpenAIServer


def make_drafter(
    server: FakeOpenAIServer,
    *,
    model: str = "fake-text-model",
    vision: str = "auto",
    timeout: float = 5.0,
    retries: int = 0,
    **kw,
) -> OpenAIDrafter:
    client = openai.OpenAI(api_key="sk-test", base_url=server.base_url, timeout=timeout, max_retries=retries)
    return OpenAIDrafter(client, model, vision=vision, **kw)


REQUEST = DraftInput(topic="Autumn soup", keywords=["autumn soup recipe"], link="https://example.com/soup")


def test_structured_output_is_requested_and_used(server):
    out = make_drafter(server).draft(REQUEST)
    assert out.title == DEFAULT_REPLY["title"] and out.provider == "openai"
    sent = server.requests[-1]
    assert sent["response_format"]["type"] == "json_schema"
    assert set(sent["response_format"]["json_schema"]["schema"]["properties"]) == {
        "title",
        "description",
        "alt_text",
        "keywords",
    }
    assert out.usage == {"prompt_tokens": 120, "completion_tokens": 60} and out.calls == 1


def test_json_mode_fallback_when_schema_is_refused(server):
    server.mode = "no_schema"
    drafter = make_drafter(server)
    out = drafter.draft(REQUEST)
    assert out.alt_text == DEFAULT_REPLY["alt_text"]
    assert [r["response_format"]["type"] for r in server.requests] == ["json_schema", "json_object"]
    drafter.draft(REQUEST)  # the drafter remembers: no second refused request
    assert server.requests[-1]["response_format"]["type"] == "json_object" and len(server.requests) == 3


def test_prose_wrapped_json_is_parsed_after_plain_text_fallback(server):
    server.mode = "prose"
    out = make_drafter(server).draft(REQUEST)
    assert out.description == DEFAULT_REPLY["description"]
    assert "response_format" not in server.requests[-1]


def test_prose_wrapped_json_even_with_schema_accepted(server):
    server.mode = "prose_always"
    assert make_drafter(server).draft(REQUEST).title == DEFAULT_REPLY["title"]


def test_invalid_json_is_a_drafting_error_naming_the_fix(server):
    server.mode = "invalid"
    with pytest.raises(DraftingError) as err:
        make_drafter(server).draft(REQUEST)
    assert err.value.code == "unparseable_answer" and "JSON" in err.value.fix


def test_over_long_fields_are_repaired_by_asking_again(server):
    server.script = ["long"]  # first answer too long, the repair answer fits
    out = make_drafter(server).draft(REQUEST)
    assert out.title == DEFAULT_REPLY["title"] and out.trimmed == [] and out.calls == 2
    repair = server.requests[-1]["messages"][-1]["content"]
    assert "title is" in repair and f"limit is {constraints.TITLE_MAX}" in repair


def test_still_too_long_after_repair_is_trimmed_and_flagged(server):
    server.mode = "long"
    out = make_drafter(server).draft(REQUEST)
    assert len(out.title) <= constraints.TITLE_MAX and len(out.description) <= constraints.DESCRIPTION_MAX
    assert set(out.trimmed) == {"title", "description", "alt_text"}
    assert not out.title.endswith(" ")


@pytest.mark.parametrize(
    "mode, code, words",
    [
        ("401", "llm_auth", "OPENAI_API_KEY"),
        ("429", "llm_rate_limited", "Wait"),
        ("500", "llm_server_error", "Try again"),
    ],
)
def test_http_errors_name_cause_and_fix(server, mode, code, words):
    server.mode = mode
    with pytest.raises(DraftingError) as err:
        make_drafter(server).draft(REQUEST)
    assert err.value.code == code and words in str(err.value)
    assert "sk-test" not in str(err.value)


def test_timeout_is_ours_not_the_sdk_default(server):
    server.mode, server.hang_s = "hang", 3
    with pytest.raises(DraftingError) as err:
        make_drafter(server, timeout=0.3).draft(REQUEST)
    assert err.value.code == "llm_timeout" and "STUDIO_LLM_TIMEOUT" in err.value.fix


def test_refused_connection():
    srv = FakeOpenAIServer()
    url = srv.base_url
    srv.stop()  # nothing listens there now
    client = openai.OpenAI(api_key="x", base_url=url, timeout=2, max_retries=0)
    with pytest.raises(DraftingError) as err:
        OpenAIDrafter(client, "m").draft(REQUEST)
    assert err.value.code == "llm_unreachable" and "OPENAI_BASE_URL" in err.value.fix


def test_vision_sends_downscaled_image_as_data_url(server, tmp_path):
    path = tmp_path / "pin.png"
    Image.new("RGB", (1000, 1500), (200, 80, 40)).save(path)
    make_drafter(server, vision="on").draft(REQUEST.model_copy(update={"image_path": str(path)}))
    parts = server.requests[-1]["messages"][1]["content"]
    url = next(p["image_url"]["url"] for p in parts if p["type"] == "image_url")
    assert url.startswith("data:image/jpeg;base64,")
    img = Image.open(io.BytesIO(base64.b64decode(url.split(",", 1)[1])))
    assert max(img.size) <= 768 and img.size[1] > img.size[0]


def test_vision_off_or_text_model_sends_no_image(server, tmp_path):
    path = tmp_path / "pin.png"
    Image.new("RGB", (200, 300)).save(path)
    make_drafter(server, vision="off").draft(REQUEST.model_copy(update={"image_path": str(path)}))
    make_drafter(server, vision="auto").draft(REQUEST.model_copy(update={"image_path": str(path)}))
    assert all(isinstance(r["messages"][1]["content"], str) for r in server.requests)
    make_drafter(server, model="llava:13b").draft(REQUEST.model_copy(update={"image_path": str(path)}))
    assert isinstance(server.requests[-1]["messages"][1]["content"], list)


def test_brand_voice_and_keywords_reach_the_prompt(server):
    voice = BrandVoice(tone="playful", words_avoid=["cheap"], language="German", hashtags=False)
    make_drafter(server, voice=voice).draft(REQUEST.model_copy(update={"landing": {"title": "Soup Shop"}}))
    system, user = (m["content"] for m in server.requests[-1]["messages"])
    assert "German" in system and "playful" in system and "cheap" in system and "no hashtags" in system
    assert "autumn soup recipe" in user and "Soup Shop" in user and "https://example.com/soup" in user


def test_settings_build_the_client_with_placeholder_key_and_our_timeout(server, monkeypatch):
    monkeypatch.setenv("STUDIO_LLM_PROVIDER", "auto")
    monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
    monkeypatch.setenv("STUDIO_LLM_TIMEOUT", "7")
    monkeypatch.setenv("STUDIO_LLM_RETRIES", "1")
    drafter = get_drafter(load_settings())
    assert drafter.name == "openai"
    assert drafter.client.timeout == 7 and drafter.client.max_retries == 1
    drafter.draft(REQUEST)
    assert server.requests[-1]["_headers"]["authorization"].startswith("Bearer sk-no-key")


def test_extract_json_object_from_prose():
    assert extract_json_object('Here: {"a": {"b": 1}} thanks') == {"a": {"b": 1}}
    assert extract_json_object('{broken {"x": 2}') == {"x": 2}
    assert extract_json_object("no json") is None


def test_text_only_model_refusing_the_image_is_retried_without_it(server, tmp_path):
    path = tmp_path / "pin.png"
    Image.new("RGB", (200, 300)).save(path)
    server.mode = "no_vision"
    out = make_drafter(server, vision="on").draft(REQUEST.model_copy(update={"image_path": str(path)}))
    assert out.title == DEFAULT_REPLY["title"]
    first, second = server.requests
    assert isinstance(first["messages"][1]["content"], list) and isinstance(second["messages"][1]["content"], str)
    assert second["response_format"]["type"] == "json_schema"  # the format was not blamed


def test_a_new_drafter_remembers_the_endpoint_needs_json_mode(server):
    server.mode = "no_schema"
    make_drafter(server, model="remember-me").draft(REQUEST)
    make_drafter(server, model="remember-me").draft(REQUEST)
    assert [r["response_format"]["type"] for r in server.requests] == ["json_schema", "json_object", "json_object"]
