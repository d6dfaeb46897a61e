"""One draft in the review queue: the pin preview, its fields, lint, media report and history."""

from __future__ import annotations

import html

import streamlit as st

from pages import _carousel_card as carousel_card
from pages._metrics import pin_metrics
from pages._ui import STATUS_BADGE
from studio.accounts import board_state
from studio.config import Settings
from studio.drafts import get_cover, timeline
from studio.media import card, preview_image
from studio.models import Draft
from studio.storage import Store
from studio.text import escape_markdown as md


def pin_preview(db: Store, cfg: Settings, draft: Draft) -> None:
    """A 2:3 card as the feed shows it: cropped image, title cut at ~40 characters, domain."""
    if carousel_card.render(db, cfg, draft):
        return
    asset = db.get_media(draft.media_id) if draft.media_id else None
    info = card(draft.title, draft.link, asset.width if asset else None, asset.height if asset else None)
    shown = asset
    cover = get_cover(db, draft.id, draft.media_id) if asset and asset.kind == "video" else None
    if cover and cover.get("cover_media_id"):
        shown = db.get_media(cover["cover_media_id"])  # the frame chosen as the video's cover
    image = preview_image(cfg.data_dir, shown) if shown else None
    if image:
        st.image(str(image), width=236, caption=f"🎬 video, cover at {int(cover['offset_s'])} s" if cover else None)
    elif asset:
        st.caption(f"🎬 {asset.kind} #{asset.id} (no cover frame chosen: Pinterest shows the first frame)")
    else:
        st.caption("(no media)")
    lines = [f"<div style='max-width:236px;font-weight:600;font-size:0.95rem'>{html.escape(info['title'])}</div>"]
    if info["domain"]:
        lines.append(f"<div style='font-size:0.8rem;color:#767676'>{html.escape(info['domain'])}</div>")
    st.html("".join(lines))
    notes = []
    if info["title_cut"]:
        notes.append("title cut in the feed")
    if info["cropped"]:
        notes.append("image cropped to 2:3 in the feed")
    if notes:
        st.caption(" · ".join(notes))


def lint_list(db: Store, draft: Draft) -> None:
    from studio.drafts import lint

    for rule in lint(draft.model_dump(), store=db, draft_id=draft.id):
        st.markdown(f"{'✅' if rule['ok'] else '⚠️'} {md(rule['message'])}")


def media_report(db: Store, draft: Draft) -> None:
    facts = db.media_facts(draft.media_id) if draft.media_id else {}
    problems = [*(facts.get("errors") or []), *(facts.get("warnings") or [])]
    if not draft.media_id:
        st.markdown("❌ no media attached")
    elif problems:
        st.markdown("⚠️ media: " + ", ".join(str(p).replace("_", " ") for p in problems))
    else:
        st.markdown("✅ media meets Pinterest's specs")


def render(db: Store, cfg: Settings, draft: Draft) -> None:
    left, right = st.columns([1, 2])
    with left:
        pin_preview(db, cfg, draft)
    with right:
        st.checkbox(f"**#{draft.id} · {md(draft.title)}**", key=f"sel_{draft.id}")
        st.caption(
            f"{STATUS_BADGE[draft.status.value]} · board {md(draft.board or '—')} · by {md(draft.author or '—')} · "
            f"updated {draft.updated_at[:16].replace('T', ' ')}"
        )
        if draft.board and board_state(db, draft.account or None, draft.board) == "deleted":
            st.warning(
                f"The board '{md(draft.board)}' was deleted on Pinterest (last board sync). "
                "Move this pin to another board.",
                icon="🗑️",
            )
        st.markdown(md(draft.description) if draft.description else "_(no description)_")
        pin_metrics(db, draft_id=draft.id)  # a published pin's sparkline + totals (analytics)
        st.caption(f"Alt text: {md(draft.alt_text or '—')}  \nLink: {md(draft.link or '—')}")
        with st.expander("Checks", expanded=bool(draft.lint_failures or draft.media_warnings)):
            lint_list(db, draft)
            media_report(db, draft)
        with st.expander("History and comments"):
            for row in timeline(db, draft.id):
                st.markdown(f"`{row['at'][:16].replace('T', ' ')}` **{md(row['who'])}** {md(row['what'])}")
