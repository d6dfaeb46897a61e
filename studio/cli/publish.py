"""`pinstudio publish`, `pinstudio jobs`, `pinstudio resume`: the publishing CLI (a stable interface).

Exit codes: 0 published, 1 failed or needs attention, 2 invalid request or a guardrail refused it (nothing sent;
with --json the error's `code` is the guardrail's: daily_cap, min_spacing, repeat_pin, too_many_boards).
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import ValidationError as PydanticError

from studio.cli.common import fail, open_store, operator, print_json, services, settings
from studio.errors import StudioError, ValidationError
from studio.publishing import PublishRequest, jobs, publish_draft, publish_request, publisher_for_job

BACKENDS = ("pinterest", "postproxy", "dry-run")


def register(subparsers) -> None:
    p = subparsers.add_parser("publish", help="publish one pin from a JSON payload or an approved draft")
    p.add_argument("payload", nargs="?", help="a unified-API JSON file ({post, profiles, media, platforms})")
    p.add_argument("--draft", type=int, help="publish this approved draft instead of a payload")
    p.add_argument("--backend", choices=BACKENDS, help="default: STUDIO_PUBLISHER")
    p.add_argument(
        "--override-guardrails",
        action="store_true",
        help="publish the pin even if it breaks a guardrail (daily cap, spacing, repeats); audited",
    )
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.set_defaults(handler=publish)
    j = subparsers.add_parser("jobs", help="list publish jobs and their status")
    j.add_argument("--status", action="append", help="only jobs with this status (repeatable)")
    j.add_argument("--limit", type=int, default=50)
    j.add_argument("--json", action="store_true")
    j.set_defaults(handler=list_jobs)
    r = subparsers.add_parser("resume", help="finish publish jobs a stopped process left half-way")
    r.add_argument("--json", action="store_true")
    r.set_defaults(handler=resume)


def _exit_code(job: dict) -> int:
    return 0 if job["status"] == "published" else 1


def _show(summary: dict, as_json: bool) -> None:
    if as_json:
        print_json(summary)
        return
    line = f"job #{summary['job_id']}: {summary['status']}"
    if summary["pin_url"]:
        line += f" — {summary['pin_url']}"
    print(line)
    if summary["error"]:
        print(f"  {summary['error']['message']} {summary['error'].get('fix') or ''}".rstrip())


def _refused(exc: StudioError, status: str, as_json: bool) -> None:
    """With --json, a refusal is still one object of the documented shape on stdout."""
    if as_json:
        print_json(
            {
                "job_id": None,
                "status": status,
                "pin_id": None,
                "pin_url": None,
                "attempts": 0,
                "error": {"code": exc.code, "message": str(exc)},
            }
        )


def _load(path: str) -> PublishRequest:
    try:
        return PublishRequest.model_validate(json.loads(Path(path).read_text()))
    except FileNotFoundError:
        raise ValidationError(f"There is no file {path}.", fix="Check the path.", code="payload_missing") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ValidationError(
            f"{path} is not valid JSON ({exc}).", fix="Fix the JSON and retry.", code="payload_invalid"
        ) from None
    except PydanticError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ValidationError(
            f"The payload field '{where}' is wrong: {first['msg']}.",
            fix="Compare it with the documented payload shape.",
            code="payload_invalid",
        ) from None


def publish(args) -> int:
    cfg = settings()
    if bool(args.payload) == bool(args.draft):
        return fail("Give either a PAYLOAD.json file or --draft ID.", 2)
    store = open_store(cfg)
    try:
        # A draft publishes as its own connected account; a payload as the default one.
        account = (store.get_draft(args.draft).account or None) if args.draft else None
        publisher = services(cfg).publisher(args.backend, account)
    except StudioError as exc:  # unknown draft or account, bad backend: nothing was sent
        store.close()
        _refused(exc, "invalid", args.json)
        return fail(exc, 2)
    try:
        if args.draft:
            job = publish_draft(store, publisher, args.draft, cfg, actor=operator(), override=args.override_guardrails)
        else:
            job = publish_request(
                store, publisher, _load(args.payload), cfg, actor=operator(), override=args.override_guardrails
            )
    except ValidationError as exc:  # refused before anything was sent
        _refused(exc, "invalid", args.json)
        return fail(exc, 2)
    except StudioError as exc:
        _refused(exc, "failed", args.json)
        return fail(exc, 1)
    finally:
        store.close()
    _show(jobs.summary(job), args.json)
    return _exit_code(job)


def list_jobs(args) -> int:
    cfg = settings()
    store = open_store(cfg)
    try:
        rows = [
            jobs.summary(j)
            | {
                "backend": j["backend"],
                "account": jobs.account_of(store, j) or None,
                "draft_id": j["draft_id"],
                "updated_at": j["updated_at"],
            }
            for j in jobs.list_jobs(store, args.status, limit=args.limit)
        ]
    finally:
        store.close()
    if args.json:
        print_json(rows)
    elif not rows:
        print("No publish jobs yet.")
    else:
        for row in rows:
            print(
                f"#{row['job_id']:<5} {row['status']:<17} {row['backend']:<10} "
                + (f"as {row['account']} " if row["account"] else "")
                + (row["pin_url"] or "")
                + (f"  {row['error']['message']}" if row["error"] else "")
            )
    return 0


def resume(args) -> int:
    cfg = settings()
    store = open_store(cfg)
    try:
        done = jobs.resume_all(
            store, lambda job: publisher_for_job(services(cfg).publisher, store, job), actor=operator()
        )
    except StudioError as exc:
        return fail(exc, 1)
    finally:
        store.close()
    summaries = [jobs.summary(j) for j in done]
    if args.json:
        print_json(summaries)
    elif not summaries:
        print("Nothing to resume: no job was left half-way.")
    else:
        for s in summaries:
            _show(s, False)
    return 0 if all(s["status"] == "published" for s in summaries) else 1
