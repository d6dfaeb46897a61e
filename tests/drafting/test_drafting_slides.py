"""Alt text per carousel slide: each image drafted on its own (the real openai client against the loopback
fake, vision on; the offline drafter as the deterministic fallback), capped and linted like a pin's alt
text, kept on the slides without replacing typed ones, and what publishing does with it."""

from __future__ import annotations

import re

import openai
import pytest

from studio import constraints
from studio.bulk import batch, draft_carousel_alt_texts
from studio.design import carousel_items, save_slide_alt_texts, set_carousel_items
from studio.drafting import CallLog, DraftingService
from studio.drafting.offline import OfflineDrafter
from studio.drafting.openai_compat import OpenAIDrafter
from studio.drafts import approve, save_draft, timeline
from studio.errors import DraftingError, ValidationError
from studio.media.assets import ingest_image
from studio.models import DraftStatus
from studio.publishing.dry_run import DryRunPublisher
from studio.publishing.service import request_for_draft
from tests.fakes.openai_server import DEFAULT_REPLY
from tests.support.people import editor, reviewer

COLOURS = [(200, 40, 40), (40, 160, 60), (40, 80, 200)]
TITLES = ["Chop the basil", "Blend with oil", "Serve on pasta"]


def vision_service(store, server, data_dir) -> DraftingService:
    client = openai.OpenAI(api_key="sk-test", base_url=server.base_url, timeout=5, max_retries=0)
    return DraftingService(store, OpenAIDrafter(client, "fake-vision-model", vision="on"), data_dir=data_dir)


def per_slide_reply(body: dict) -> dict:
    """The fake model 'sees' which slide it was shown: it answers with that slide's number."""
    text = " ".join(
        part.get("text", "") if isinstance(part, dict) else str(part)
        for m in body["messages"]
        for part in (m["content"] if isinstance(m["content"], list) else [m["content"]])
    )
    n = re.search(r"slide (\d+) of (\d+)", text)
    return {**DEFAULT_REPLY, "alt_text": f"Slide {n.group(1)} of {n.group(2)}: a hand at work in a kitchen."}


@pytest.fixture
def carousel(store, data_dir, make_image):
    media = [
        ingest_image(store, data_dir, make_image(size=(500, 750), color=c), f"slide{i}.jpg")[0]
        for i, c in enumerate(COLOURS)
    ]
    draft = save_draft(
        store,
        None,
        {
            "media_id": media[0].id,
            "title": "Basil pesto, step by step",
            "description": "Pesto in three steps.",
            "link": "https://example.com/pesto",
            "board": "Recipes",
            "topic": "basil pesto",
        },
        actor=editor(),
    )
    set_carousel_items(store, draft.id, [{"media_id": m.id, "title": t} for m, t in zip(media, TITLES)])
    return draft


def alts(store, draft_id) -> list[str]:
    return [i["alt_text"] for i in carousel_items(store, draft_id)]


def test_each_slide_without_alt_text_is_drafted_from_its_own_image(store, server, data_dir, carousel):
    server.reply_for = per_slide_reply
    save_slide_alt_texts(store, carousel.id, {1: "Typed by hand: oil poured into a blender"}, actor=editor())
    results = draft_carousel_alt_texts(store, vision_service(store, server, data_dir), carousel.id, actor=editor())
    assert [r["slide"] for r in results] == [1, 3] and all(not r["error"] for r in results)
    assert alts(store, carousel.id) == [
        "Slide 1 of 3: a hand at work in a kitchen.",
        "Typed by hand: oil poured into a blender",  # typed text is never replaced
        "Slide 3 of 3: a hand at work in a kitchen.",
    ]
    images = [
        next(p["image_url"]["url"] for p in r["messages"][-1]["content"] if p["type"] == "image_url")
        for r in server.requests
    ]
    assert len(images) == 2 and len(set(images)) == 2  # one request per slide, each with its own picture
    assert all(url.startswith("data:image/jpeg;base64,") for url in images)
    assert {r["rule"] for r in results[0]["lint"]} == {"alt_text_length", "alt_text_not_copy", "alt_text_start"}
    assert len(CallLog(store).for_draft(carousel.id)) == 2  # logged with the draft, like any drafting call
    assert draft_carousel_alt_texts(store, vision_service(store, server, data_dir), carousel.id, actor=editor()) == []
    assert len(server.requests) == 2  # nothing left to draft: no call


def test_an_over_long_answer_is_capped_at_pinterests_limit(store, server, data_dir, carousel):
    server.mode = "long"
    results = draft_carousel_alt_texts(store, vision_service(store, server, data_dir), carousel.id, actor=editor())
    assert len(results) == 3
    for text in alts(store, carousel.id):
        assert 0 < len(text) <= constraints.ALT_TEXT_MAX
    assert all(next(r for r in res["lint"] if r["rule"] == "alt_text_length")["ok"] for res in results)


def test_a_failing_slide_is_reported_and_the_others_kept(store, server, data_dir, carousel):
    server.script = ["500"]
    results = draft_carousel_alt_texts(store, vision_service(store, server, data_dir), carousel.id, actor=editor())
    failed = [r for r in results if r["error"]]
    assert len(failed) == 1 and "internal error" in failed[0]["error"]
    stored = alts(store, carousel.id)
    assert stored[failed[0]["slide"] - 1] == "" and sum(bool(t) for t in stored) == 2


def test_every_slide_failing_raises_and_stores_nothing(store, server, data_dir, carousel):
    server.mode = "401"
    with pytest.raises(DraftingError) as err:
        draft_carousel_alt_texts(store, vision_service(store, server, data_dir), carousel.id, actor=editor())
    assert err.value.code == "llm_auth"
    assert alts(store, carousel.id) == ["", "", ""]


def test_offline_alt_text_is_per_slide_and_deterministic(store, data_dir, carousel):
    service = DraftingService(store, OfflineDrafter(), data_dir=data_dir)
    draft_carousel_alt_texts(store, service, carousel.id, actor=editor())
    first = alts(store, carousel.id)
    assert len(set(first)) == 3 and all(0 < len(t) <= constraints.ALT_TEXT_MAX for t in first)
    assert "red" in first[0] and "green" in first[1] and "blue" in first[2]  # what each image shows
    assert "chop the basil" in first[0].lower()
    save_slide_alt_texts(store, carousel.id, {0: "", 1: "", 2: ""}, actor=editor())
    draft_carousel_alt_texts(store, service, carousel.id, fresh=True, actor=editor())
    assert alts(store, carousel.id) == first  # the same inputs give the same text


def test_a_single_image_pin_has_no_slides_to_draft(store, data_dir, carousel):
    set_carousel_items(store, carousel.id, [])
    service = DraftingService(store, OfflineDrafter(), data_dir=data_dir)
    assert draft_carousel_alt_texts(store, service, carousel.id, actor=editor()) == []


def test_slide_alt_text_is_checked_and_an_edit_voids_the_approval(store, carousel):
    approve(store, carousel.id, actor=reviewer())
    with pytest.raises(ValidationError) as err:
        save_slide_alt_texts(store, carousel.id, {0: "x" * (constraints.ALT_TEXT_MAX + 1)}, actor=editor())
    assert err.value.code == "alt_text_too_long" and "slide 1" in err.value.message
    assert store.get_draft(carousel.id).status is DraftStatus.APPROVED  # refused: nothing changed
    assert save_slide_alt_texts(store, carousel.id, {0: "Basil leaves on a board"}, actor=editor()) == [0]
    assert store.get_draft(carousel.id).status is DraftStatus.IN_REVIEW
    assert "changed the alt text of carousel slide 1" in [row["what"] for row in timeline(store, carousel.id)]


def test_pinterest_gets_the_first_slides_alt_text_and_no_alt_text_per_item(store, data_dir, carousel):
    """SPEC PinMediaSourceImages*Item has title, description, link (and the image): no alt text."""
    save_slide_alt_texts(store, carousel.id, {0: "Basil leaves on a board", 2: "Pasta in a bowl"}, actor=editor())
    request, _ = request_for_draft(store, store.get_draft(carousel.id), data_dir)
    body = DryRunPublisher().publish(request).requests[-1]["json"]
    assert body["alt_text"] == "Basil leaves on a board"
    assert body["media_source"]["source_type"] == "multiple_image_base64"
    assert all("alt_text" not in item for item in body["media_source"]["items"])


def test_a_batch_redraft_drafts_the_slides_alt_text_too(store, settings, data_dir, carousel):
    service = DraftingService(store, OfflineDrafter(), data_dir=data_dir)
    batch_id = batch.start_batch(store, "redraft", [carousel.id], params={"field": "description"}, actor=reviewer())
    done = batch.run_batch(store, settings, batch_id, drafting=service, actor=reviewer())
    assert done["status"] == "done"
    message = batch.tables.items(store, batch_id)[0]["message"]
    assert "alt text drafted for slides 1, 2, 3" in message
    assert all(alts(store, carousel.id))
