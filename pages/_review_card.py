"""One pin in the review grid: the tile (2:3 image, feed-cut title, board, status, failing checks) and
the open pin beside the grid (everything about it, all checks, history, the reviewer's actions).

Other panels add themselves to the open pin with one call in `detail()` (see the marked spots)."""

from __future__ import annotations

import base64
import html
from pathlib import Path

import streamlit as st

from pages import _carousel_card as carousel_card
from pages._metrics import pin_metrics
from pages._ui import STATUS_BADGE
from studio.accounts import board_state
from studio.config import Settings
from studio.drafts import get_cover, timeline
from studio.media import card, card_image, thumbnail
from studio.models import Draft
from studio.storage import Store
from studio.text import escape_markdown

GRID_CSS = """
<style>
[class*="st-key-card_"] img {border-radius: 16px; width: 100%; aspect-ratio: 2 / 3; display: block; object-fit: cover;}
[class*="st-key-card_"] .pin-blank {aspect-ratio: 2 / 3; background: #efefef; border-radius: 16px;}
[class*="st-key-card_"] .pin-title {font-weight: 600; font-size: 0.9rem; line-height: 1.2; margin: 2px 0;}
[class*="st-key-card_"] .pin-meta {font-size: 0.75rem; color: #767676;}
[class*="st-key-card_"] .pin-fail {font-size: 0.75rem; color: #b3261e;}
</style>
"""


# Rerun costs of the grid (16 tiles per run, see bench/bench_review_browser.py): an image's tile file never
# changes (media are content-addressed), and a draft version's failing checks never change either, so both
# are kept in this process instead of being looked up (and hashed by st.cache_data) on every rerun.
_TILE_PATHS: dict[tuple[str, int], Path] = {}
_FAILING: dict[tuple, list[str]] = {}
_CACHE_MAX = 20_000


def _remember(cache: dict, key, value):
    if len(cache) >= _CACHE_MAX:
        cache.clear()
    cache[key] = value
    return value


def tile_image(db: Store, cfg: Settings, draft: Draft):
    """The 2:3 tile image (cached on disk per media), or None."""
    if not draft.media_id:
        return None
    key = (str(cfg.data_dir), draft.media_id)
    if (known := _TILE_PATHS.get(key)) is not None and known.exists():
        return known
    asset = db.get_media(draft.media_id)
    frame = None
    if asset.kind == "video":  # its cover can change: looked up each time
        cover = get_cover(db, draft.id, draft.media_id)
        if cover and cover.get("cover_media_id"):
            shown = db.get_media(cover["cover_media_id"])
            return card_image(cfg.data_dir, shown)
        try:
            frame = thumbnail(cfg.data_dir, asset)
        except Exception:  # a video ffmpeg can't read: the tile says so instead of failing the grid
            return None
        return card_image(cfg.data_dir, asset, frame)
    path = card_image(cfg.data_dir, asset, frame)
    return _remember(_TILE_PATHS, key, path) if path else None


def image_src(path: Path) -> str:
    """A tile (a 236 px JPEG of a few KB) as a data URI, for one `st.html` card or `st.image` that Streamlit
    passes through as it is: no image decoding and no media-file round trip on each rerun, and an element it
    has sent this browser before goes as a short reference (Streamlit's message cache)."""
    return "data:image/jpeg;base64," + base64.b64encode(path.read_bytes()).decode("ascii")


def failing_checks(db: Store, cfg: Settings, draft: Draft) -> list[str]:
    """The copy rules and media checks this version of the draft fails (kept per draft version)."""
    key = (str(cfg.db_path), draft.id, draft.version, draft.updated_at, draft.media_id)
    if (known := _FAILING.get(key)) is not None:
        return known
    from studio.drafts import lint

    failing = [r["message"] for r in lint(draft.model_dump(), store=db, draft_id=draft.id) if not r["ok"]]
    facts = db.media_facts(draft.media_id) if draft.media_id else {}
    failing += [
        f"media: {str(p).replace('_', ' ')}" for p in [*(facts.get("errors") or []), *(facts.get("warnings") or [])]
    ]
    if not draft.media_id:
        failing.append("no media attached")
    return _remember(_FAILING, key, failing)


CARD_WIDTH = 200  # px: the grid wraps as many as fit, as Pinterest's feed does


def open_card_css(draft_id: int) -> str:
    """Outline the open pin's card (a style only: Streamlit sends it without a new element)."""
    return f"<style>.st-key-card_{int(draft_id)} {{outline: 3px solid #e60023; border-radius: 12px;}}</style>"


def tile(db: Store, cfg: Settings, draft: Draft, *, selected: bool, sel_key: str, on_toggle, on_open, is_open: bool):
    """The pin as a grid card: the picture and its lines in one element, then the box and "Open"."""
    # The key stays the card's own whether open or not (the open one is outlined by `open_card_css`): a key
    # that changed with the open pin made the browser rebuild two cards on every J/K. Every element here is
    # paid for 16 times on each grid rerun (issue #16: each interaction under 0.5 s with 1,000 drafts).
    with st.container(border=True, key=f"card_{draft.id}", width=CARD_WIDTH):
        image = tile_image(db, cfg, draft)
        info = card(draft.title, draft.link, None, None)
        lines = [
            f"<img src='{image_src(image)}' alt=''>" if image else "<div class='pin-blank'></div>",
            f"<div class='pin-title'>{html.escape(info['title']) or '<i>(no title)</i>'}</div>",
            f"<div class='pin-meta'>{html.escape(draft.board or 'no board')} · "
            f"{STATUS_BADGE[draft.status.value]}" + (" · 🗓️ scheduled" if draft.scheduled_at else "") + "</div>",
        ]
        if draft.lint_failures or draft.media_warnings or not draft.media_id:
            for message in failing_checks(db, cfg, draft)[:3]:
                lines.append(f"<div class='pin-fail'>⚠️ {html.escape(message)}</div>")
        st.html("".join(lines))
        st.session_state.setdefault(sel_key, selected)  # a new box starts from the selection (see review.py)
        with st.container(horizontal=True, vertical_alignment="center", gap="small"):  # one block, not 3 columns
            st.checkbox("Select", key=sel_key, on_change=on_toggle, args=(draft.id,), label_visibility="collapsed")
            st.button("Open", key=f"open_{draft.id}", on_click=on_open, args=(draft.id,), width="stretch")


def all_checks(db: Store, draft: Draft) -> None:
    """Every check, one line each, in one element (the open pin is redrawn on every grid rerun)."""
    from studio.drafts import lint

    lines = [
        f"{'✅' if rule['ok'] else '⚠️'} {escape_markdown(rule['message'])}"
        for rule in lint(draft.model_dump(), store=db, draft_id=draft.id)
    ]
    facts = db.media_facts(draft.media_id) if draft.media_id else {}
    problems = [*(facts.get("errors") or []), *(facts.get("warnings") or [])]
    if not draft.media_id:
        lines.append("❌ no media attached")
    elif problems:
        lines.append("⚠️ media: " + ", ".join(escape_markdown(str(p).replace("_", " ")) for p in problems))
    else:
        lines.append("✅ media meets Pinterest's specs")
    st.markdown("  \n".join(lines))


def detail(db: Store, cfg: Settings, draft: Draft) -> None:
    """The open pin: the feed preview, its copy as text, the checks on demand, its history."""
    asset = db.get_media(draft.media_id) if draft.media_id else None
    cover = get_cover(db, draft.id, draft.media_id) if asset and asset.kind == "video" else None
    if cover and not cover.get("cover_media_id"):
        cover = None
    # The feed's 2:3 cut, as wide as it is shown; a video without a chosen cover says so instead.
    image = tile_image(db, cfg, draft) if asset and (asset.kind == "image" or cover) else None
    st.markdown(f"**#{draft.id} · {escape_markdown(draft.title) or '(no title)'}**")
    if carousel_card.render(db, cfg, draft):  # a carousel shows its cards instead
        pass
    elif image:
        caption = f"🎬 video, cover at {int(cover['offset_s'])} s" if cover else None
        st.image(image_src(image), width=236, caption=caption)
    elif asset:
        st.caption(f"🎬 {asset.kind} #{asset.id} (no cover frame chosen: Pinterest shows the first frame)")
    st.caption(
        f"{STATUS_BADGE[draft.status.value]} · board {escape_markdown(draft.board or '—')} · "
        f"by {escape_markdown(draft.author or '—')} · updated {draft.updated_at[:16].replace('T', ' ')}"
    )
    if draft.board and board_state(db, draft.account or None, draft.board) == "deleted":
        st.warning(
            f"The board '{escape_markdown(draft.board)}' was deleted on Pinterest (last board sync). "
            "Move this pin to another board.",
            icon="🗑️",
        )
    st.text(draft.description or "(no description)")
    pin_metrics(db, draft_id=draft.id)  # a published pin's sparkline + totals (analytics)
    st.caption(f"Alt text: {escape_markdown(draft.alt_text or '—')}  \nLink: {escape_markdown(draft.link or '—')}")
    # --- panels of the open pin (one call each) -----------------------------------------
    with st.expander("All checks", expanded=False):
        all_checks(db, draft)
    with st.expander("History and comments"):
        rows = [
            f"`{row['at'][:16].replace('T', ' ')}` **{escape_markdown(row['who'])}** {escape_markdown(row['what'])}"
            for row in timeline(db, draft.id)
        ]
        if rows:
            st.markdown("  \n".join(rows))  # one element for the whole history
