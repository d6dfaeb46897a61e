"""`pinstudio run`: start the studio (Streamlit) on this machine."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tomllib
from contextlib import closing
from pathlib import Path

from studio.accounts import check_bind, is_loopback
from studio.cli.common import fail, open_store, services, settings
from studio.errors import StudioError, ValidationError

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
    p.add_argument("--no-api", action="store_true", help="don't serve the HTTP API (on STUDIO_API_PORT, 8502)")
    p.set_defaults(handler=run)


def shows_error_details(host: str, cfg) -> bool:
    """Tracebacks only for one person at this machine: a loopback bind with no reverse proxy in front (none named
    in STUDIO_TRUSTED_PROXIES) and no studio password (which only a shared studio needs). Behind the README's
    proxy the bind is loopback too, but the browser is someone else's."""
    return is_loopback(host) and not cfg.trusted_proxies.strip() and not cfg.password


def streamlit_command(host: str, port: int, *, error_details: bool | None = None) -> list[str]:
    """The Streamlit command line (run from the checkout: pages_support.serve is `streamlit` with its legacy
    pages/ mode off, so a first load never lists files as pages); unless `error_details` (default: a loopback
    bind), errors reach users without tracebacks."""
    shown = is_loopback(host) if error_details is None else error_details
    team = [] if shown else ["--client.showErrorDetails", "none"]
    return [
        sys.executable,
        "-m",
        "pages_support.serve",
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
        *team,
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


def tls_configured(environ: dict[str, str] | None = None, config_files: list[Path] | None = None) -> bool:
    """Whether Streamlit will serve HTTPS: `server.sslCertFile` set by flag-equivalent env var or config file."""
    environ = dict(os.environ) if environ is None else environ
    if environ.get("STREAMLIT_SERVER_SSL_CERT_FILE", "").strip():
        return True
    files = (
        config_files
        if config_files is not None
        else [APP.parent / ".streamlit" / "config.toml", Path.home() / ".streamlit" / "config.toml"]
    )
    for path in files:
        try:
            server = tomllib.loads(path.read_text()).get("server", {})
        except (OSError, tomllib.TOMLDecodeError):
            continue
        if str(server.get("sslCertFile") or "").strip():
            return True
    return False


def bind_warning(host: str, *, tls: bool) -> str | None:
    """The warning a reachable bind without TLS deserves (passwords and tokens would cross the network in clear)."""
    if is_loopback(host) or tls:
        return None
    return (
        f"Warning: the studio is reachable on {host} without TLS: the password and session travel in clear text. "
        "Put it behind a reverse proxy that terminates HTTPS (and bind to 127.0.0.1), or set Streamlit's "
        "server.sslCertFile and server.sslKeyFile (STREAMLIT_SERVER_SSL_CERT_FILE / STREAMLIT_SERVER_SSL_KEY_FILE). "
        "See README, 'Running it for a team'."
    )


def _has_owner(cfg, host: str) -> bool:
    """Whether an active owner account exists (only asked for a reachable bind: loopback needs no door)."""
    if is_loopback(host) or not cfg.db_path.exists():
        return False
    from studio import people

    with closing(open_store(cfg)) as store:
        return people.active_owner_count(store) > 0


def run(args) -> int:
    cfg = settings()
    host = args.host or cfg.host
    try:
        port = chosen_port(args.port, cfg)
    except StudioError as exc:
        return fail(exc, 2)
    try:  # a studio reachable from other machines must have a door: studio accounts, or a password
        check_bind(host, cfg.password.get_secret_value() if cfg.password else None, has_owner=_has_owner(cfg, host))
    except StudioError as exc:
        return fail(exc, 2)
    if not APP.exists():
        return fail(f"The studio app was not found at {APP}. Run `make run` from a checkout of Pinstudio.")
    cfg.data_dir.mkdir(parents=True, exist_ok=True)
    warning = bind_warning(host, tls=tls_configured())
    if warning:
        print(warning, file=sys.stderr, flush=True)
    print(
        f"Pinstudio on http://{'localhost' if host == '127.0.0.1' else host}:{port} "
        f"(drafter: {cfg.effective_llm_provider()}, publisher: {services(cfg).backend()})",
        flush=True,
    )
    worker = None
    if cfg.worker_enabled and not args.no_worker:
        from studio.cli.worker import start_background_worker

        worker = start_background_worker(cfg)
    api = None if args.no_api else start_api(cfg, host)
    command = streamlit_command(host, port, error_details=shows_error_details(host, cfg))
    proc = subprocess.Popen(command, cwd=APP.parent, env=dict(os.environ))
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
        if api:
            api.stop()
        if worker:
            worker[1].set()  # stop the scheduler worker with the studio
            worker[0].join(timeout=10)


def start_api(cfg, host: str):
    """The HTTP API beside the studio, with the same bind rule (beyond loopback only with API keys)."""
    from studio.api import start_background_server
    from studio.cli.api import check_api_bind
    from studio.cli.common import open_store

    store = open_store(cfg)
    try:
        check_api_bind(store, host)
    except StudioError as exc:
        print(f"HTTP API not started: {exc}", flush=True)
        return None
    finally:
        store.close()
    try:
        server = start_background_server(cfg, host, cfg.api_port)
    except RuntimeError as exc:
        print(f"HTTP API not started on port {cfg.api_port}: {exc}", flush=True)
        return None
    print(f"HTTP API on http://{'localhost' if host == '127.0.0.1' else host}:{cfg.api_port}/api", flush=True)
    return server
