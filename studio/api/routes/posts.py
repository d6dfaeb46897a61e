"""`/api/posts`: create (JSON, or the SDK's multipart form with files), list, read and withdraw posts."""

from __future__ import annotations

import asyncio
import shutil
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, Request
from fastapi.responses import JSONResponse
from pydantic import ValidationError as PydanticValidationError

from studio.api import posts
from studio.api.routes.dependencies import ERRORS, ApiState, Caller, Key, State
from studio.api.schemas import CreatePostIn, DeleteOut, PostOut, PostPage, PostStatus
from studio.api.uploads import read_form
from studio.config import Settings
from studio.errors import ValidationError
from studio.people import Actor, Scope, require_scope

# The OpenAPI can't infer the body of a route that reads JSON or a streamed form itself: it is written here.
MULTIPART_FIELDS: dict[str, Any] = {
    "post[body]": {"type": "string"},
    "post[scheduled_at]": {"type": "string"},
    "post[draft]": {"type": "string"},
    "profiles[]": {"type": "array", "items": {"type": "string"}},
    "media[]": {"type": "array", "items": {"type": "string", "format": "binary"}},
    "platforms[pinterest][title]": {"type": "string"},
    "platforms[pinterest][board_id]": {"type": "string"},
    "platforms[pinterest][cover_file]": {"type": "string", "format": "binary"},
}
CREATE_POST_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/CreatePostIn"}},
            "multipart/form-data": {"schema": {"type": "object", "properties": MULTIPART_FIELDS}},
        },
    }
}

router = APIRouter(tags=["posts"], responses=ERRORS)


@router.post("/api/posts", response_model=PostOut, status_code=201, openapi_extra=CREATE_POST_BODY)
async def create_post(
    request: Request,
    key: Key,
    actor: Caller,
    state: State,
    idempotency_key: Annotated[str | None, Header(max_length=200)] = None,
    x_skip_duplicate_check: Annotated[str | None, Header()] = None,
) -> JSONResponse:
    skip = (x_skip_duplicate_check or "").strip().lower() in ("true", "1", "yes")
    with state.inflight.hold(key["id"]):  # 429 beyond STUDIO_API_MAX_INFLIGHT_PER_KEY
        view, created = await _create(request, key, actor, state, idempotency_key, skip)
    if created and any(media["status"] == "pending" for media in view["media"]):
        state.checks.submit(view["id"])  # its media's pixels, after the answer
    state.processor.wake.set()
    return JSONResponse(PostOut.model_validate(view).model_dump(mode="json"), status_code=201 if created else 200)


async def _create(
    request: Request, key: dict, actor: Actor, state: ApiState, idempotency_key: str | None, skip: bool
) -> tuple[dict, bool]:
    """Read the post, then create it in the create pool (its download included): never on the threads that
    answer every other request, so slow media links can't starve them."""
    tmp = Path(tempfile.mkdtemp(dir=_incoming(state.settings)))
    try:
        payload, uploads, cover = await _read_post(request, tmp)

        def create() -> tuple[dict, bool]:  # in a create thread: its own SQLite connection
            row, created = posts.create_post(
                state.store(),
                state.context,
                key,
                payload,
                actor=actor,
                uploads=uploads,
                cover_upload=cover,
                idempotency_key=idempotency_key,
                skip_duplicate_check=skip,
            )
            return _view(state, row), created

        return await asyncio.get_running_loop().run_in_executor(state.creates, create)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


@router.get("/api/posts", response_model=PostPage)
def list_posts(
    key: Key,
    actor: Caller,
    state: State,
    page: Annotated[int, Query(ge=0, le=100_000)] = 0,
    per_page: Annotated[int, Query(ge=1, le=100)] = 20,
    status: PostStatus | None = None,
    scheduled_after: datetime | None = None,
) -> dict:
    _may_read(actor)
    shown, total = posts.list_page(
        state.store(),
        page=page,
        per_page=per_page,
        status=status,
        scheduled_after=scheduled_after,
        key_id=posts.visible_to(actor, key["id"]),
    )
    names = state.profile_names()
    return {
        "data": [posts.post_view(row, state.settings.public_base_url, names) for row in shown],
        "total": total,
        "page": page,
        "per_page": per_page,
    }


@router.get("/api/posts/{post_id}", response_model=PostOut)
def get_post(post_id: str, key: Key, actor: Caller, state: State) -> dict:
    _may_read(actor)
    return _view(state, posts.get_row(state.store(), post_id, key_id=posts.visible_to(actor, key["id"])))


@router.delete("/api/posts/{post_id}", response_model=DeleteOut)
def delete_post(post_id: str, key: Key, actor: Caller, state: State) -> dict:
    require_scope(actor, Scope.POSTS_DRAFT, Scope.POSTS_PUBLISH, Scope.ADMIN)
    posts.delete_post(state.store(), post_id, actor=actor, key_id=posts.visible_to(actor, key["id"]))
    return {"deleted": True}


def _may_read(actor: Actor) -> None:
    """Reading posts takes a posting scope (a key reads its own) or `admin` (every key's)."""
    require_scope(actor, Scope.POSTS_DRAFT, Scope.POSTS_PUBLISH, Scope.ADMIN)


def _view(state: ApiState, row: dict) -> dict:
    return posts.post_view(row, state.settings.public_base_url, state.profile_names())


def _incoming(settings: Settings) -> Path:
    path = Path(settings.data_dir) / "api" / "incoming"
    path.mkdir(parents=True, exist_ok=True)
    return path


async def _read_post(request: Request, tmp: Path) -> tuple[CreatePostIn, list[posts.Upload], posts.Upload | None]:
    """The post a request sends, as JSON or as a multipart form (its files streamed into `tmp`)."""
    uploads: list[posts.Upload] = []
    cover: posts.Upload | None = None
    if request.headers.get("content-type", "").startswith("multipart/form-data"):
        raw, uploads, cover = await _read_multipart(request, tmp)
    else:
        try:
            raw = await request.json()
        except ValueError:
            raise ValidationError("The body is not valid JSON.", code="invalid_json") from None
    try:
        return CreatePostIn.model_validate(raw), uploads, cover
    except PydanticValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise ValidationError(f"{where}: {first['msg']}", code="invalid_request") from None


async def _read_multipart(request: Request, tmp: Path) -> tuple[dict, list[posts.Upload], posts.Upload | None]:
    """The SDK's form (`post[body]`, `profiles[]`, `media[]`, `platforms[pinterest][title]`, …) as the JSON
    shape, with uploaded files streamed into `tmp` as they arrive (never held in memory: see api/uploads.py).
    A malformed body, too many parts or a file over 2 GB is a ValidationError."""
    items = await read_form(request.headers.get("content-type", ""), request.stream(), tmp)
    raw: dict[str, Any] = {"post": {}, "profiles": [], "media": [], "platforms": {}}
    uploads: list[posts.Upload] = []
    cover: posts.Upload | None = None
    for name, value in items:
        if isinstance(value, posts.Upload):
            if name == "media[]":
                uploads.append(value)
            elif name == "platforms[pinterest][cover_file]":
                cover = value
        else:
            _add_form_field(raw, name, value)
    if not raw["profiles"]:
        raw.pop("profiles")
    return raw, uploads, cover


def _add_form_field(raw: dict[str, Any], name: str, value: str) -> None:
    """One text field of the form, placed where the JSON shape has it."""
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
