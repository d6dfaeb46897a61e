"""What the CLI and the pages call: render designs to files, make fresh pins for a draft, turn chosen
designs into drafts of their own, and keep the brand kit."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from studio import constraints, people
from studio.config import Settings
from studio.design import store as design_store
from studio.design.render import BrandKit, Design, DesignInputs, render
from studio.design.templates import all_templates, get_template
from studio.errors import ValidationError
from studio.models import Draft, iso
from studio.people import Actor, Permission
from studio.storage import Store


def brand_kit(store: Store | None) -> BrandKit:
    saved = design_store.load_brand_kit(store) if store is not None else None
    return BrandKit.model_validate(saved or {})


def save_brand_kit(store: Store, kit: BrandKit | dict, *, actor: Actor) -> BrandKit:
    """Validate (colours, faces, template) and keep the brand kit (owners)."""
    from studio.design import contrast, fonts

    people.require(actor, Permission.BRAND_KIT)
    kit = BrandKit.model_validate(kit if isinstance(kit, dict) else kit.model_dump())
    for role in ("primary", "secondary", "background", "accent"):
        contrast.hex_rgb(getattr(kit, role))
    if kit.text:
        contrast.hex_rgb(kit.text)
    for spec in (kit.heading_font, kit.body_font):
        fonts.coverage(str(fonts.face_path(fonts.FaceSpec.parse(spec).name)))
    design_store.save_brand_kit(store, kit.model_dump())
    return kit


def template_names(data_dir: Path | None = None) -> list[str]:
    return list(all_templates(data_dir))


def render_design(
    media: list[str],
    title: str,
    template: str,
    *,
    subtitle: str = "",
    cta: str = "",
    brand: BrandKit | None = None,
    data_dir: Path | None = None,
) -> Design:
    if not title.strip():
        raise ValidationError("A design needs a title.", fix="Give the pin's title (--title).", code="title_required")
    for path in media:
        if not Path(path).is_file():
            raise ValidationError(
                f"The image {path} does not exist.", fix="Give the path of a JPEG or PNG.", code="media_not_found"
            )
        require_big_enough(path)
    inputs = DesignInputs(
        media=[str(m) for m in media],
        title=title,
        subtitle=subtitle,
        cta=cta,
        template=template,
        brand=brand or BrandKit(),
    )
    return render(inputs, get_template(template, data_dir))


def require_big_enough(path: str | Path) -> None:
    """A design's photo passes the size rule of `pinstudio check` (the same check, code and words): a design
    can't make a photo Pinterest refuses any sharper, so none is made from it."""
    from studio.media import check_path

    for issue in check_path(path).errors:
        if issue.code == "image_too_small":
            raise ValidationError(issue.message, fix=issue.fix, code=issue.code)


def render_to_dir(
    media: list[str],
    title: str,
    templates: list[str],
    out_dir: Path,
    *,
    brand: BrandKit | None = None,
    data_dir: Path | None = None,
    subtitle: str = "",
    cta: str = "",
) -> list[dict]:
    """Render each template into `out_dir` as `<stem>.<template>.jpg`; the `pinstudio design` result."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = Path(media[0]).stem
    results = []
    for name in templates:
        design = render_design(media, title, name, subtitle=subtitle, cta=cta, brand=brand, data_dir=data_dir)
        path = out_dir / f"{stem}.{name}.jpg"
        tmp = path.with_name(path.name + ".part")
        tmp.write_bytes(design.data)
        tmp.replace(path)
        results.append(design.summary(str(path)))
    return results


def store_design(store: Store, settings: Settings, design: Design, *, source_media: list, draft_id: int | None) -> dict:
    """Keep a rendered design as a media asset (checked like any upload) with its provenance row."""
    from studio.media import ingest_bytes

    asset, _ = ingest_bytes(store, settings.data_dir, design.data, f"design-{design.template}.jpg")
    return design_store.add_design(
        store,
        media_id=asset.id,
        template=design.template,
        template_digest=design.provenance["template_digest"],
        title=design.provenance["inputs"]["title"],
        source_media=source_media,
        source_draft_id=draft_id,
        contrast=design.contrast,
        text_fits=design.text_fits,
        provenance=design.provenance,
    )


def fresh_designs(
    store: Store,
    settings: Settings,
    draft_id: int,
    templates: list[str],
    titles: list[str] | None = None,
    *,
    subtitle: str = "",
    cta: str = "",
    actor: Actor,
) -> list[dict]:
    """N templates × the title alternatives → designs for the draft's image, stored, for the gallery."""
    from studio.media import media_path

    people.require(actor, Permission.DESIGN)
    draft = store.get_draft(draft_id)
    if not draft.media_id:
        raise ValidationError(
            "This draft has no image yet.", fix="Add an image on Compose first.", code="media_required"
        )
    asset = store.get_media(draft.media_id)
    if asset.kind == "video":  # designs for a video are cover candidates, made from one of its frames
        asset = _cover_frame(store, settings, draft, asset)
    if asset.kind != "image":
        raise ValidationError(
            "Fresh pins are made from an image.",
            fix="Pick a still image (or a video's cover frame saved as an image).",
            code="image_required",
        )
    titles = [t for t in (titles or [draft.title]) if t.strip()] or [draft.title]
    if not templates:
        raise ValidationError(
            "Pick at least one template.", fix="Choose templates in the gallery.", code="template_required"
        )
    kit = brand_kit(store)
    source = str(media_path(settings.data_dir, asset))
    made = []
    for title in titles:
        for name in templates:
            design = render_design(
                [source], title, name, subtitle=subtitle, cta=cta, brand=kit, data_dir=settings.data_dir
            )
            made.append(store_design(store, settings, design, source_media=[asset.id], draft_id=draft_id))
    return made


def _cover_frame(store: Store, settings: Settings, draft: Draft, video):
    """The frame a video's designs are made from: the cover frame chosen on Compose; else the frame at
    the cover time (`thumb_offset`, e.g. from the HTTP API); else the first frame. The frame is kept
    with the draft's cover so the next design reuses it."""
    from studio.drafts import get_cover, set_cover_frame
    from studio.errors import MediaError
    from studio.media import apply_fix

    cover = get_cover(store, draft.id, video.id)
    if cover and cover.get("cover_media_id"):
        return store.get_media(int(cover["cover_media_id"]))
    offset = float(cover["offset_s"]) if cover else 0.0
    duration = float(store.media_facts(video.id).get("duration_s") or 0.0)
    if duration and offset >= duration:  # Pinterest uses the last frame for a time past the end; so do we
        offset = max(0.0, duration - 1.0)
    try:
        frame = apply_fix(store, settings.data_dir, video, "cover_frame", offset_s=offset)
    except MediaError as exc:
        raise ValidationError(
            f"Couldn't take a frame from the video to design its cover: {exc.message}",
            fix="Pick a cover frame on Compose, then make designs.",
            code="cover_frame_failed",
        ) from None
    if cover:  # remember the frame of the cover time (the time itself is unchanged)
        set_cover_frame(store, draft.id, video.id, frame.id)
    return frame


def make_fresh_pins(
    store: Store,
    settings: Settings,
    draft_id: int,
    design_ids: list[int],
    *,
    actor: Actor,
    start: datetime | None = None,
) -> list[dict]:
    """Each chosen design becomes its own draft (same link, board and copy, the design's title and image),
    linked to the original, linted and media-checked, sent to review, with a suggested time spaced so
    the repeat-link guardrail never sees two of them together."""
    from studio.drafts import save_draft, submit_for_review

    people.require(actor, Permission.DESIGN)
    if not design_ids:
        raise ValidationError("No design is chosen.", fix="Tick the designs to keep.", code="design_required")
    original = store.get_draft(draft_id)
    gap = timedelta(days=settings.repeat_days, hours=1)
    when = _first_free(store, original, settings, start or datetime.now(UTC) + timedelta(days=1))
    out = []
    for design_id in design_ids:
        design = design_store.get_design(store, design_id)
        if design["source_draft_id"] != draft_id:
            raise ValidationError(
                f"Design #{design_id} was not made for this draft.",
                fix="Make fresh designs for it first.",
                code="design_mismatch",
            )
        fields = _copied_from(original, media_id=design["media_id"], title=design["title"][:100])
        created = save_draft(store, None, fields, actor=actor)  # lint and media-warning marks come with it
        if created.title and created.board:
            created = submit_for_review(store, created.id, actor=actor)
        design_store.link_fresh_pin(store, created.id, draft_id, design_id, iso(when))
        out.append(
            {"draft_id": created.id, "design_id": design_id, "status": str(created.status), "suggested_at": iso(when)}
        )
        when = _first_free(store, original, settings, when + gap)
    return out


def _copied_from(original: Draft, *, media_id: int, title: str) -> dict:
    """A new pin's fields: its own media and title, the rest of the original's copy and target."""
    keep = ("description", "alt_text", "link", "board", "board_section", "topic", "keywords", "account")
    return {"media_id": media_id, "title": title, **{name: getattr(original, name) for name in keep}}


def _first_free(store: Store, draft: Draft, settings: Settings, start: datetime) -> datetime:
    """The first time from `start` at which the repeat guardrail (same link or image on the same board
    within STUDIO_REPEAT_DAYS, see studio.publishing.guardrails) lets a pin with this link go out."""
    board = draft.board.lower()
    times = []
    for other in store.pins_sharing(draft, "0000"):
        if other.board.lower() == board:
            at = datetime.fromisoformat(other.scheduled_at or other.updated_at)
            times.append(at if at.tzinfo else at.replace(tzinfo=UTC))
    if times:
        start = max(start, max(times) + timedelta(days=settings.repeat_days, hours=1))
    return start


def make_carousel_draft(
    store: Store,
    settings: Settings,
    draft_id: int,
    design_ids: list[int],
    *,
    copy: Mapping[str, Any],
    actor: Actor,
) -> dict:
    """The chosen designs (2–5, all 1000×1500) as one carousel draft linked to the original, sent to review.

    `copy` is the carousel's own (title, description, alt_text, slide_alt_texts: drafted for the carousel
    and its slides, see studio.bulk.carousel_from_designs): the original's title would be a duplicate, and
    its alt text describes its photo, not the 2:3 designs."""
    from studio.drafts import save_draft, submit_for_review
    from studio.media import check_carousel, check_path, media_path

    people.require(actor, Permission.DESIGN)
    original = store.get_draft(draft_id)
    designs = [design_store.get_design(store, i) for i in design_ids]
    assets = [store.get_media(d["media_id"]) for d in designs]
    issues = check_carousel([check_path(media_path(settings.data_dir, a)) for a in assets])
    if issues:
        raise ValidationError(issues[0].message, fix=issues[0].fix, code=issues[0].code)
    slide_alts = [str(t or "") for t in copy.get("slide_alt_texts") or []] + [""] * len(assets)
    fields = {
        **_copied_from(original, media_id=assets[0].id, title=str(copy["title"])[: constraints.TITLE_MAX]),
        "description": str(copy.get("description") or original.description),
        "alt_text": str(copy.get("alt_text") or slide_alts[0]),
    }
    with store.atomic():
        created = save_draft(store, None, fields, actor=actor)
        design_store.set_carousel_items(
            store,
            created.id,
            [
                {"media_id": a.id, "title": d["title"][:100], "link": original.link, "alt_text": alt}
                for a, d, alt in zip(assets, designs, slide_alts)
            ],
        )
        if created.title and created.board:
            created = submit_for_review(store, created.id, actor=actor)
        design_store.link_fresh_pin(store, created.id, draft_id, designs[0]["id"], "")
    return {"draft_id": created.id, "items": len(assets), "status": str(created.status)}


def save_brand_file(settings: Settings, data: bytes, name: str, kind: str, *, actor: Actor) -> str:
    """Keep an uploaded logo (an image) or font (.ttf/.otf) under `<data dir>/brand/`; returns its path."""
    import hashlib
    import io

    from PIL import Image, UnidentifiedImageError

    people.require(actor, Permission.BRAND_KIT)
    folder = Path(settings.data_dir) / "brand"
    folder.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256(data).hexdigest()[:16]
    if kind == "logo":
        try:
            with Image.open(io.BytesIO(data)) as img:
                img.load()
                fmt = (img.format or "PNG").lower()
        except (OSError, UnidentifiedImageError, Image.DecompressionBombError):
            raise ValidationError(
                "The logo can't be read as an image.", fix="Upload a PNG (transparent works best).", code="unreadable"
            ) from None
        path = folder / f"logo-{digest}.{fmt}"
    else:
        from studio.design import fonts

        suffix = Path(name).suffix.lower()
        if suffix not in (".ttf", ".otf"):
            raise ValidationError(
                "A font must be a .ttf or .otf file.", fix="Upload a TrueType or OpenType font.", code="font_unreadable"
            )
        path = folder / f"font-{digest}{suffix}"
        path.write_bytes(data)
        fonts.coverage(str(path))  # refuses a damaged font now, not at the first render
        return str(path)
    path.write_bytes(data)
    return str(path)


def use_design_as_cover(store: Store, draft_id: int, design_id: int | None, *, actor: Actor) -> None:
    """A design becomes the video draft's cover (sent as `cover_file`); None goes back to the frame time.
    Like any cover change, it voids an approval."""
    people.require(actor, Permission.EDIT)
    draft = store.get_draft(draft_id)
    video = store.get_media(draft.media_id) if draft.media_id else None
    if video is None or video.kind != "video":
        raise ValidationError("Only a video pin has a cover.", fix="Open a video draft.", code="cover_for_image")
    if design_id is not None and design_store.get_design(store, design_id)["source_draft_id"] != draft_id:
        raise ValidationError(
            f"Design #{design_id} was not made for this draft.",
            fix="Make designs for it first.",
            code="design_mismatch",
        )
    design_store.set_cover_design(store, draft_id, video.id, design_id)
    store.add_event(draft_id, actor, "cover_changed", {"design_id": design_id})
    _void_approval(store, draft, actor, "cover")


def design_cover(
    store: Store,
    settings: Settings,
    draft_id: int,
    *,
    template: str | None = None,
    title: str | None = None,
    actor: Actor,
) -> dict:
    """One step: a design rendered from the video's cover frame (the chosen one, else the cover time,
    else the first frame) with the pin's title becomes the video's cover image. Returns the design."""
    draft = store.get_draft(draft_id)
    video = store.get_media(draft.media_id) if draft.media_id else None
    if video is None or video.kind != "video":
        raise ValidationError(
            "Only a video pin has a cover.",
            fix="Open a video draft to give it a design as cover.",
            code="cover_for_image",
        )
    name = template or brand_kit(store).default_template
    made = fresh_designs(store, settings, draft_id, [name], [title or draft.title], actor=actor)
    use_design_as_cover(store, draft_id, made[0]["id"], actor=actor)
    return made[0]


def save_slide_alt_texts(store: Store, draft_id: int, alt_texts: dict[int, str], *, actor: Actor) -> list[int]:
    """Keep the alt text of a carousel's slides (position → text, as typed or drafted); returns the
    positions that changed. Too long is refused, not cut; a change voids an approval, like any edit."""

    people.require(actor, Permission.EDIT)
    cleaned = {int(p): (t or "").strip() for p, t in alt_texts.items()}
    for position, text in sorted(cleaned.items()):
        if len(text) > constraints.ALT_TEXT_MAX:
            raise ValidationError(
                f"The alt text of slide {position + 1} is {len(text)} characters; "
                f"Pinterest allows {constraints.ALT_TEXT_MAX}.",
                fix="Shorten it to what is visible in the image.",
                code="alt_text_too_long",
            )
    draft = store.get_draft(draft_id)
    changed = design_store.update_carousel_alt_texts(store, draft_id, cleaned)
    if changed:
        store.add_event(draft_id, actor, "slide_alt_text_changed", {"slides": [p + 1 for p in changed]})
        _void_approval(store, draft, actor, "slide alt text")
    return changed


def _void_approval(store: Store, draft: Draft, actor: Actor, what: str) -> None:
    """An approved (or failed) pin whose content changed goes back through review."""
    from studio.models import DraftStatus

    if draft.status in (DraftStatus.APPROVED, DraftStatus.FAILED) and draft.approved_hash:
        store.set_status(
            draft.id,
            DraftStatus.IN_REVIEW if draft.status is DraftStatus.APPROVED else DraftStatus.DRAFT,
            actor=actor,
            note=f"edited after approval: {what}",
            extra={"approved_hash": None},
        )
