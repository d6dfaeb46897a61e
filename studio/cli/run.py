"""`pinstudio run`: start the studio (Streamlit) on this machine."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from studio.accounts import check_bind
from studio.cli.common import fail, settings
from studio.errors import StudioError, ValidationError
from studio.publishing import effective_backend

APP = Path(__file__).resolve().parents[2] / "app.py"


def register(subparsers) -> None:
    p = subparsers.add_parser("run", help="start the studio in your browser (http://localhost:8501)")
    p.add_argument(
        "--port", type=int, help="port to listen on (default STUDIO_PORT, else STREAMLIT_SERVER_PORT, else 8501)"
    )
    p.add_argument("--host", help="address to bind (default STUDIO_HOST or 127.0.0.1)")
    p.add_argument(
        "--no-worker", action="store_true", help="don't start the scheduler worker (STUDIO_WORKER=false does the same)"
    )
    p.set_defaults(handler=run)


def streamlit_command(host: str, port: int) -> list[str]:
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(APP),
        "--server.address",
        host,
        "--server.port",
        str(port),
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
        "--client.toolbarMode",
        "minimal",
    ]


def chosen_port(cli_port: int | None, cfg) -> int:
    """--port, else STUDIO_PORT (environment or .env), else Streamlit's own STREAMLIT_SERVER_PORT, else 8501."""
    if cli_port:
        return cli_port
    streamlit_port = os.environ.get("STREAMLIT_SERVER_PORT", "").strip()
    if "port" in cfg.model_fields_set or not streamlit_port:
        return cfg.port
    if not streamlit_port.isdigit() or not 0 < int(streamlit_port) < 65536:
        raise ValidationError(
            f"STREAMLIT_SERVER_PORT is '{streamlit_port}', not a port number.",
            fix="Set it to a number between 1 and 65535, or use STUDIO_PORT.",
            code="bad_port",
        )
    return int(streamlit_port)


def run(args) -> int:
    cfg = settings()
    host = args.host or cfg.host
    try:
        port = chosen_port(args.port, cfg)
    except StudioError as exc:
        return fail(exc, 2)
    try:  # a studio reachable from other machines must have a password
        check_bind(host, cfg.password.get_secret_value() if cfg.password else None)
    except StudioError as exc:
        return fail(exc, 2)
    if not APP.exists():
        return fail(f"The studio app was not found at {APP}. Run `make run` from a checkout of Pinstudio.")
    cfg.data_dir.mkdir(parents=True, exist_ok=True)
    print(
        f"Pinstudio on http://{'localhost' if host == '127.0.0.1' else host}:{port} "
        f"(drafter: {cfg.effective_llm_provider()}, publisher: {effective_backend(cfg)})",
        flush=True,
    )
    worker = None
    if cfg.worker_enabled and not args.no_worker:
        from studio.cli.worker import start_background_worker

        worker = start_background_worker(cfg)
    proc = subprocess.Popen(streamlit_command(host, port), cwd=APP.parent, env=dict(os.environ))
    signal.signal(signal.SIGTERM, lambda *_: proc.terminate())
    try:
        return proc.wait()
    except KeyboardInterrupt:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        return 0
    finally:
        if worker:
            worker[1].set()  # stop the scheduler worker with the studio
            worker[0].join(timeout=10)
