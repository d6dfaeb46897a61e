"""The FastAPI application: the Pinterest part of the Postproxy API over the studio, at `/api`."""

import logging
import math
import shutil
import tempfile
import threading
import time
from collections.abc import Callable
from contextlib import asynccontextmanager
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import httpx
from fastapi import Depends, FastAPI, Header, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse
from pydantic import ValidationError as PydanticValidationError

from studio.api import keys, posts, webhooks
from studio.api.processor import Processor
from studio.api.schemas import (
    CreatePostIn,
    DeleteOut,
    DeliveryPage,
    ErrorOut,
    PostOut,
    PostPage,
    PostStatus,
    ProfileList,
    ProfileOut,
    WebhookIn,
    WebhookList,
    WebhookOut,
    WebhookPatch,
)
from studio.api.uploads import read_form
from studio.config import Settings
from studio.errors import NotFoundError, StudioError
from studio.secrets import Vault
from studio.services import Services
from studio.storage import Store

log = logging.getLogger("pinstudio.api")
ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorOut, "description": text}
    for code, text in (
        (401, "Missing or wrong API key."),
        (404, "Not found."),
        (409, "Duplicate post, or an Idempotency-Key still in flight."),
        (422, "Invalid input: the message names the problem and the fix."),
        (429, "Too many requests for this key: wait `Retry-After` seconds."),
    )
}


class ApiError(Exception):
    def __init__(self, status: int, error: StudioError | str, code: str = "", headers: dict | None = None) -> None:
        self.status, self.headers = status, headers or {}
        if isinstance(error, StudioError):
            self.body = {"error": error.message, "code": error.code, "fix": error.fix}
        else:
            self.body = {"error": error, "code": code or "error", "fix": ""}


class TokenBucketPerKey:
    """A token bucket per key: `per_minute` requests, refilled smoothly."""

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.capacity = max(1, per_minute)
        self.rate = self.capacity / 60.0
        self.clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def take(self, key: str) -> float:
        """0 when allowed, else the seconds to wait."""
        with self._lock:
            now = self.clock()
            tokens, at = self._buckets.get(key, (float(self.capacity), now))
            tokens = min(self.capacity, tokens + (now - at) * self.rate)
            if tokens >= 1:
                self._buckets[key] = (tokens - 1, now)
                return 0.0
            self._buckets[key] = (tokens, now)
            return (1 - tokens) / self.rate


def create_app(
    settings: Settings,
    *,
    publisher: Any = None,
    media_http: httpx.Client | None = None,
    webhook_http: httpx.Client | None = None,
    vault: Vault | None = None,
    start_processor: bool = True,
    processor_interval_s: float = 0.5,
) -> FastAPI:
    """The API over the studio in `settings.data_dir`. `publisher` (tests, benchmarks) replaces the
    configured backend for jobs the API runs; the studio's worker uses its own."""
    services = Services.from_settings(settings)  # the composition root: publishers, vault, guarded downloads
    vault = vault or services.vault
    processor = Processor(
        settings,
        vault,
        services=services,
        publisher=publisher,
        webhook_http=webhook_http,
        interval_s=processor_interval_s,
    )
    ctx = posts.ApiContext(
        settings=settings,
        http=media_http or services.fetch_http,  # media links go through the SSRF guard
        publisher_name=processor.backend,
    )
    limiter = TokenBucketPerKey(settings.api_rate_limit)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        if start_processor:
            processor.start()
        yield
        processor.stop()

    local = threading.local()
    touched: dict[str, float] = {}

    def store() -> Store:
        if getattr(local, "store", None) is None:  # one connection per server thread
            local.store = Store.open(settings.db_path)
        return local.store

    app = FastAPI(
        title="Pinstudio API",
        version="1",
        description="The Pinterest part of the Postproxy API, served by your own Pinstudio. "
        "Authenticate with `Authorization: Bearer KEY` (`pinstudio api-keys create`).",
        lifespan=lifespan,
    )
    app.state.processor = processor
    app.state.store = store

    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> JSONResponse:
        return JSONResponse(exc.body, status_code=exc.status, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(x) for x in first.get("loc", ()) if x != "body")
        return JSONResponse(
            {"error": f"{where or 'request'}: {first.get('msg', 'invalid')}", "code": "invalid_request", "fix": ""},
            status_code=422,
        )

    def authenticated(authorization: Annotated[str | None, Header()] = None) -> dict:
        scheme, _, presented = (authorization or "").partition(" ")
        key = keys.verify_key(store(), presented.strip()) if scheme.lower() == "bearer" else None
        if key is None:
            raise ApiError(401, "Missing or wrong API key.", "unauthorized", headers={"WWW-Authenticate": "Bearer"})
        wait = limiter.take(key["id"])
        if wait:
            raise ApiError(
                429,
                f"Too many requests for this API key (limit {settings.api_rate_limit} a minute).",
                "rate_limited",
                headers={"Retry-After": str(max(1, math.ceil(wait)))},
            )
        if time.monotonic() - touched.get(key["id"], -1e9) > 60:  # last-used, at most once a minute
            touched[key["id"]] = time.monotonic()
            keys.touch(store(), key["id"])
        return key

    Key = Annotated[dict, Depends(authenticated)]

    def studio_call(fn: Callable, *args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except NotFoundError as exc:
            raise ApiError(404, exc) from None
        except posts.ConflictApiError as exc:
            err = ApiError(409, exc)
            if exc.duplicate_of:
                err.body["duplicate_post_id"] = exc.duplicate_of
            raise err from None
        except StudioError as exc:
            raise ApiError(422, exc) from None

    def names() -> dict[str, str]:
        return {p["id"]: p["name"] for p in posts.profiles(store())}

    # --- profiles --------------------------------------------------------------------------
    @app.get("/api/profiles", response_model=ProfileList, responses=ERRORS, tags=["profiles"])
    def list_profiles(key: Key) -> dict:
        return {"data": [posts.public_profile(p) for p in posts.profiles(store())]}

    @app.get("/api/profiles/{profile_id}", response_model=ProfileOut, responses=ERRORS, tags=["profiles"])
    def get_profile(profile_id: str, key: Key) -> dict:
        for p in posts.profiles(store()):
            if p["id"] == profile_id:
                return posts.public_profile(p)
        raise ApiError(404, f"There is no profile {profile_id[:40]}.", "not_found")

    # --- posts -----------------------------------------------------------------------------
    @app.post(
        "/api/posts",
        response_model=PostOut,
        status_code=201,
        responses=ERRORS,
        tags=["posts"],
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/CreatePostIn"}},
                    "multipart/form-data": {
                        "schema": {
                            "type": "object",
                            "properties": {
                                "post[body]": {"type": "string"},
                                "post[scheduled_at]": {"type": "string"},
                                "post[draft]": {"type": "string"},
                                "profiles[]": {"type": "array", "items": {"type": "string"}},
                                "media[]": {"type": "array", "items": {"type": "string", "format": "binary"}},
                                "platforms[pinterest][title]": {"type": "string"},
                                "platforms[pinterest][board_id]": {"type": "string"},
                                "platforms[pinterest][cover_file]": {"type": "string", "format": "binary"},
                            },
                        }
                    },
                },
            }
        },
    )
    async def create_post(
        request: Request,
        key: Key,
        idempotency_key: Annotated[str | None, Header(max_length=200)] = None,
        x_skip_duplicate_check: Annotated[str | None, Header()] = None,
    ) -> JSONResponse:
        from starlette.concurrency import run_in_threadpool

        kind = request.headers.get("content-type", "")
        tmp = Path(tempfile.mkdtemp(dir=_incoming(settings)))
        try:
            uploads: list[posts.Upload] = []
            cover: posts.Upload | None = None
            if kind.startswith("multipart/form-data"):
                raw, uploads, cover = await _read_multipart(request, tmp)
            else:
                try:
                    raw = await request.json()
                except ValueError:
                    raise ApiError(422, "The body is not valid JSON.", "invalid_json") from None
            try:
                payload = CreatePostIn.model_validate(raw)
            except PydanticValidationError as exc:
                first = exc.errors()[0]
                where = ".".join(str(x) for x in first["loc"])
                raise ApiError(422, f"{where}: {first['msg']}", "invalid_request") from None
            skip = (x_skip_duplicate_check or "").strip().lower() in ("true", "1", "yes")

            def create() -> tuple[dict, bool]:  # in a worker thread: its own SQLite connection
                row, created = studio_call(
                    posts.create_post,
                    store(),
                    ctx,
                    key,
                    payload,
                    uploads=uploads,
                    cover_upload=cover,
                    idempotency_key=idempotency_key,
                    skip_duplicate_check=skip,
                )
                return posts.post_view(row, settings.public_base_url, names()), created

            view, created = await run_in_threadpool(create)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        processor.wake.set()
        return JSONResponse(PostOut.model_validate(view).model_dump(mode="json"), status_code=201 if created else 200)

    @app.get("/api/posts", response_model=PostPage, responses=ERRORS, tags=["posts"])
    def list_posts(
        key: Key,
        page: Annotated[int, Query(ge=0, le=100_000)] = 0,
        per_page: Annotated[int, Query(ge=1, le=100)] = 20,
        status: PostStatus | None = None,
        scheduled_after: datetime | None = None,
    ) -> dict:
        rows = posts.list_rows(store(), status=status, scheduled_after=scheduled_after)
        shown = rows[page * per_page : (page + 1) * per_page]
        known = names()
        return {
            "data": [posts.post_view(r, settings.public_base_url, known) for r in shown],
            "total": len(rows),
            "page": page,
            "per_page": per_page,
        }

    @app.get("/api/posts/{post_id}", response_model=PostOut, responses=ERRORS, tags=["posts"])
    def get_post(post_id: str, key: Key) -> dict:
        return posts.post_view(studio_call(posts.get_row, store(), post_id), settings.public_base_url, names())

    @app.delete("/api/posts/{post_id}", response_model=DeleteOut, responses=ERRORS, tags=["posts"])
    def delete_post(post_id: str, key: Key) -> dict:
        studio_call(posts.delete_post, store(), post_id, actor=f"api:{key['name']}")
        return {"deleted": True}

    # --- webhooks --------------------------------------------------------------------------
    @app.get("/api/webhooks", response_model=WebhookList, responses=ERRORS, tags=["webhooks"])
    def list_webhooks(key: Key) -> dict:
        return {"data": webhooks.list_all(store())}

    @app.post("/api/webhooks", response_model=WebhookOut, status_code=201, responses=ERRORS, tags=["webhooks"])
    def create_webhook(body: WebhookIn, key: Key) -> dict:
        enabled = True if body.enabled is None else body.enabled
        return studio_call(webhooks.create, store(), vault, body.url, body.events, body.description, enabled)

    @app.get("/api/webhooks/{webhook_id}", response_model=WebhookOut, responses=ERRORS, tags=["webhooks"])
    def get_webhook(webhook_id: str, key: Key) -> dict:
        return studio_call(webhooks.get, store(), webhook_id)

    @app.patch("/api/webhooks/{webhook_id}", response_model=WebhookOut, responses=ERRORS, tags=["webhooks"])
    def update_webhook(webhook_id: str, body: WebhookPatch, key: Key) -> dict:
        return studio_call(webhooks.update, store(), webhook_id, body.model_dump(exclude_unset=True))

    @app.delete("/api/webhooks/{webhook_id}", response_model=DeleteOut, responses=ERRORS, tags=["webhooks"])
    def delete_webhook(webhook_id: str, key: Key) -> dict:
        studio_call(webhooks.delete, store(), webhook_id)
        return {"deleted": True}

    @app.get("/api/webhooks/{webhook_id}/deliveries", response_model=DeliveryPage, responses=ERRORS, tags=["webhooks"])
    def list_deliveries(
        webhook_id: str,
        key: Key,
        page: Annotated[int, Query(ge=0, le=100_000)] = 0,
        per_page: Annotated[int, Query(ge=1, le=100)] = 20,
    ) -> dict:
        rows = studio_call(webhooks.deliveries, store(), webhook_id)
        return {
            "data": rows[page * per_page : (page + 1) * per_page],
            "total": len(rows),
            "page": page,
            "per_page": per_page,
        }

    # --- stored media, read-only (STUDIO_PUBLIC_BASE_URL) ---------------------------------
    @app.get("/media/{name}", include_in_schema=False)
    def media(name: str) -> FileResponse:
        path = posts.media_file(store(), settings.data_dir, name)
        if path is None:
            raise ApiError(404, "No such media.", "not_found")
        return FileResponse(path, headers={"Cache-Control": "public, max-age=31536000, immutable"})

    return app


def _incoming(settings: Settings) -> Path:
    path = Path(settings.data_dir) / "api" / "incoming"
    path.mkdir(parents=True, exist_ok=True)
    return path


async def _read_multipart(request: Request, tmp: Path) -> tuple[dict, list[posts.Upload], posts.Upload | None]:
    """The SDK's form (`post[body]`, `profiles[]`, `media[]`, `platforms[pinterest][title]`, …) as the JSON
    shape, with uploaded files streamed into `tmp` as they arrive (never held in memory: see api/uploads.py)."""
    try:
        items = await read_form(request.headers.get("content-type", ""), request.stream(), tmp)
    except StudioError as exc:  # a malformed body, too many parts, a file over 2 GB
        raise ApiError(422, exc) from None
    raw: dict[str, Any] = {"post": {}, "profiles": [], "media": [], "platforms": {}}
    uploads: list[posts.Upload] = []
    cover: posts.Upload | None = None
    for name, value in items:
        if isinstance(value, posts.Upload):
            if name == "media[]":
                uploads.append(value)
            elif name == "platforms[pinterest][cover_file]":
                cover = value
            continue
        if name.startswith("post[") and name.endswith("]"):
            field = name[5:-1]
            raw["post"][field] = (value.lower() == "true") if field == "draft" else value
        elif name == "profiles[]":
            raw["profiles"].append(value)
        elif name == "media[]":
            raw["media"].append(value)
        elif name.startswith("platforms[") and name.count("[") >= 2:
            platform, _, rest = name[len("platforms[") :].partition("][")
            field = rest.rstrip("]").removesuffix("][")
            params = raw["platforms"].setdefault(platform, {})
            if name.endswith("[]"):
                params.setdefault(field.removesuffix("]["), []).append(value)
            else:
                params[field] = value
    if not raw["profiles"]:
        raw.pop("profiles")
    return raw, uploads, cover
