"""One pin in the review grid: the tile (2:3 image, feed-cut title, board, status, failing checks) and
the open pin beside the grid (everything about it, all checks, history, the reviewer's actions).

Other panels add themselves to the open pin with one call in `detail()` (see the marked spots)."""

from __future__ import annotations

import base64
import html
from pathlib import Path

import streamlit as st

from pages_support import carousel_card
from pages_support.metrics import pin_metrics
from pages_support.ui import STATUS_BADGE
from studio.accounts import board_state
from studio.config import Settings
from studio.drafts import get_cover, timeline
from studio.media import card, card_image, preview_image, thumbnail
from studio.models import Draft
from studio.scheduling import local_time
from studio.storage import Store
from studio.text import escape_markdown

GRID_CSS = """
<style>
.pin-card {border: 1px solid rgba(128, 128, 128, 0.35); border-radius: 12px; padding: 10px;}
.pin-card img, .pin-card .pin-blank {border-radius: 16px; width: 100%; aspect-ratio: 2 / 3; display: block;}
.pin-card img {object-fit: cover;}
.pin-card .pin-blank {background: #efefef;}
.pin-card .pin-title {font-weight: 600; font-size: 0.9rem; line-height: 1.2; margin: 4px 0 2px;}
.pin-card .pin-meta {font-size: 0.75rem; color: #767676;}
.pin-card .pin-fail {font-size: 0.75rem; color: #b3261e;}
.pin-card .pin-actions {display: flex; gap: 8px; align-items: center; margin-top: 8px;}
.pin-card input[type=checkbox] {width: 1.1rem; height: 1.1rem; accent-color: #e60023; cursor: pointer; margin: 0;}
.pin-card button {flex: 1; font: inherit; font-size: 0.9rem; padding: 4px 10px; cursor: pointer; color: inherit;
  background: transparent; border: 1px solid rgba(128, 128, 128, 0.45); border-radius: 8px;}
.pin-card button:hover, .pin-card button:focus-visible {border-color: #e60023; color: #e60023;}
</style>
"""
# The grid's controls are plain HTML inside each card (a box and an "Open" button), and this listener (fixed
# code, no user data) turns their clicks into events for Python: one element per card instead of five
# Streamlit elements, which is what makes each grid rerun cheap enough (issue #16: every interaction under
# 0.5 s with 1,000 drafts, bench/bench_review_browser.py). Keys typed while a grid box has the focus press the
# open pin's buttons (Streamlit's own shortcuts ignore keys typed in an <input>); text fields keep theirs.
GRID_EVENTS_JS = """
export default function ({ setTriggerValue }) {
  const pinOf = (el, attr) => Number.parseInt(el.getAttribute(attr), 10);
  // Every box whose state differs from the one Python drew (its `checked` attribute): the box just clicked,
  // and any clicked before this listener was mounted (the page shows the boxes a moment before).
  const sync = () => {
    const changed = [...document.querySelectorAll("input[data-pin-select]")]
      .filter((box) => box.checked !== box.defaultChecked)
      .map((box) => ({id: pinOf(box, "data-pin-select"), on: box.checked}));
    if (changed.length) setTriggerValue("toggle", changed);
  };
  const onClick = (event) => {
    const el = event.target.closest && event.target.closest("[data-pin-select], [data-pin-open]");
    if (!el) return;
    if (el.hasAttribute("data-pin-open")) setTriggerValue("open", pinOf(el, "data-pin-open"));
    else sync();
  };
  const buttons = {a: "open_approve", x: "open_reject", j: "open_next", k: "open_prev"};
  const onKey = (event) => {
    if (!(event.target instanceof HTMLInputElement) || !event.target.hasAttribute("data-pin-select")) return;
    if (event.ctrlKey || event.metaKey || event.altKey || event.shiftKey || event.repeat) return;
    const key = buttons[(event.key || "").toLowerCase()];
    const button = key && document.querySelector(`.st-key-${key} button`);
    if (!button || button.disabled) return;
    event.preventDefault();
    button.click();
  };
  document.addEventListener("click", onClick, true);
  document.addEventListener("keydown", onKey, true);
  sync();
  return () => {
    document.removeEventListener("click", onClick, true);
    document.removeEventListener("keydown", onKey, true);
  };
}
"""
grid_events = st.components.v2.component("pinstudio_grid_events", js=GRID_EVENTS_JS)


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
    """A stored JPEG (a grid tile, 15–30 KB; an open pin's preview) as a data URI, for an `st.html` card or an
    `st.image` that Streamlit passes through as it is: no image decoding and no media-file round trip on each
    rerun, and an element this browser was sent before goes again as a short reference (Streamlit's message
    cache keeps elements of 10 KB and more)."""
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
    """Outline the open pin's card (a style only: opening another pin doesn't redraw two cards)."""
    return f"<style>.pin-card[data-pin='{int(draft_id)}'] {{outline: 3px solid #e60023;}}</style>"


def tile(db: Store, cfg: Settings, draft: Draft, *, selected: bool) -> None:
    """The pin as a grid card, in one element: picture, feed-cut title, board and status, failing checks, then
    its box and "Open" (their clicks reach Python through `grid_events`)."""
    image = tile_image(db, cfg, draft)
    info = card(draft.title, draft.link, None, None)
    pin = int(draft.id)
    parts = [
        f"<div class='pin-card' data-pin='{pin}'>",
        f"<img src='{image_src(image)}' alt='{html.escape(draft.alt_text)}'>"
        if image
        else "<div class='pin-blank'></div>",
        f"<div class='pin-title'>{html.escape(info['title']) or '<i>(no title)</i>'}</div>",
        f"<div class='pin-meta'>{html.escape(draft.board or 'no board')} · {STATUS_BADGE[draft.status.value]}"
        + (" · 🗓️ scheduled" if draft.scheduled_at else "")
        + "</div>",
    ]
    if draft.lint_failures or draft.media_warnings or not draft.media_id:
        parts += [f"<div class='pin-fail'>⚠️ {html.escape(m)}</div>" for m in failing_checks(db, cfg, draft)[:3]]
    parts.append(
        f"<div class='pin-actions'><input type='checkbox' data-pin-select='{pin}' aria-label='Select pin #{pin}'"
        + (" checked" if selected else "")
        + f"><button type='button' data-pin-open='{pin}' aria-label='Open pin #{pin}'>Open</button></div></div>"
    )
    st.html("".join(parts), width=CARD_WIDTH)


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
    shown = asset
    cover = get_cover(db, draft.id, draft.media_id) if asset and asset.kind == "video" else None
    if cover and cover.get("cover_media_id"):
        shown = db.get_media(cover["cover_media_id"])
    image = preview_image(cfg.data_dir, shown) if shown else None  # the feed's cut, in the pin's own shape
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
    if draft.scheduled_at:
        when = local_time(draft.scheduled_at, cfg.timezone)
        st.caption(f"🗓️ Scheduled for {when:%a %Y-%m-%d %H:%M} ({cfg.timezone})")
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
