"""What a post needs its media's bytes for, after the 201: a small pool of threads of its own.

`POST /api/posts` answers once the media is stored and judged from its header; the post is `pending`. Here its
pixels are decoded and its tile made (`posts.finish_media`); the post then goes on (Review, or approved and
queued) and is `processed`, or stops as `media_processing_failed`. Either way the processor is woken, and it
tells the post's webhooks. A restarted API checks again what was left pending.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor

from studio.api import keys, posts
from studio.people import Actor, PermissionDenied
from studio.services import Services
from studio.storage import Store

log = logging.getLogger("pinstudio.api")
CHECK_WORKERS = 2  # decoding is CPU work: more threads than cores only queue behind the GIL and each other


class MediaChecks:
    """`submit(post_id)` after a post was answered pending; `resume()` at start; `close()` at the end."""

    def __init__(
        self, services: Services, context: posts.ApiContext, on_done: Callable[[], None], workers: int = CHECK_WORKERS
    ) -> None:
        self.services, self.context, self.on_done = services, context, on_done
        self.pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="api-media-check")
        self._local = threading.local()

    def _store(self) -> Store:
        """This pool thread's store (its connection goes with the thread: SQLite's are not shared)."""
        if getattr(self._local, "store", None) is None:
            self._local.store = self.services.store()
        return self._local.store

    def submit(self, post_id: str) -> Future:
        return self.pool.submit(self._finish, post_id)

    def resume(self) -> int:
        """Check again the posts a stopped API left pending."""
        with self.services.store() as store:
            waiting = posts.pending_media(store)
        for post_id in waiting:
            self.submit(post_id)
        return len(waiting)

    def _finish(self, post_id: str) -> str:
        try:
            return posts.finish_media(self._store(), self.context, post_id, self._actor_for)
        except Exception:  # a bad row must not stop the others; the post stays pending, checked at next start
            log.exception("media check of %s failed", post_id)
            return "error"
        finally:
            self.on_done()

    def _actor_for(self, key_id: str) -> Actor:
        row = keys.get_key(self._store(), key_id)
        if row is None:
            raise PermissionDenied("The API key that sent this post was revoked.", fix="Send it again with a live key.")
        return keys.key_actor(self._store(), row)

    def close(self) -> None:
        """Stop: what is still queued stays pending in the database, checked again at the next start."""
        self.pool.shutdown(wait=True, cancel_futures=True)


__all__ = ["MediaChecks"]
