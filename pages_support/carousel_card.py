"""A carousel pin on Review: its slides in a swipeable strip (CSS scroll snap: swipe on touch,
scroll with a trackpad), each with its own title, description and alt text (shown as text); the feed shows
the first."""

from __future__ import annotations

import base64
import html

import streamlit as st

from studio.config import Settings
from studio.design import carousel_items
from studio.media import preview_image
from studio.models import Draft
from studio.storage import Store

CARD_WIDTH = 236  # px, as the feed card of a single pin


def render(db: Store, cfg: Settings, draft: Draft) -> bool:
    """Draw the carousel card and return True, or return False for a draft that is not a carousel."""
    items = carousel_items(db, draft.id)
    if len(items) < 2:
        return False
    slides = []
    for n, item in enumerate(items, 1):
        path = preview_image(cfg.data_dir, db.get_media(item["media_id"]))
        src = f"data:image/jpeg;base64,{base64.b64encode(path.read_bytes()).decode()}" if path else ""
        caption = html.escape(item["title"] or draft.title)
        alt = (item["alt_text"] or "").strip()
        alt_line = f"Alt: {html.escape(alt)}" if alt else "No alt text yet (Draft copy on Compose writes it)"
        description = (item["description"] or "").strip()
        about = (
            f"<div class='slide-description' style='font-size:0.75rem'>{html.escape(description)}</div>"
            if description
            else ""
        )
        slides.append(
            f"<div class='pin-slide' style='flex:0 0 {CARD_WIDTH}px;scroll-snap-align:start'>"
            f"<img src='{src}' alt='{html.escape(item['alt_text'] or '')}' "
            f"style='width:{CARD_WIDTH}px;aspect-ratio:2/3;object-fit:cover;border-radius:16px'/>"
            f"<div style='font-size:0.8rem;color:#767676'>{n}/{len(items)} · {caption}</div>{about}"
            f"<div class='slide-alt' title='{html.escape(alt)}' style='font-size:0.75rem;color:#767676;"
            "display:-webkit-box;-webkit-line-clamp:3;-webkit-box-orient:vertical;overflow:hidden'>"
            f"{alt_line}</div></div>"
        )
    st.html(
        f"<div class='pin-carousel' data-slides='{len(items)}' style='display:flex;gap:8px;overflow-x:auto;"
        f"scroll-snap-type:x mandatory;max-width:{CARD_WIDTH + 24}px;-webkit-overflow-scrolling:touch'>"
        + "".join(slides)
        + "</div>"
    )
    st.caption(f"🎠 carousel · {len(items)} images · swipe to see them all")
    return True
