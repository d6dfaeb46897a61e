"""A fake Pinterest API v5 on 127.0.0.1, in a thread. Every request is checked against the
official OpenAPI description; faults can be injected per call. Reusable by any test:

    with FakePinterest() as fake:
        settings = load_settings(PINTEREST_API_BASE=fake.base, PINTEREST_ACCESS_TOKEN=fake.access_token)
        fake.fail("POST", "/pins", status=503)       # next create answers 503
        ...
        assert fake.spec_violations == []
"""

from __future__ import annotations

import base64
import itertools
import json
import re
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from tests.fakes.pinterest_spec import load_validator, spec_path
from tests.support.env import in_ci

ROUTES = [  # (method, regex, spec template)
    ("GET", r"/v5/user_account", "/user_account"),
    ("GET", r"/v5/boards", "/boards"),
    ("POST", r"/v5/boards", "/boards"),
    ("GET", r"/v5/boards/(?P<board>\d+)/sections", "/boards/{board_id}/sections"),
    ("POST", r"/v5/boards/(?P<board>\d+)/sections", "/boards/{board_id}/sections"),
    ("GET", r"/v5/boards/(?P<board>[^/]+)/pins", "/boards/{board_id}/pins"),
    ("POST", r"/v5/pins", "/pins"),
    ("GET", r"/v5/pins/(?P<pin>\d+)", "/pins/{pin_id}"),
    ("PATCH", r"/v5/pins/(?P<pin>\d+)", "/pins/{pin_id}"),
    ("POST", r"/v5/media", "/media"),
    ("GET", r"/v5/media/(?P<media>\d+)", "/media/{media_id}"),
    ("POST", r"/v5/oauth/token", "/oauth/token"),
    ("POST", r"/upload/(?P<media>\d+)", None),  # the S3-style presigned upload
]
WRITE_TEMPLATES = {"/boards", "/boards/{board_id}/sections", "/pins", "/pins/{pin_id}", "/media"}
UPLOAD_FIELDS = [
    "Content-Type",
    "key",
    "policy",
    "x-amz-algorithm",
    "x-amz-credential",
    "x-amz-date",
    "x-amz-security-token",
    "x-amz-signature",
]


@dataclass
class Fault:
    method: str
    path: str  # prefix of the path after /v5
    kind: str  # status | delay | drop_after
    times: int = 1
    status: int = 500
    body: dict = field(default_factory=dict)
    headers: dict = field(default_factory=dict)
    seconds: float = 0.0


class FakePinterest:
    """State (boards, sections, pins, media, tokens) plus fault injection, behind a loopback server."""

    def __init__(
        self,
        *,
        boards: int = 260,
        username: str = "studio_test",
        write_limit_per_s: float | None = None,
        processing_s: float = 0.0,
        app_id: str = "1234",
        app_secret: str = "app-secret",
        validate: bool = True,
    ) -> None:
        self.lock = threading.RLock()
        self.ids = itertools.count(10_000_000_000_000_000)  # realistic: bigger than 2^53
        self.username, self.app_id, self.app_secret = username, app_id, app_secret
        self.access_token, self.refresh_token = "pina_live_token_1", "pinr_refresh_token_1"
        self.valid_tokens = {self.access_token}
        self.auth_codes: set[str] = set()
        self.boards: list[dict] = []
        for i in range(boards):
            self.add_board(f"Board {i:03d}")
        self.sections: dict[str, list[dict]] = {}
        self.pins: dict[str, dict] = {}
        self.media: dict[str, dict] = {}
        self.processing_s, self.fail_processing = processing_s, False
        self.faults: list[Fault] = []
        self.requests: list[dict] = []
        self.spec_violations: list[str] = []
        self.write_limit_per_s = write_limit_per_s
        self.write_times: list[float] = []
        self.rate_limited = 0
        self.uploads: list[dict] = []
        self.validator = load_validator() if validate else None
        self.spec_skip_reason = None if self.validator else f"Pinterest OpenAPI spec not found at {spec_path()}"
        if validate and self.validator is None and in_ci():
            # CI must check every request against the real spec; skipping there would hide drift.
            raise RuntimeError(f"{self.spec_skip_reason} (CI=true: the spec is required)")
        self._server: ThreadingHTTPServer | None = None

    # --- state helpers ------------------------------------------------------------------
    def new_id(self) -> str:
        return str(next(self.ids))

    def add_board(self, name: str, owner: str | None = None) -> dict:
        board = {
            "id": self.new_id(),
            "name": name,
            "description": None,
            "privacy": "PUBLIC",
            "owner": {"username": owner or self.username},
            "pin_count": 0,
        }
        self.boards.append(board)
        return board

    def board_named(self, name: str) -> dict:
        return next(b for b in self.boards if b["name"] == name)

    def add_section(self, board_id: str, name: str) -> dict:
        section = {"id": self.new_id(), "name": name}
        self.sections.setdefault(board_id, []).append(section)
        return section

    def expire_token(self) -> None:
        """The current access token stops working (401 code 2), as after 30 days."""
        with self.lock:
            self.valid_tokens.discard(self.access_token)

    def fail(
        self,
        method: str,
        path: str,
        *,
        status: int = 500,
        times: int = 1,
        body: dict | None = None,
        headers: dict | None = None,
    ) -> None:
        self.faults.append(Fault(method, path, "status", times, status, body or {}, headers or {}))

    def delay(self, method: str, path: str, seconds: float, times: int = 1) -> None:
        self.faults.append(Fault(method, path, "delay", times, seconds=seconds))

    def drop_after(self, method: str, path: str, times: int = 1) -> None:
        """Do the work, then close the connection without answering (outcome unknown to the client)."""
        self.faults.append(Fault(method, path, "drop_after", times))

    def calls(self, method: str, path_prefix: str) -> list[dict]:
        return [r for r in self.requests if r["method"] == method and r["path"].startswith(path_prefix)]

    # --- server -------------------------------------------------------------------------
    @property
    def base(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}/v5"

    def start(self) -> FakePinterest:
        handler = type("Handler", (_Handler,), {"fake": self})
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True).start()  # fast shutdown
        return self

    def stop(self) -> None:
        if self._server:
            self._server.shutdown()
            self._server.server_close()

    def __enter__(self) -> FakePinterest:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def take_fault(self, method: str, path: str) -> Fault | None:
        with self.lock:
            for fault in self.faults:
                if fault.method == method and path.startswith(fault.path) and fault.times > 0:
                    fault.times -= 1
                    return fault
        return None

    def media_status(self, media: dict) -> str:
        if media["status"] == "processing" and time.monotonic() - media["uploaded_at"] >= self.processing_s:
            media["status"] = "failed" if self.fail_processing else "succeeded"
        return media["status"]


def now_iso() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")  # Pinterest sends no offset


def error(status: int, code: int, message: str) -> tuple[int, dict]:
    return status, {"code": code, "message": message}


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out in two writes: without this each reply waits ~40 ms
    fake: FakePinterest

    def log_message(self, *args) -> None:  # keep test output quiet
        pass

    def do_GET(self) -> None:
        self._dispatch("GET")

    def do_POST(self) -> None:
        self._dispatch("POST")

    def do_PATCH(self) -> None:
        self._dispatch("PATCH")

    def _reply(self, status: int, body: dict | bytes | None, headers: dict | None = None) -> None:
        """JSON of `body`; raw bytes are sent as they are (a test's broken body)."""
        data = body if isinstance(body, bytes) else json.dumps(body).encode() if body is not None else b""
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("x-pinterest-rid", f"rid-{time.monotonic_ns()}")
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(data)

    def _dispatch(self, method: str) -> None:
        fake = self.fake
        url = urlsplit(self.path)
        path, query = url.path, parse_qs(url.query, keep_blank_values=True)
        for route_method, pattern, template in ROUTES:  # noqa: B007  (the matched route is used below)
            match = re.fullmatch(pattern, path)
            if route_method == method and match:
                break
        else:
            self._reply(404, {"code": 404, "message": f"No route {method} {path}"})
            return
        if template is None:
            return self._upload(match["media"])
        ctype = (self.headers.get("Content-Type") or "").split(";")[0]
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        body = None
        if ctype == "application/json" and raw:
            body = json.loads(raw)
        elif ctype == "application/x-www-form-urlencoded":
            body = {k: v[-1] for k, v in parse_qs(raw.decode()).items()}
        record = {
            "method": method,
            "path": path.removeprefix("/v5"),
            "query": query,
            "json": body,
            "authorization": self.headers.get("Authorization", ""),
        }
        with fake.lock:
            fake.requests.append(record)
        if fake.validator is not None:
            problems = fake.validator.check(method, template, query, body, ctype if raw else "")
            if problems:
                fake.spec_violations += [f"{method} {path}: {p}" for p in problems]
                return self._reply(400, {"code": 1, "message": "Invalid parameters: " + "; ".join(problems)})
        fault = fake.take_fault(method, record["path"])
        if fault and fault.kind == "delay":
            time.sleep(fault.seconds)
            fault = None
        if fault and fault.kind == "status":
            return self._reply(fault.status, fault.body or {"code": 0, "message": "Injected failure"}, fault.headers)
        if template != "/oauth/token":
            token = record["authorization"].removeprefix("Bearer ")
            if token not in fake.valid_tokens:
                return self._reply(*error(401, 2, "Authentication failed."))
        if method != "GET" and template in WRITE_TEMPLATES and fake.write_limit_per_s:
            with fake.lock:
                now = time.monotonic()
                fake.write_times = [t for t in fake.write_times if now - t < 1.0]
                if len(fake.write_times) >= fake.write_limit_per_s:
                    fake.rate_limited += 1
                    return self._reply(*error(429, 8, "You have exceeded your rate limit. Try again later."))
                fake.write_times.append(now)
        with fake.lock:
            status, payload = getattr(
                self,
                "_" + template.strip("/").replace("/", "_").replace("{", "").replace("}", "") + "_" + method.lower(),
            )(match, query, body or {})
        if fault and fault.kind == "drop_after":
            self.close_connection = True
            self.connection.close()  # the work is done; the answer never arrives
            return
        self._reply(status, payload)

    # --- endpoints (called with fake.lock held) ----------------------------------------
    def _user_account_get(self, m, q, b):
        return 200, {
            "id": "1",
            "username": self.fake.username,
            "account_type": "BUSINESS",
            "profile_image": f"https://i.pinimg.com/75x75_RS/{self.fake.username}.jpg",
        }

    def _page(self, items: list, q) -> tuple[int, dict]:
        size = int(q.get("page_size", ["25"])[-1])
        start = int(base64.b64decode(q["bookmark"][-1]).decode()) if q.get("bookmark") else 0
        chunk = items[start : start + size]
        more = start + size < len(items)
        return 200, {
            "items": chunk,
            "bookmark": base64.b64encode(str(start + size).encode()).decode() if more else None,
        }

    def _boards_get(self, m, q, b):
        return self._page(self.fake.boards, q)

    def _boards_post(self, m, q, b):
        board = self.fake.add_board(b["name"])
        board.update(description=b.get("description"), privacy=b.get("privacy", "PUBLIC"))
        return 201, board

    def _board(self, board_id: str) -> dict | None:
        return next((x for x in self.fake.boards if x["id"] == board_id), None)

    def _boards_board_id_sections_get(self, m, q, b):
        if not self._board(m["board"]):
            return error(404, 40, "Board not found.")
        return self._page(self.fake.sections.get(m["board"], []), q)

    def _boards_board_id_sections_post(self, m, q, b):
        if not self._board(m["board"]):
            return error(404, 40, "Board not found.")
        return 201, self.fake.add_section(m["board"], b["name"])

    def _boards_board_id_pins_get(self, m, q, b):
        if not self._board(m["board"]):
            return error(404, 40, "Board not found.")
        pins = [p for p in reversed(list(self.fake.pins.values())) if p["board_id"] == m["board"]]
        return self._page(pins, q)

    def _pins_post(self, m, q, b):
        fake = self.fake
        board = self._board(b.get("board_id", ""))
        if board is None:
            return error(404, 40, "Board not found.")
        if b.get("board_section_id") and not any(
            s["id"] == b["board_section_id"] for s in fake.sections.get(board["id"], [])
        ):
            return error(400, 1, "Board section not found.")
        source = b["media_source"]
        media: dict = {
            "media_type": "image",
            "images": {"600x": {"width": 600, "height": 900, "url": "https://i.pinimg.com/x.jpg"}},
        }
        if source["source_type"] == "image_url" and "unreachable" in source["url"]:
            return error(400, 1, "Sorry we could not fetch the image.")
        if source["source_type"] == "image_base64":
            base64.b64decode(source["data"], validate=True)
        if source["source_type"] == "video_id":
            video = fake.media.get(source["media_id"])
            if video is None or fake.media_status(video) != "succeeded":
                return error(400, 1, "The video is not ready; its media upload has not succeeded.")
            media = {"media_type": "video", "cover_image_url": source.get("cover_image_url"), "duration": None}
        if source["source_type"] in ("multiple_image_base64", "multiple_image_urls"):  # a carousel
            for item in source["items"]:
                if "data" in item:
                    base64.b64decode(item["data"], validate=True)
                elif "unreachable" in item["url"]:
                    return error(400, 1, "Sorry we could not fetch the image.")
            media = {
                "media_type": "multiple_images",
                "items": [{k: item.get(k) for k in ("title", "description", "link")} for item in source["items"]],
            }
        pin = {
            "id": fake.new_id(),
            "created_at": now_iso(),
            "board_id": board["id"],
            "board_section_id": b.get("board_section_id"),
            "title": b.get("title"),
            "description": b.get("description"),
            "link": b.get("link"),
            "alt_text": b.get("alt_text"),
            "board_owner": {"username": fake.username},
            "is_owner": True,
            "media": media,
            "creative_type": {"video": "VIDEO", "multiple_images": "CAROUSEL"}.get(media["media_type"], "REGULAR"),
            "_source": source,
        }
        fake.pins[pin["id"]] = pin
        board["pin_count"] += 1
        return 201, {k: v for k, v in pin.items() if not k.startswith("_")}

    def _pins_pin_id_get(self, m, q, b):
        pin = self.fake.pins.get(m["pin"])
        return (
            (200, {k: v for k, v in pin.items() if not k.startswith("_")}) if pin else error(404, 50, "Pin not found.")
        )

    def _pins_pin_id_patch(self, m, q, b):
        pin = self.fake.pins.get(m["pin"])
        if pin is None:
            return error(404, 50, "Pin not found.")
        pin.update(
            {
                k: v
                for k, v in b.items()
                if k in ("title", "description", "link", "alt_text", "board_id", "board_section_id")
            }
        )
        return 200, {k: v for k, v in pin.items() if not k.startswith("_")}

    def _media_post(self, m, q, b):
        media_id = self.fake.new_id()
        self.fake.media[media_id] = {
            "media_id": media_id,
            "media_type": "video",
            "status": "registered",
            "uploaded_at": None,
            "bytes": 0,
        }
        params = {k: f"fake-{k.lower()}" for k in UPLOAD_FIELDS}
        params["Content-Type"] = "multipart/form-data"
        return 201, {
            "media_id": media_id,
            "media_type": "video",
            "upload_url": self.fake.base.removesuffix("/v5") + f"/upload/{media_id}",
            "upload_parameters": params,
        }

    def _media_media_id_get(self, m, q, b):
        media = self.fake.media.get(m["media"])
        if media is None:
            return error(404, 1, "Media not found.")
        return 200, {"media_id": media["media_id"], "media_type": "video", "status": self.fake.media_status(media)}

    def _oauth_token_post(self, m, q, b):
        fake = self.fake
        expected = "Basic " + base64.b64encode(f"{fake.app_id}:{fake.app_secret}".encode()).decode()
        if self.headers.get("Authorization") != expected:
            return error(401, 2, "Authentication failed.")
        if b.get("grant_type") == "refresh_token" and b.get("refresh_token") == fake.refresh_token:
            pass
        elif b.get("grant_type") == "authorization_code" and b.get("code") in fake.auth_codes:
            fake.auth_codes.discard(b["code"])
        else:
            return error(400, 1, "Invalid grant.")
        fake.access_token = f"pina_live_token_{fake.new_id()}"
        fake.refresh_token = f"pinr_refresh_token_{fake.new_id()}"  # rotated on every refresh
        fake.valid_tokens.add(fake.access_token)
        return 200, {
            "access_token": fake.access_token,
            "refresh_token": fake.refresh_token,
            "token_type": "bearer",
            "expires_in": 2592000,
            "refresh_token_expires_in": 5184000,
            "refresh_token_expires_at": int(time.time()) + 5184000,
            "scope": "boards:read,boards:write,pins:read,pins:write,user_accounts:read",
            "response_type": b["grant_type"],
        }

    # --- the presigned upload ----------------------------------------------------------
    def _upload(self, media_id: str) -> None:
        """Stream a multipart body: check every field came before `file`, `file` last, no bearer."""
        fake = self.fake
        boundary = (self.headers.get("Content-Type") or "").partition("boundary=")[2].strip('"').encode()
        problems = []
        if self.headers.get("Authorization"):
            problems.append("the upload must not carry the Pinterest bearer token")
        head, tail, total = b"", b"", 0
        for chunk in self._body_chunks():
            total += len(chunk)
            if len(head) < 65536:
                head += chunk[: 65536 - len(head)]
            tail = (tail + chunk)[-4096:]
        names = re.findall(rb'Content-Disposition: form-data; name="([^"]+)"', head)
        names = [n.decode() for n in names]
        if names[:-1] != UPLOAD_FIELDS or names[-1:] != ["file"]:
            problems.append(f"form fields out of order: {names} (want {UPLOAD_FIELDS} then file)")
        last = tail.rfind(b"Content-Disposition")
        if not tail.rstrip().endswith(b"--" + boundary + b"--") or (
            last != -1 and b'name="file"' not in tail[last : last + 80]
        ):
            problems.append("`file` must be the last part")
        file_start = head.find(b"\r\n\r\n", head.find(b'name="file"')) + 4
        size = total - file_start - len(b"\r\n--" + boundary + b"--\r\n")
        with fake.lock:
            fake.uploads.append(
                {"media_id": media_id, "fields": names, "bytes": size, "head": head[file_start : file_start + 16]}
            )
            media = fake.media.get(media_id)
            if problems or media is None:
                fake.spec_violations += [f"upload: {p}" for p in problems]
                return self._reply(400, {"message": "; ".join(problems) or "unknown media"})
            media.update(status="processing", uploaded_at=time.monotonic(), bytes=size)
        self._reply(204, None)

    def _body_chunks(self):
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            while True:
                size = int(self.rfile.readline().split(b";")[0], 16)
                if size == 0:
                    self.rfile.readline()
                    return
                yield self.rfile.read(size)
                self.rfile.readline()
        remaining = int(self.headers.get("Content-Length") or 0)
        while remaining > 0:
            chunk = self.rfile.read(min(remaining, 1 << 20))
            if not chunk:
                return
            remaining -= len(chunk)
            yield chunk


# Analytics and trends endpoints (issue 14) live in their own module.
from tests.fakes.pinterest_analytics import install as _install_analytics  # noqa: E402

_install_analytics(FakePinterest, _Handler, ROUTES)
