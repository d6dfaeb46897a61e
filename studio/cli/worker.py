"""`pinstudio worker`: publish scheduled pins when they are due (`--once` for cron)."""

from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from studio.analytics import daily_hook
from studio.cli.common import fail, print_json, services, settings
from studio.errors import StudioError
from studio.publishing import Publisher
from studio.scheduling import heartbeat, run_due, run_worker, worker_name
from studio.storage import Store

if TYPE_CHECKING:
    from studio.config import Settings
    from studio.services import Services


def register(subparsers) -> None:
    p = subparsers.add_parser("worker", help="publish scheduled pins when they are due")
    p.add_argument("--once", action="store_true", help="one pass over due pins, then exit (for cron)")
    p.add_argument("--interval", type=float, help="seconds between passes (default STUDIO_WORKER_INTERVAL)")
    p.add_argument("--json", action="store_true", help="with --once: print the results as JSON")
    p.set_defaults(handler=run)


def publishers(svc: Services) -> Callable[[str | None], Publisher]:
    """The backend for each account the worker meets, built once per account."""
    built: dict[str | None, Publisher] = {}

    def publisher_for(account: str | None) -> Publisher:
        if account not in built:
            built[account] = svc.publisher(None, account)
        return built[account]

    return publisher_for


def analytics_hook(svc: Services, log: Callable[[str], None]) -> Callable[[Store], None]:
    """The day's analytics sync, run by the worker between passes through this process's clients."""
    return daily_hook(svc.settings, open_store=svc.store, api_for=svc.analytics_api, log=log)


def start_background_worker(cfg: Settings) -> tuple[threading.Thread, threading.Event]:
    """The worker in a thread of this process (what `pinstudio run` uses)."""
    svc = services(cfg)
    stop = threading.Event()
    thread = threading.Thread(
        target=run_worker,
        name="pinstudio-worker",
        daemon=True,
        args=(svc.store, lambda: publishers(svc), cfg),
        kwargs={
            "stop": stop,
            "log": lambda line: print(f"[worker] {line}", flush=True),
            "on_pass": analytics_hook(svc, log=lambda line: print(f"[worker] {line}", flush=True)),
        },
    )
    thread.start()
    return thread, stop


def run(args) -> int:
    cfg = settings()
    try:
        svc = services(cfg)
        publisher = svc.publisher()  # fails early on a misconfigured backend
    except StudioError as exc:
        return fail(exc)
    publisher_for = publishers(svc)
    if args.once:
        store = svc.store()
        try:
            results = run_due(store, publisher_for, cfg, worker=worker_name())
            heartbeat(store, worker_name(), published=sum(r["status"] == "published" for r in results))
        finally:
            store.close()
        if args.json:
            print_json(results)
        else:
            for r in results:
                print(f"pin #{r['draft_id']}: {r['status']}" + (f" ({r['error']})" if r["error"] else ""))
            if not results:
                print("nothing due")
        return 1 if any(r["status"] not in ("published", "skipped", "waiting", "rescheduled") for r in results) else 0
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    print(f"worker started (publisher: {publisher.name}); Ctrl+C to stop", file=sys.stderr, flush=True)
    try:
        run_worker(
            svc.store,
            lambda: publisher_for,
            cfg,
            interval=args.interval,
            stop=stop,
            log=lambda line: print(line, flush=True),
            on_pass=analytics_hook(svc, log=lambda line: print(line, flush=True)),
        )
    except KeyboardInterrupt:
        stop.set()
    return 0
