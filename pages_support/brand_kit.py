"""The brand kit on Settings: colours, faces (shipped or uploaded), logo and default template for designs."""

from __future__ import annotations

import streamlit as st

from pages_support.ui import current_actor, errors_shown
from studio.config import Settings
from studio.design import SHIPPED_FONTS, brand_kit, save_brand_file, save_brand_kit, template_names
from studio.storage import Store

WEIGHTS = [400, 500, 600, 700, 800, 900]
TEXT_FACES = [name for name in SHIPPED_FONTS if name != "openmoji"]


def _face_picker(label: str, current: str, key: str) -> str:
    name, _, weight = current.rpartition(":") if current.rpartition(":")[2].isdigit() else (current, "", "400")
    options = TEXT_FACES + ([name] if name not in TEXT_FACES else [])
    c1, c2 = st.columns([3, 1])
    face = c1.selectbox(
        label,
        options,
        index=options.index(name),
        key=f"{key}_face",
        format_func=lambda n: n if n in SHIPPED_FONTS else f"uploaded: {n.rsplit('/', 1)[-1]}",
    )
    w = c2.selectbox(
        "Weight", WEIGHTS, index=WEIGHTS.index(int(weight)) if int(weight) in WEIGHTS else 0, key=f"{key}_weight"
    )
    return f"{face}:{w}"


def render(db: Store, cfg: Settings) -> None:
    st.subheader("Brand kit for designs")
    st.caption(
        "Fresh pin designs (Compose → Fresh pins, or `pinstudio design`) use these colours, faces and logo. "
        "Text colour left empty: white or near-black, whichever reads better on the pixels behind it."
    )
    kit = brand_kit(db)
    c = st.columns(5)
    primary = c[0].color_picker("Primary", kit.primary, key="brand_primary")
    secondary = c[1].color_picker("Secondary", kit.secondary, key="brand_secondary")
    background = c[2].color_picker("Background", kit.background, key="brand_background")
    accent = c[3].color_picker("Accent", kit.accent, key="brand_accent")
    text = c[4].text_input("Text colour", kit.text, key="brand_text", placeholder="auto")
    heading = _face_picker("Heading face", kit.heading_font, "brand_heading")
    body = _face_picker("Body face", kit.body_font, "brand_body")
    templates = template_names(cfg.data_dir)
    default = st.selectbox(
        "Default template",
        templates,
        index=templates.index(kit.default_template) if kit.default_template in templates else 0,
        key="brand_default_template",
    )
    u1, u2 = st.columns(2)
    font_file = u1.file_uploader("Upload a font (.ttf/.otf) for headings", type=["ttf", "otf"], key="brand_font")
    logo_file = u2.file_uploader("Logo (PNG)", type=["png", "jpg", "jpeg", "webp"], key="brand_logo")
    if kit.logo_path:
        u2.image(kit.logo_path, width=120, caption="current logo")
    if st.button("💾 Save brand kit", key="brand_save"):
        with errors_shown():
            fields = {
                "primary": primary,
                "secondary": secondary,
                "background": background,
                "accent": accent,
                "text": text.strip(),
                "heading_font": heading,
                "body_font": body,
                "default_template": default,
                "logo_path": kit.logo_path,
            }
            if font_file is not None:
                path = save_brand_file(cfg, font_file.getvalue(), font_file.name, "font", actor=current_actor())
                fields["heading_font"] = f"{path}:{heading.rsplit(':', 1)[1]}"
            if logo_file is not None:
                fields["logo_path"] = save_brand_file(
                    cfg, logo_file.getvalue(), logo_file.name, "logo", actor=current_actor()
                )
            save_brand_kit(db, fields, actor=current_actor())
            st.session_state["brand_saved"] = True
            st.rerun()
    if st.session_state.pop("brand_saved", False):
        st.success("Brand kit saved.", icon="✅")
