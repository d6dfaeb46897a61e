"""Approved pins for guardrail tests: each with an image of its own (a repeat is only what a test makes one)."""

from __future__ import annotations

from itertools import count
from pathlib import Path

from studio.drafts import approve, save_draft, submit_for_review
from studio.media import ingest_image
from studio.models import Draft
from studio.storage import Store
from tests.support.media import image_bytes
from tests.support.people import editor, reviewer

_numbers = count(1)


def new_pin(store: Store, data_dir: Path, *, submitted: bool = True, **fields) -> Draft:
    """A draft with its own image (board "Recipes" unless given), in review unless `submitted` is False."""
    n = next(_numbers)
    colour = (n % 256, (n // 256) % 256, 90)  # lossless: a colour per pin is an image per pin (65,536)
    asset, _ = ingest_image(store, data_dir, image_bytes(size=(600, 900), fmt="PNG", color=colour), f"p{n}.png")
    values = {"title": f"Pin {n}", "board": "Recipes", "media_id": asset.id, **fields}
    draft = save_draft(store, None, values, actor=editor())
    return submit_for_review(store, draft.id, actor=editor()) if submitted else draft


def approved_pin(store: Store, data_dir: Path, **fields) -> Draft:
    """An approved pin with its own image."""
    return approve(store, new_pin(store, data_dir, **fields).id, actor=reviewer("rita"))
