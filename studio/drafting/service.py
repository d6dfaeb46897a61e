"""Drafting as the pages, the CLI and batches use it: build the request, serve it from the cache or
the model, log the call, lint the result, and (when asked) save it as a draft."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from studio.drafting.base import Drafter, DraftInput, DraftOutput
from studio.drafting.carousel import slide_entries
from studio.drafting.landing import LandingFetcher
from studio.drafting.log import CallLog, request_hash
from studio.drafting.prompts import BrandVoice
from studio.drafts import keyword_list, lint
from studio.errors import DraftingError
from studio.models import Draft
from studio.people import Actor
from studio.storage import Store

if TYPE_CHECKING:
    import httpx

    from studio.config import Settings

# Where a video's cover frame may be recorded in the media facts (first match wins).
COVER_KEYS = ("cover_path", "cover_frame_path", "thumbnail_path", "cover_frame", "thumbnail", "poster_path")


@dataclass
class DraftResult:
    """One draft's copy, its lint, and how it was made."""

    output: DraftOutput
    lint: list[dict]
    key: str
    call_id: int | None = None
    cached: bool = False
    request: DraftInput | None = None
    extra: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        out = self.output
        return {
            "title": out.title,
            "description": out.description,
            "alt_text": out.alt_text,
            "keywords": out.keywords,
            "lint": self.lint,
            "provider": out.provider,
            "model": out.model,
            "cached": self.cached,
            "call_id": self.call_id,
        }


class DraftingService:
    """Drafts with one drafter against one store (a store per thread: call it from one thread)."""

    def __init__(
        self,
        store: Store,
        drafter: Drafter,
        *,
        data_dir: Path | None = None,
        voice: BrandVoice | None = None,
        landing: LandingFetcher | None = None,
        grounding: Callable[[str], dict] | None = None,
    ) -> None:
        self.store = store
        self.drafter = drafter
        self.data_dir = Path(data_dir) if data_dir else None
        self.voice = voice or getattr(drafter, "voice", None) or BrandVoice()
        self.landing = landing
        self.log = CallLog(store)
        self.grounding = grounding  # board name → its best titles/keywords (analytics); None: off

    # --- building the request -------------------------------------------------------------
    def build_input(
        self,
        *,
        media_id: int | None,
        topic: str | None = "",
        keywords: str | list[str] | None = "",
        link: str | None = "",
        board: str | None = "",
        field: str | None = None,
        current: dict | None = None,
        variant: int = 0,
        notes: str = "",
        fresh: bool = False,
        slides: list[dict] | None = None,
    ) -> DraftInput:
        """The request for one draft; `slides` (`{media_id, title?}`, in order) makes it a carousel's."""
        # An empty box can arrive as None (a picker with nothing picked): no board is a draft without a board.
        topic, link, board = (topic or "").strip(), (link or "").strip(), (board or "").strip()
        facts: dict = {}
        image_path = None
        if media_id is not None:
            asset = self.store.get_media(media_id)
            # the file name often says what is shown ("squash-bowl.jpg"): the offline drafter uses its words
            facts = {"kind": str(asset.kind), "file_name": asset.original_name, **self.store.media_facts(media_id)}
            image_path = self._image_path(asset.kind, asset.path, facts, media_id)
        return DraftInput(
            topic=topic,
            keywords=keyword_list(keywords or ""),
            link=link,
            board=board,
            media_facts=facts,
            image_path=image_path,
            field=field,
            current=current or {},
            variant=variant,
            notes=notes,
            nonce=uuid.uuid4().hex if fresh else "",
            grounding=self.grounding(board) if self.grounding and board else {},
            slides=slide_entries(self, slides) if slides else [],
        )

    def _image_path(self, kind: str, rel: str, facts: dict, media_id: int | None = None) -> str | None:
        """The picture the model looks at: the image itself, or a video's cover frame."""
        if self.data_dir is None:
            return None
        candidates = [rel] if str(kind) == "image" else [facts.get(k) for k in COVER_KEYS]
        for candidate in candidates:
            if candidate and isinstance(candidate, str):
                path = Path(candidate) if Path(candidate).is_absolute() else self.data_dir / candidate
                if path.is_file():
                    return str(path)
        if str(kind) == "video" and media_id is not None:
            return self._video_frame(media_id)
        return None

    def _video_frame(self, media_id: int) -> str | None:
        """A video's frame via the media helper's stored thumbnails; none if it can't be made."""
        if self.data_dir is None:
            return None
        try:
            from studio.media import thumbnail

            return str(thumbnail(self.data_dir, self.store.get_media(media_id)))
        except Exception:
            return None

    def key(self, request: DraftInput) -> str:
        # The landing facts derive from the link (already in the key), so they're left out:
        # a cache hit then needs no network at all.
        fingerprint: dict = getattr(self.drafter, "fingerprint", lambda: {})()
        return request_hash(
            self.drafter.name, self.drafter.model, fingerprint, request.model_copy(update={"landing": {}})
        )

    # --- the three steps (split so a batch can call the model from worker threads) -----------
    def from_cache(
        self, key: str, request: DraftInput, *, draft_id: int | None = None, fields: dict | None = None
    ) -> DraftResult | None:
        hit = self.log.cached(key)
        if not hit:
            return None
        call_id, output = hit
        return DraftResult(output, self.lint_output(output, request, draft_id, fields), key, call_id, True, request)

    def call(self, request: DraftInput) -> DraftOutput:
        """Ask the drafter (thread-safe: touches no store)."""
        if self.landing is not None and request.link and not request.landing:
            request = request.model_copy(update={"landing": self.landing.fetch(request.link)})
        output = self.drafter.draft(request)
        if request.grounding and not output.prompt:  # a provider that logs no prompt: still show what was used
            output.prompt = [{"role": "grounding", "content": request.grounding}]
        return output

    def record(
        self,
        key: str,
        request: DraftInput,
        *,
        output: DraftOutput | None = None,
        error: DraftingError | None = None,
        started: float = 0.0,
        media_id: int | None = None,
        draft_id: int | None = None,
        fields: dict | None = None,
    ) -> DraftResult | None:
        """Log the call; return the linted result (None for a failure)."""
        call_id = self.log.record(
            key=key,
            provider=self.drafter.name,
            model=self.drafter.model,
            output=output,
            error=str(error) if error else "",
            media_id=media_id,
            draft_id=draft_id,
            latency_ms=(time.perf_counter() - started) * 1000 if started else 0.0,
        )
        if output is None:
            return None
        return DraftResult(output, self.lint_output(output, request, draft_id, fields), key, call_id, False, request)

    def lint_output(
        self, output: DraftOutput, request: DraftInput, draft_id: int | None, fields: dict | None = None
    ) -> list[dict]:
        merged = {
            "link": request.link,
            "keywords": request.keywords or output.keywords,
            **(fields or {}),
            "title": output.title,
            "description": output.description,
            "alt_text": output.alt_text,
        }
        return self.lint(merged, draft_id=draft_id, trimmed=output.trimmed)

    def lint(self, fields: dict, *, draft_id: int | None = None, trimmed: Any = ()) -> list[dict]:
        return lint(fields, voice=self.voice, store=self.store, draft_id=draft_id, trimmed=trimmed)

    # --- one draft ---------------------------------------------------------------------------
    def draft(
        self,
        *,
        media_id: int | None,
        topic: str | None = "",
        keywords: str | list[str] | None = "",
        link: str | None = "",
        board: str | None = "",
        field: str | None = None,
        current: dict | None = None,
        variant: int = 0,
        notes: str = "",
        fresh: bool = False,
        draft_id: int | None = None,
        slides: list[dict] | None = None,
    ) -> DraftResult:
        """Draft copy (from the cache unless `fresh`); raises DraftingError, writes only the log."""
        request = self.build_input(
            media_id=media_id,
            topic=topic,
            keywords=keywords,
            link=link,
            board=board,
            field=field,
            current=current,
            variant=variant,
            notes=notes,
            fresh=fresh,
            slides=slides,
        )
        key = self.key(request)
        extra = {"media_id": media_id, "board": board}
        if (hit := self.from_cache(key, request, draft_id=draft_id, fields=extra)) is not None:
            return hit
        started = time.perf_counter()
        try:
            output = self.call(request)
        except DraftingError as exc:
            self.record(key, request, error=exc, started=started, media_id=media_id, draft_id=draft_id)
            raise
        result = self.record(key, request, output=output, media_id=media_id, draft_id=draft_id, fields=extra)
        assert result is not None
        return result

    def alternatives(self, n: int = 3, **kwargs: Any) -> list[DraftResult]:
        """`n` different drafts (variants 0..n-1), model calls made concurrently."""
        requests = [
            self.build_input(**{k: v for k, v in kwargs.items() if k != "draft_id"}, variant=i) for i in range(n)
        ]
        draft_id = kwargs.get("draft_id")
        extra = {"media_id": kwargs.get("media_id"), "board": kwargs.get("board") or ""}
        results: list[DraftResult | None] = []
        pending: list[tuple[int, DraftInput, str]] = []
        for i, request in enumerate(requests):
            key = self.key(request)
            hit = self.from_cache(key, request, draft_id=draft_id, fields=extra)
            results.append(hit)
            if hit is None:
                pending.append((i, request, key))
        if pending:
            with ThreadPoolExecutor(max_workers=min(8, len(pending))) as pool:
                futures = [
                    (i, request, key, time.perf_counter(), pool.submit(self.call, request))
                    for i, request, key in pending
                ]
                first_error: DraftingError | None = None
                for i, request, key, started, future in futures:
                    try:
                        output = future.result()
                    except DraftingError as exc:
                        self.record(key, request, error=exc, started=started, media_id=kwargs.get("media_id"))
                        first_error = first_error or exc
                        continue
                    results[i] = self.record(
                        key, request, output=output, media_id=kwargs.get("media_id"), draft_id=draft_id, fields=extra
                    )
            if not any(results) and first_error:
                raise first_error
        return [r for r in results if r is not None]

    # --- saving ------------------------------------------------------------------------------
    def save(
        self,
        result: DraftResult,
        *,
        topic: str = "",
        link: str = "",
        board: str = "",
        media_id: int | None = None,
        actor: Actor,
    ) -> Draft:
        """Create a draft from a result and link its LLM call to it."""
        from studio.drafts import save_draft  # workflow imports drafting: import late

        out = result.output
        draft = save_draft(
            self.store,
            None,
            {
                "title": out.title,
                "description": out.description,
                "alt_text": out.alt_text,
                "keywords": ", ".join(out.keywords),
                "topic": topic,
                "link": link,
                "board": board,
                "media_id": media_id,
                "provider": out.provider,
                "model": out.model,
            },
            actor=actor,
        )
        if result.call_id:
            self.log.attach([result.call_id], draft.id)
        return draft


# What worked, per board: registered by studio.analytics (a layer above drafting), so drafting never imports it.
_GROUNDING: list[Callable[[Store, str], dict]] = []


def register_grounding(source: Callable[[Store, str], dict]) -> None:
    """Set the function `(store, board) -> {titles, keywords, ...}` that grounds drafts in results."""
    _GROUNDING[:] = [source]


def service_for(
    store: Store, settings: Settings, *, http: httpx.Client | None = None, drafter: Drafter | None = None
) -> DraftingService:
    """The service the settings ask for: their drafter, brand voice and a landing-page fetcher."""
    from studio.drafting.base import get_drafter
    from studio.drafting.landing import shared_client

    drafter = drafter or get_drafter(settings)
    grounding = None
    if settings.analytics_grounding and _GROUNDING:
        source = _GROUNDING[0]

        def grounding(board: str) -> dict:
            return source(store, board)

    return DraftingService(
        store,
        drafter,
        data_dir=settings.data_dir,
        voice=BrandVoice.from_settings(settings),
        landing=LandingFetcher(
            http or shared_client(settings.fetch_allow_private), allow_private=settings.fetch_allow_private
        ),
        grounding=grounding,
    )
