"""A carousel's copy is drafted for the carousel and its slides: its own title (never the original pin's),
a description for the whole, and each slide's alt text from that slide's real image and size. Offline, and
through the real openai client against the loopback OpenAI-compatible server."""

from __future__ import annotations

import json

import openai
import pytest

from studio.bulk import carousel_from_designs
from studio.design import carousel_items, fresh_designs
from studio.drafting import CallLog, DraftingService, draft_carousel_copy, service_for
from studio.drafting.offline import OfflineDrafter
from studio.drafting.openai_compat import OpenAIDrafter
from studio.drafts import lint, save_draft
from studio.media.assets import ingest_image
from tests.fakes.openai_server import DEFAULT_REPLY
from tests.support.people import editor


def openai_service(store, server, data_dir, model="fake-vision-model", vision="on") -> DraftingService:
    client = openai.OpenAI(api_key="sk-test", base_url=server.base_url, timeout=5, max_retries=0)
    return DraftingService(store, OpenAIDrafter(client, model, vision=vision), data_dir=data_dir)


@pytest.fixture
def landscape_pin(store, data_dir, make_image):
    """A pin of a landscape photo whose copy was drafted for that photo (the offline drafter)."""
    photo = ingest_image(store, data_dir, make_image(size=(1500, 1000), color=(40, 150, 70)), "pesto.jpg")[0]
    service = DraftingService(store, OfflineDrafter(), data_dir=data_dir)
    copy = service.draft(media_id=photo.id, topic="Basil pesto in 10 minutes", link="https://example.com/pesto").output
    assert "landscape" in copy.alt_text
    return save_draft(
        store,
        None,
        {
            "media_id": photo.id,
            "title": copy.title,
            "description": copy.description,
            "alt_text": copy.alt_text,
            "link": "https://example.com/pesto",
            "board": "Recipes",
            "topic": "Basil pesto in 10 minutes",
        },
        actor=editor(),
    )


def test_a_carousel_of_designs_gets_its_own_title_and_portrait_alt_texts(store, settings, data_dir, landscape_pin):
    designs = fresh_designs(store, settings, landscape_pin.id, ["band-top", "panel-solid", "collage"], actor=editor())
    service = service_for(store, settings)
    made = carousel_from_designs(store, settings, service, landscape_pin.id, [d["id"] for d in designs], actor=editor())
    carousel = store.get_draft(made["draft_id"])
    assert carousel.title != landscape_pin.title and "3" in carousel.title
    checks = {r["rule"]: r for r in lint(carousel.model_dump(), store=store, draft_id=carousel.id)}
    assert checks["unique_title"]["ok"]  # no duplicate-title warning
    slides = carousel_items(store, carousel.id)
    alts = [s["alt_text"] for s in slides]
    assert len(set(alts)) == 3 and all("portrait" in a and "landscape" not in a for a in alts)
    assert "portrait" in carousel.alt_text and "landscape" not in carousel.alt_text
    assert carousel.alt_text.startswith("A carousel of 3 portrait images")  # the pin's: its pictures as a whole
    assert carousel.description != landscape_pin.description and "Swipe through 3 slides" in carousel.description
    assert CallLog(store).for_draft(carousel.id)  # the drafting call is logged with the carousel


def test_offline_slide_alt_text_follows_each_slides_real_shape(store, data_dir, make_image):
    sizes = [(1000, 1500), (1500, 1000), (1000, 1000)]
    ids = [
        ingest_image(store, data_dir, make_image(size=s, color=(200, 40, 40)), f"s{n}.jpg")[0].id
        for n, s in enumerate(sizes)
    ]
    service = DraftingService(store, OfflineDrafter(), data_dir=data_dir)
    out = draft_carousel_copy(service, [{"media_id": i} for i in ids], topic="Tomato soup").output
    assert [a.split(": ", 1)[1].split(" image")[0] for a in out.slide_alt_texts] == [
        "a portrait",
        "a landscape",
        "a square",
    ]
    assert [a.split(":")[0] for a in out.slide_alt_texts] == ["Slide 1 of 3", "Slide 2 of 3", "Slide 3 of 3"]


def carousel_reply(body: dict) -> dict:
    """The fake model answers one alt text per slide it was told about."""
    prompt = body["messages"][-1]["content"]
    text = prompt if isinstance(prompt, str) else prompt[0]["text"]
    slides = json.loads(text.split("Slides (in order): ", 1)[1].split("\n", 1)[0])
    return {
        **DEFAULT_REPLY,
        "title": "Basil pesto three ways",
        "slides": [{"alt_text": f"Slide {s['slide']}: a {s['orientation']} photo of pesto."} for s in slides],
    }


@pytest.fixture
def three_slides(store, data_dir, make_image):
    sizes = [(1000, 1500), (1000, 1500), (1500, 1000)]
    return [
        {"media_id": ingest_image(store, data_dir, make_image(size=s, color=(40 * n, 90, 90)), f"p{n}.jpg")[0].id}
        for n, s in enumerate(sizes)
    ]


def test_openai_compatible_drafts_the_carousel_and_each_slide_seeing_every_image(store, server, data_dir, three_slides):
    server.reply_for = carousel_reply
    result = draft_carousel_copy(openai_service(store, server, data_dir), three_slides, topic="basil pesto")
    out = result.output
    assert out.title == "Basil pesto three ways"
    assert out.slide_alt_texts == [
        "Slide 1: a portrait 2:3 photo of pesto.",
        "Slide 2: a portrait 2:3 photo of pesto.",
        "Slide 3: a landscape photo of pesto.",
    ]
    (request,) = server.requests
    parts = request["messages"][-1]["content"]
    assert "a carousel of 3 images" in parts[0]["text"]
    images = [p["image_url"]["url"] for p in parts if p["type"] == "image_url"]
    assert len(images) == 3 and len(set(images)) == 3  # every slide's own picture
    schema = request["response_format"]["json_schema"]["schema"]
    assert "slides" in schema["properties"]


def test_a_text_model_gets_the_slides_facts_and_slides_answered_as_strings_count(store, server, data_dir, three_slides):
    server.reply_for = lambda body: {**DEFAULT_REPLY, "slides": ["One.", "Two.", "Three."]}
    service = openai_service(store, server, data_dir, model="fake-text-model", vision="off")
    out = draft_carousel_copy(service, three_slides, topic="basil pesto").output
    assert out.slide_alt_texts == ["One.", "Two.", "Three."]
    (request,) = server.requests
    assert isinstance(request["messages"][-1]["content"], str)  # no pictures for a model that can't see
    assert '"orientation": "landscape"' in request["messages"][-1]["content"]


def test_a_title_equal_to_the_one_to_avoid_is_asked_for_again(store, server, data_dir, three_slides):
    titles = iter(["Basil pesto in 10 minutes", "Basil pesto, three ways to swipe"])
    server.reply_for = lambda body: {**DEFAULT_REPLY, "title": next(titles), "slides": ["a", "b", "c"]}
    out = draft_carousel_copy(
        openai_service(store, server, data_dir), three_slides, avoid_titles=["basil pesto in 10 minutes"]
    ).output
    assert out.title == "Basil pesto, three ways to swipe" and len(server.requests) == 2
    assert "must differ from these titles" in server.requests[0]["messages"][-1]["content"][0]["text"]


def test_missing_slide_answers_leave_those_slides_empty(store, server, data_dir, three_slides):
    server.reply_for = lambda body: {**DEFAULT_REPLY, "slides": [{"alt_text": "Only the first."}]}
    out = draft_carousel_copy(openai_service(store, server, data_dir), three_slides).output
    assert out.slide_alt_texts == ["Only the first.", "", ""]
