"""`pinstudio draft`: draft pin copy for one media file or URL and save it as a draft.

`--json` prints `{id, title, description, alt_text, keywords, lint, provider, model}`: a stable interface.
"""

from __future__ import annotations

import sys
from pathlib import Path

from studio.cli.common import fail, open_store, operator, print_json, services, settings
from studio.errors import StudioError


def register(subparsers) -> None:
    p = subparsers.add_parser("draft", help="draft SEO-ready pin copy for a media file or URL and save it")
    p.add_argument(
        "--media",
        required=True,
        action="append",
        metavar="PATH_OR_URL",
        help="image or video file, or its URL; repeat it to draft many at once (prints a JSON list)",
    )
    p.add_argument("--topic", default="", help="topic or product notes")
    p.add_argument("--keywords", default="", help='target keywords, primary first: "a, b"')
    p.add_argument("--link", default="", help="destination link (https://...)")
    p.add_argument("--board", default="", help="board name")
    p.add_argument("--concurrency", type=int, default=None, help="drafts in flight for many media (default 8)")
    p.add_argument("--fresh", action="store_true", help="ask the model again instead of reusing a cached answer")
    p.add_argument("--json", action="store_true", help="print the draft as JSON")
    p.set_defaults(handler=draft)


def _ingest(cfg, store, source: str):
    from studio.media import default_client, fetch_url, ingest_path, is_url

    if not is_url(source):
        path = Path(source)
        if not path.is_file():
            raise FileNotFoundError(source)
        return ingest_path(store, cfg.data_dir, path)[0]
    with default_client(cfg.http_timeout_s) as http:
        downloaded = fetch_url(source, cfg.data_dir, http=http)
    return ingest_path(store, cfg.data_dir, downloaded, Path(source.split("?")[0]).name, move=True)[0]


def draft(args) -> int:
    if args.link and not args.link.lower().startswith(("http://", "https://")):
        return fail("--link must be a web address starting with https://.", code=2)
    missing = [m for m in args.media if "://" not in m and not Path(m).is_file()]
    if missing:
        return fail(f"There is no file at {missing[0]}. Check the path, or pass an https:// URL.", code=2)
    from studio.accounts import require_known_board

    cfg = settings()
    store = open_store(cfg)
    try:
        try:
            require_known_board(store, args.board)  # before any download or model call
        except StudioError as exc:
            return fail(exc, 2)
        if len(args.media) > 1:
            return _draft_many(args, cfg, store)
        return _draft_one(args, cfg, store)
    except StudioError as exc:
        return fail(exc)
    finally:
        store.close()


def _draft_one(args, cfg, store) -> int:
    asset = _ingest(cfg, store, args.media[0])
    service = services(cfg).drafting(store)
    result = service.draft(
        media_id=asset.id, topic=args.topic, keywords=args.keywords, link=args.link, board=args.board, fresh=args.fresh
    )
    saved = service.save(
        result, topic=args.topic, link=args.link, board=args.board, media_id=asset.id, actor=operator()
    )
    out = _summary(service, saved, args.keywords, result.output)
    if args.json:
        print_json(out)
        return 0
    template = " (a template, not an AI model)" if out["provider"] == "offline" else ""
    print(
        f"Draft #{out['id']} by {out['provider']} / {out['model']}{template}{' — from cache' if result.cached else ''}"
    )
    for name in ("title", "description", "alt_text"):
        print(f"{name.replace('_', ' ').capitalize()}: {out[name]}")
    print("Keywords: " + ", ".join(out["keywords"]))
    for rule in out["lint"]:
        print(f"  {'✓' if rule['ok'] else '✗'} {rule['message']}")
    return 0


def _summary(service, saved, keywords: str, output) -> dict:
    lint = service.lint(
        {**saved.model_dump(), "keywords": keywords or saved.keywords}, draft_id=saved.id, trimmed=output.trimmed
    )
    return {
        "id": saved.id,
        "title": saved.title,
        "description": saved.description,
        "alt_text": saved.alt_text,
        "keywords": output.keywords,
        "lint": lint,
        "provider": output.provider,
        "model": output.model,
    }


def _draft_many(args, cfg, store) -> int:
    """Draft every media concurrently; progress on stderr; exit 1 if any item failed."""
    from studio.drafting import BatchItem, draft_batch

    items, failures = [], []
    for source in args.media:
        try:
            asset = _ingest(cfg, store, source)
        except StudioError as exc:
            failures.append({"media": source, "error": str(exc)})
            continue
        items.append(
            BatchItem(media_id=asset.id, topic=args.topic, keywords=args.keywords, link=args.link, board=args.board)
        )
    service = services(cfg).drafting(store)

    def progress(done: int, total: int, outcome) -> None:
        print(
            f"[{done}/{total}] media #{outcome.item.media_id}: "
            f"{'draft #' + str(outcome.draft_id) if outcome.ok else outcome.error}",
            file=sys.stderr,
            flush=True,
        )

    report = draft_batch(
        service,
        items,
        concurrency=args.concurrency or cfg.llm_concurrency,
        on_progress=progress,
        fresh=args.fresh,
        actor=operator(),
    )
    results = []
    for outcome in report.outcomes:
        if outcome.ok and outcome.draft_id:
            draft = store.get_draft(outcome.draft_id)
            out = service.lint({**draft.model_dump(), "keywords": args.keywords or draft.keywords}, draft_id=draft.id)
            results.append(
                {
                    "id": draft.id,
                    "title": draft.title,
                    "description": draft.description,
                    "alt_text": draft.alt_text,
                    "keywords": [k.strip() for k in draft.keywords.split(",") if k.strip()],
                    "lint": out,
                    "provider": draft.provider,
                    "model": draft.model,
                }
            )
        else:
            failures.append({"media_id": outcome.item.media_id, "error": outcome.error})
    if args.json:
        print_json(results + failures)
    else:
        for r in results:
            print(f"Draft #{r['id']}: {r['title']}")
        for f in failures:
            print(f"failed: {f.get('media', f.get('media_id'))}: {f['error']}", file=sys.stderr)
    return 1 if failures else 0
