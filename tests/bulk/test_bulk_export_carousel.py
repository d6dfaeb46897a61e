"""The bulk-create CSV says which pins it can't carry: a carousel is left out with the reason."""

from __future__ import annotations

from datetime import UTC, datetime

from studio.bulk import tables
from studio.bulk.csv_format import parse
from studio.bulk.exporter import export_pinterest_csv
from studio.design import set_carousel_items
from studio.drafts.lifecycle import approve, save_draft
from studio.media.assets import ingest_path
from tests.support.media import make_image
from tests.support.people import editor, reviewer


def test_a_carousel_is_left_out_of_the_csv_with_the_reason(store, data_dir, tmp_path):
    media = []
    for i in range(3):
        asset, _ = ingest_path(store, data_dir, make_image(tmp_path / f"{i}.jpg", (300, 450), colour=f"#{i}0{i}0{i}0"))
        tables.remember_media_url(store, asset.id, f"https://cdn.example/{i}.jpg")
        media.append(asset)
    fields = {"title": "Single", "description": "d", "link": "https://example.com/a", "board": "Recipes"}
    single = save_draft(store, None, {**fields, "media_id": media[0].id}, actor=editor())
    approve(store, single.id, actor=reviewer())
    carousel = save_draft(store, None, {**fields, "title": "Carousel", "media_id": media[1].id}, actor=editor())
    set_carousel_items(store, carousel.id, [{"media_id": media[1].id}, {"media_id": media[2].id}])
    approve(store, carousel.id, actor=reviewer())
    result = export_pinterest_csv(store, now=datetime(2030, 1, 1, tzinfo=UTC))
    assert [r.values["title"] for r in parse(result.texts[0]).rows] == ["Single"]
    assert len(result.skipped) == 1 and result.skipped[0]["draft_id"] == carousel.id
    assert (
        "carousel of 2 images" in result.skipped[0]["reason"]
        and "one image or video per row" in result.skipped[0]["reason"]
    )
    assert f"#{carousel.id}" in " ".join(result.warnings)
