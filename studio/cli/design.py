"""`pinstudio design`: fresh pin images from templates, rendered locally.

`--json` prints `[{path, template, width, height, contrast, text_fits}]`, one per template.
Exit codes: 0 every design rendered (and its text fits), 1 a design failed or its text had to be cut,
2 a usage error (unknown template, missing image, no title).
"""

from __future__ import annotations

import sys
from pathlib import Path

from studio.cli.common import fail, open_store, print_json, settings
from studio.errors import StudioError, ValidationError


def register(subparsers) -> None:
    p = subparsers.add_parser("design", help="render fresh pin designs (1000×1500) from templates")
    p.add_argument(
        "--media", action="append", required=True, metavar="PATH", help="source image (repeat for a collage)"
    )
    p.add_argument("--title", required=True, help="the pin title written on the design")
    p.add_argument("--subtitle", default="", help="an optional second line")
    p.add_argument("--cta", default="", help="an optional call to action")
    which = p.add_mutually_exclusive_group()
    which.add_argument("--template", action="append", metavar="NAME", help="template name (repeatable)")
    which.add_argument("--all", action="store_true", help="render every template")
    p.add_argument("--out", type=Path, default=Path("designs"), help="output folder (default: ./designs)")
    p.add_argument("--json", action="store_true", help="print the results as JSON")
    p.set_defaults(handler=design)


def design(args) -> int:
    from studio.design import brand_kit, render_to_dir, template_names

    cfg = settings()
    available = template_names(cfg.data_dir)
    store = open_store(cfg) if cfg.db_path.exists() else None
    try:
        kit = brand_kit(store)
    finally:
        if store is not None:
            store.close()
    names = available if args.all else (args.template or [kit.default_template])
    unknown = [n for n in names if n not in available]
    if unknown:
        return fail(
            ValidationError(
                f"There is no template called '{unknown[0]}'.",
                fix=f"Use one of: {', '.join(available)}.",
                code="unknown_template",
            ),
            2,
        )
    try:
        results = render_to_dir(
            args.media,
            args.title,
            names,
            args.out,
            brand=kit,
            data_dir=cfg.data_dir,
            subtitle=args.subtitle,
            cta=args.cta,
        )
    except ValidationError as exc:
        return fail(exc, 2)
    except StudioError as exc:
        return fail(exc, 1)
    if args.json:
        print_json(results)
    else:
        for r in results:
            contrast = "—" if r["contrast"] is None else f"{r['contrast']:.1f}:1"
            fits = "fits" if r["text_fits"] else "CUT (too long)"
            print(f"{r['path']}  {r['template']}  {r['width']}×{r['height']}  contrast {contrast}  text {fits}")
    if not all(r["text_fits"] for r in results):
        print("error: the text had to be cut on some designs; shorten the title.", file=sys.stderr)
        return 1
    return 0
