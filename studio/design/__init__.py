"""Design: fresh pin images rendered locally from templates (data files), a brand kit, text that fits
and reads (real font metrics, fallbacks for Arabic, Japanese and emoji, WCAG contrast against the
pixels behind it), each design a media asset with its provenance; and carousels: a draft's items, made from any photos
(checked slide by slide) or from designs.

Owns the tables `designs`, `fresh_pins`, `brand_kit`, `carousel_items` (studio.design.store).
May import: studio core, studio.people, studio.media, studio.drafts (it sits beside drafting, under publishing
and bulk).
"""

from studio.design.carousel import CarouselCheck, SlideCheck, check_slides, save_carousel
from studio.design.contrast import AA_NORMAL
from studio.design.fonts import SHIPPED as SHIPPED_FONTS
from studio.design.fonts import raqm_available
from studio.design.render import BrandKit, Design, DesignInputs, render
from studio.design.service import (
    brand_kit,
    design_cover,
    fresh_designs,
    make_carousel_draft,
    make_fresh_pins,
    render_design,
    render_to_dir,
    save_brand_file,
    save_brand_kit,
    save_slide_alt_texts,
    store_design,
    template_names,
    use_design_as_cover,
)
from studio.design.store import (
    carousel_counts,
    carousel_items,
    cover_design,
    design_for_media,
    designs_for_draft,
    fresh_pin_origin,
    fresh_pins_of,
    get_design,
    migrations,
    set_carousel_items,
)
from studio.design.templates import CANVAS, SAFE_MARGINS, Template, all_templates, get_template

__all__ = [
    "AA_NORMAL",
    "CANVAS",
    "SAFE_MARGINS",
    "SHIPPED_FONTS",
    "BrandKit",
    "CarouselCheck",
    "Design",
    "DesignInputs",
    "SlideCheck",
    "Template",
    "all_templates",
    "brand_kit",
    "carousel_counts",
    "carousel_items",
    "check_slides",
    "cover_design",
    "design_cover",
    "design_for_media",
    "designs_for_draft",
    "fresh_designs",
    "fresh_pin_origin",
    "fresh_pins_of",
    "get_design",
    "get_template",
    "make_carousel_draft",
    "make_fresh_pins",
    "migrations",
    "raqm_available",
    "render",
    "render_design",
    "render_to_dir",
    "save_brand_file",
    "save_brand_kit",
    "save_carousel",
    "save_slide_alt_texts",
    "set_carousel_items",
    "store_design",
    "template_names",
    "use_design_as_cover",
]
