"""Serving the API with uvicorn: in the foreground (`pinstudio api`) or in a background thread
(`pinstudio run`, tests, the benchmark)."""

from __future__ import annotations

import threading
import time
from typing import Any

import uvicorn

from studio.config import Settings


def build_app(settings: Settings, **options: Any) -> Any:
    """The API app on this process's one `Services` (the app closes it when it shuts down)."""
    from studio.api.app import create_app
    from studio.services import Services

    return create_app(settings, services=Services.from_settings(settings), **options)


def serve(settings: Settings, host: str, port: int, **options: Any) -> None:
    uvicorn.run(build_app(settings, **options), host=host, port=port, log_level="warning", access_log=False)


class BackgroundServer:
    """uvicorn in a daemon thread; `url` once started, `stop()` to shut it down."""

    def __init__(self, app: Any, host: str = "127.0.0.1", port: int = 0) -> None:
        config = uvicorn.Config(app, host=host, port=port, log_level="warning", access_log=False, lifespan="on")
        self.server = uvicorn.Server(config)
        # uvicorn installs signal handlers only in the main thread: this one leaves them to `pinstudio run`.
        self.thread = threading.Thread(target=self.server.run, name="pinstudio-api", daemon=True)
        self.host = host

    def start(self, timeout: float = 15.0) -> BackgroundServer:
        self.thread.start()
        deadline = time.monotonic() + timeout
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the API server did not start (is the port free?)")
            time.sleep(0.02)
        return self

    @property
    def port(self) -> int:
        return self.server.servers[0].sockets[0].getsockname()[1]

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
