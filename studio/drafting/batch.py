"""Batch drafting: many media assets at once, a bounded number in flight, each result saved as it
arrives; one failure doesn't stop the others; a cancel stops what hasn't started."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field

from studio import people
from studio.drafting.service import DraftingService
from studio.errors import DraftingError, StudioError
from studio.people import Actor, Permission

DEFAULT_CONCURRENCY = 8  # enough to hide model latency without tripping provider rate limits


@dataclass
class BatchItem:
    media_id: int
    topic: str = ""
    keywords: str = ""
    link: str = ""
    board: str = ""


@dataclass
class ItemOutcome:
    item: BatchItem
    ok: bool
    draft_id: int | None = None
    title: str = ""
    error: str = ""
    cached: bool = False


@dataclass
class BatchReport:
    total: int
    outcomes: list[ItemOutcome] = field(default_factory=list)
    cancelled: int = 0
    seconds: float = 0.0

    @property
    def saved(self) -> int:
        return sum(o.ok for o in self.outcomes)

    @property
    def failed(self) -> int:
        return sum(not o.ok for o in self.outcomes)


Progress = Callable[[int, int, ItemOutcome], None]


def draft_batch(
    service: DraftingService,
    items: list[BatchItem],
    *,
    concurrency: int = DEFAULT_CONCURRENCY,
    on_progress: Progress | None = None,
    cancel: threading.Event | None = None,
    fresh: bool = False,
    save: bool = True,
    actor: Actor,
) -> BatchReport:
    """Draft every item; the model calls run in worker threads, the store is used from this one."""
    if save:  # refused before any model call, not once per item
        people.require(actor, Permission.COMPOSE)
    started = time.perf_counter()
    report = BatchReport(total=len(items))
    cancel = cancel or threading.Event()

    interrupted: list[BaseException] = []

    def done(outcome: ItemOutcome) -> None:
        report.outcomes.append(outcome)
        if on_progress and not interrupted:
            try:
                on_progress(len(report.outcomes), report.total, outcome)
            except BaseException as exc:  # Ctrl-C, or a UI that stopped listening (Streamlit rerun)
                # Treat it as a cancel: nothing new starts, what is in flight is still saved,
                # then the interruption carries on once the batch is tidy.
                interrupted.append(exc)
                cancel.set()

    def finish(item: BatchItem, result) -> None:
        try:
            draft = (
                service.save(
                    result, topic=item.topic, link=item.link, board=item.board, media_id=item.media_id, actor=actor
                )
                if save
                else None
            )
        except StudioError as exc:
            done(ItemOutcome(item, False, error=str(exc)))
            return
        done(ItemOutcome(item, True, draft.id if draft else None, result.output.title, cached=result.cached))

    queue = list(reversed(items))
    with ThreadPoolExecutor(max_workers=max(1, concurrency), thread_name_prefix="draft") as pool:
        # A window of `concurrency` submitted calls (not all at once): a cancel then stops
        # everything that hasn't started, and what is in flight is still saved. Items are
        # prepared as the window opens, so the first calls start at once.
        running: dict[Future, tuple] = {}

        def refill() -> None:
            while queue and len(running) < concurrency and not cancel.is_set():
                item = queue.pop()
                try:
                    request = service.build_input(
                        media_id=item.media_id,
                        topic=item.topic,
                        keywords=item.keywords,
                        link=item.link,
                        board=item.board,
                        fresh=fresh,
                    )
                except StudioError as exc:
                    done(ItemOutcome(item, False, error=str(exc)))
                    continue
                key = service.key(request)
                hit = service.from_cache(key, request, fields={"media_id": item.media_id})
                if hit is not None:
                    finish(item, hit)
                    continue
                running[pool.submit(service.call, request)] = (item, request, key)

        refill()
        while running:
            finished, _ = wait(running, return_when=FIRST_COMPLETED)
            landed = [(future, running.pop(future)) for future in finished]
            refill()  # keep the workers busy while this thread logs and saves
            for future, (item, request, key) in landed:
                try:
                    output = future.result()
                except DraftingError as exc:
                    service.record(key, request, error=exc, media_id=item.media_id)
                    done(ItemOutcome(item, False, error=str(exc)))
                    continue
                except Exception as exc:  # a bug in one item must not sink the batch; report it
                    done(ItemOutcome(item, False, error=f"Unexpected error: {exc}"))
                    continue
                result = service.record(
                    key,
                    request,
                    output=output,
                    media_id=item.media_id,
                    fields={"media_id": item.media_id, "link": item.link},
                )
                finish(item, result)
    if cancel.is_set():
        report.cancelled = len(items) - len(report.outcomes)
    report.seconds = time.perf_counter() - started
    if interrupted:
        raise interrupted[0]
    return report
