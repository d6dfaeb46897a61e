"""`pinstudio check` and `pinstudio fix`: Pinterest's media rules from the command line.

`check --json` prints a list of `{source, kind, ok, errors, warnings, facts}`, one per input.
Exit codes: 0 every input acceptable (warnings allowed), 1 any error, 2 a usage error.
"""

from __future__ import annotations

import sys
from pathlib import Path

from studio.cli.common import fail, print_json, settings
from studio.errors import StudioError


def register(subparsers) -> None:
    p = subparsers.add_parser("check", help="check images/videos (files or URLs) against Pinterest's rules")
    p.add_argument("inputs", nargs="+", metavar="PATH_OR_URL")
    p.add_argument("--json", action="store_true", help="print a JSON list of reports on stdout")
    p.add_argument(
        "--pin",
        action="store_true",
        help="treat all inputs as the media of one pin (one item, never images and videos mixed)",
    )
    p.add_argument("--flatten", action="store_true", help="warn when an animated image would be published as a still")
    p.set_defaults(handler=check)

    f = subparsers.add_parser("fix", help="apply every available fix so the file passes Pinterest's rules")
    f.add_argument("path", metavar="PATH")
    f.add_argument(
        "--to-pinterest",
        action="store_true",
        required=True,
        help="fix everything that can be fixed (the only mode for now)",
    )
    f.add_argument("--out", type=Path, help="where to write the fixed file (default: NAME.pinterest.EXT)")
    f.add_argument("--json", action="store_true", help="print the result as JSON")
    f.set_defaults(handler=fix)


def check_one(source: str, *, flatten: bool = False):
    """A report for one path or URL; never raises."""
    from studio.media import MediaReport, check_path

    try:
        if "://" not in source:  # studio.media.is_url, without importing httpx for a local file
            return check_path(Path(source), animated_flatten=flatten, source=source)
        from studio.media import default_client, fetch_url

        cfg = settings()
        with default_client(cfg.http_timeout_s) as http:
            path = fetch_url(source, cfg.data_dir, http=http)
        try:
            return check_path(path, animated_flatten=flatten, source=source)
        finally:
            path.unlink(missing_ok=True)  # a check keeps nothing; ingest would store it
    except StudioError as exc:
        return MediaReport(source=source).error(exc.code, exc.message, exc.fix)
    except Exception as exc:
        return MediaReport(source=source).error(
            "unreadable",
            f"The file could not be checked ({type(exc).__name__}).",
            "Check the file opens on your computer, then try again.",
        )


def check(args) -> int:
    from studio.media import check_pin

    reports = [check_one(src, flatten=args.flatten) for src in args.inputs]
    if args.pin:
        for issue in check_pin(reports):
            for report in reports:
                report.errors.append(issue)
                report.ok = False
    if args.json:
        print_json([r.model_dump(mode="json") for r in reports])
    else:
        for report in reports:
            print(_human(report))
    return 0 if all(r.ok for r in reports) else 1


def _human(report) -> str:
    f = report.facts
    mark = "OK " if report.ok else "ERR"
    facts = [
        x
        for x in (
            f.format,
            f"{f.width}×{f.height}" if f.width else "",
            f"{f.duration_s:.1f} s" if f.duration_s else "",
            "/".join(c for c in (f.video_codec, f.audio_codec) if c),
            f"{f.bytes / 1024:.0f} KB" if f.bytes else "",
        )
        if x
    ]
    lines = [f"{mark} {report.source} ({report.kind}{': ' + ', '.join(facts) if facts else ''})"]
    lines += [f"    error   {i.code}: {i.message} Fix: {i.fix}" for i in report.errors]
    lines += [f"    warning {i.code}: {i.message} Fix: {i.fix}" for i in report.warnings]
    return "\n".join(lines)


def fix(args) -> int:
    from studio.media import check_path, fix_to_pinterest

    src = Path(args.path)
    before = check_path(src)
    if before.errors and before.errors[0].code in ("not_found", "empty_file", "unreadable", "image_too_many_pixels"):
        return _fix_result(args, before, before, src, [])

    def progress(done: float) -> None:
        if not args.json and sys.stderr.isatty():
            print(f"\r  converting… {done:4.0%}", end="", file=sys.stderr, flush=True)

    try:
        out, applied, after = fix_to_pinterest(src, args.out, on_progress=progress)
    except StudioError as exc:
        return fail(exc)
    except Exception as exc:
        return fail(f"The file could not be fixed ({type(exc).__name__}).")
    return _fix_result(args, before, after, out, applied)


def _fix_result(args, before, after, out: Path, applied: list[str]) -> int:
    if args.json:
        print_json(
            {
                "source": str(args.path),
                "output": str(out),
                "applied": applied,
                "before": before.model_dump(mode="json"),
                "after": after.model_dump(mode="json"),
            }
        )
    else:
        if applied:
            print(f"Applied: {', '.join(applied)} → {out}")
        else:
            print("Nothing to fix." if after.ok else "No fix can help with this file:")
        print(_human(after))
    return 0 if after.ok else 1
