"""The FastAPI application: the Pinterest part of the Postproxy API over the studio, at `/api`."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from typing import Any

import httpx
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from studio.api.errors import ApiError
from studio.api.limits import InflightCap, RequestGuard
from studio.api.media_checks import MediaChecks
from studio.api.posts import ApiContext
from studio.api.processor import Processor
from studio.api.routes import ROUTERS
from studio.api.routes.dependencies import ApiState, KeyRateLimiter
from studio.config import Settings
from studio.errors import StudioError
from studio.netguard import allow_private_default
from studio.secrets import Vault
from studio.services import Services

DESCRIPTION = (
    "The Pinterest part of the Postproxy API, served by your own Pinstudio. "
    "Authenticate with `Authorization: Bearer KEY` (`pinstudio api-keys create`)."
)
# No /docs or /redoc: FastAPI's pages load Swagger UI and ReDoc from a CDN, and the one Swagger UI on PyPI
# (swagger-ui-bundle, 4.15) can't render FastAPI's OpenAPI 3.1. /openapi.json is served with a key.
DOCS: dict[str, Any] = {"docs_url": None, "redoc_url": None}


def create_app(
    settings: Settings,
    *,
    services: Services | None = None,
    publisher: Any = None,
    media_http: httpx.Client | None = None,
    webhook_http: httpx.Client | None = None,
    vault: Vault | None = None,
    start_processor: bool = True,
    processor_interval_s: float = 0.5,
) -> FastAPI:
    """The API over the studio in `settings.data_dir`, on `services` (built here when none is given; the app
    closes it when it shuts down). `publisher` (tests, benchmarks) replaces the configured backend for jobs
    the API runs; the studio's worker uses its own."""
    services = services or Services.from_settings(settings)
    vault = vault or services.vault
    processor = Processor(
        settings,
        vault,
        services=services,
        publisher=publisher,
        webhook_http=webhook_http,
        interval_s=processor_interval_s,
    )
    context = ApiContext(
        settings,
        media_http or services.fetch_http,  # SSRF-guarded
        processor.backend,
        fetch_options={"deadline_s": settings.api_media_deadline_s, "allow_private": allow_private_default()},
    )
    state = ApiState(
        settings=settings,
        services=services,
        vault=vault,
        context=context,
        processor=processor,
        limiter=KeyRateLimiter(settings.api_rate_limit),
        creates=ThreadPoolExecutor(max_workers=settings.api_media_workers, thread_name_prefix="api-create"),
        checks=MediaChecks(services, context, on_done=processor.wake.set),
        inflight=InflightCap(settings.api_max_inflight_per_key),
    )

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        if start_processor:
            processor.start()
        state.checks.resume()
        try:
            yield
        finally:
            state.creates.shutdown(wait=False, cancel_futures=True)
            state.checks.close()
            processor.stop()
            services.close()

    app = FastAPI(title="Pinstudio API", version="1", description=DESCRIPTION, lifespan=lifespan, **DOCS)
    app.add_middleware(RequestGuard, state=state, render=error_response)
    app.state.api = state
    app.state.processor = processor
    app.add_exception_handler(StudioError, studio_error)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, invalid_request)  # type: ignore[arg-type]
    for router in ROUTERS:
        app.include_router(router)
    return app


async def studio_error(request: Request, exc: StudioError) -> JSONResponse:
    """Every error the studio raises, answered with its class's status (and the API's own headers)."""
    return error_response(exc)


def error_response(exc: StudioError) -> JSONResponse:
    """The API's answer to a StudioError (the routes' handler and the request guard both answer with it)."""
    body = {"error": exc.message, "code": exc.code, "fix": exc.fix}
    headers: dict[str, str] = {}
    if isinstance(exc, ApiError):
        body |= exc.details
        headers = exc.headers
    return JSONResponse(body, status_code=exc.http_status, headers=headers)


async def invalid_request(request: Request, exc: RequestValidationError) -> JSONResponse:
    """FastAPI's own validation (path, query, headers, JSON bodies), in the studio's error shape."""
    first = exc.errors()[0] if exc.errors() else {}
    where = ".".join(str(part) for part in first.get("loc", ()) if part != "body")
    return JSONResponse(
        {"error": f"{where or 'request'}: {first.get('msg', 'invalid')}", "code": "invalid_request", "fix": ""},
        status_code=422,
    )
