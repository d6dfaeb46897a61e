"""`pinstudio draft`: draft pin copy for one media file or URL and save it as a draft.

`--json` prints `{id, title, description, alt_text, keywords, lint, provider, model}`: a stable interface.
"""

from __future__ import annotations

import sys
from pathlib import Path

from studio.cli.common import fail, open_store, print_json, settings
from studio.errors import StudioError


def register(subparsers) -> None:
    p = subparsers.add_parser("draft", help="draft SEO-ready pin copy for a media file or URL and save it")
    p.add_argument("--media", required=True, metavar="PATH_OR_URL", help="image or video file, or its URL")
    p.add_argument("--topic", default="", help="topic or product notes")
    p.add_argument("--keywords", default="", help='target keywords, primary first: "a, b"')
    p.add_argument("--link", default="", help="destination link (https://...)")
    p.add_argument("--board", default="", help="board name")
    p.add_argument("--fresh", action="store_true", help="ask the model again instead of reusing a cached answer")
    p.add_argument("--json", action="store_true", help="print the draft as JSON")
    p.set_defaults(handler=draft)


def _ingest(cfg, store, source: str):
    from studio.fetch import default_client, fetch_url, is_url
    from studio.media import ingest_path

    if not is_url(source):
        path = Path(source)
        if not path.is_file():
            raise FileNotFoundError(source)
        return ingest_path(store, cfg.data_dir, path)[0]
    with default_client(cfg.http_timeout_s) as http:
        downloaded = fetch_url(source, cfg.data_dir, http=http)
    return ingest_path(store, cfg.data_dir, downloaded, Path(source.split("?")[0]).name, move=True)[0]


def draft(args) -> int:
    from studio.drafting.service import service_for

    if args.link and not args.link.lower().startswith(("http://", "https://")):
        return fail("--link must be a web address starting with https://.", code=2)
    cfg = settings()
    store = open_store(cfg)
    try:
        try:
            asset = _ingest(cfg, store, args.media)
        except FileNotFoundError:
            return fail(f"There is no file at {args.media}. Check the path, or pass an https:// URL.", code=2)
        service = service_for(store, cfg)
        result = service.draft(media_id=asset.id, topic=args.topic, keywords=args.keywords, link=args.link,
                               board=args.board, fresh=args.fresh)
        saved = service.save(result, topic=args.topic, link=args.link, board=args.board, media_id=asset.id,
                             actor="cli")
        lint = service.lint({**saved.model_dump(), "keywords": args.keywords or saved.keywords},
                            draft_id=saved.id, trimmed=result.output.trimmed)
    except StudioError as exc:
        return fail(exc)
    finally:
        store.close()
    out = {"id": saved.id, "title": saved.title, "description": saved.description, "alt_text": saved.alt_text,
           "keywords": result.output.keywords, "lint": lint, "provider": result.output.provider,
           "model": result.output.model}
    if args.json:
        print_json(out)
        return 0
    template = " (a template, not an AI model)" if out["provider"] == "offline" else ""
    print(f"Draft #{out['id']} by {out['provider']} / {out['model']}{template}"
          f"{' — from cache' if result.cached else ''}")
    for name in ("title", "description", "alt_text"):
        print(f"{name.replace('_', ' ').capitalize()}: {out[name]}")
    print("Keywords: " + ", ".join(out["keywords"]))
    for rule in lint:
        print(f"  {'✓' if rule['ok'] else '✗'} {rule['message']}")
    sys.stdout.flush()
    return 0
