"""A local OpenAI-compatible chat server on 127.0.0.1 for tests and benchmarks.

Modes (set `server.mode`, or queue one-shot modes in `server.script`):
- "schema": honours response_format json_schema / json_object, answers JSON (default)
- "no_schema": 400 on json_schema (like many local servers), JSON on json_object
- "prose": 400 on any response_format; answers JSON wrapped in chatty prose
- "prose_always": ignores response_format and always answers prose-wrapped JSON
- "invalid": answers text that holds no JSON object
- "long": answers a title/description/alt text over Pinterest's limits
- "401", "429", "500": that HTTP error
- "hang": waits `hang_s` before answering (for client timeouts)
- "no_vision": 400 when a message carries an image (a text-only model), else like "schema"
- "raw": answers `server.raw_content` as the message content, whatever it is
- "not_json": answers 200 with an HTML page, to chat requests and to `/models` alike (a proxy's login page, a
  web server where the API should be)
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

DEFAULT_REPLY = {
    "title": "Cosy Autumn Soup Recipe for Chilly Evenings",
    "description": "This cosy autumn soup recipe is ready in 30 minutes. Roasted squash and a hint of "
    "ginger make it a warming weeknight dinner.",
    "alt_text": "A bowl of orange squash soup on a wooden table with a spoon beside it.",
    "keywords": ["autumn soup recipe", "squash soup"],
}


class FakeOpenAIServer:
    """Start with `start()`, point the openai client at `base_url`, read `requests` afterwards."""

    def __init__(
        self, *, latency_s: float = 0.0, mode: str = "schema", reply: dict | None = None, hang_s: float = 5.0
    ) -> None:
        self.latency_s = latency_s
        self.mode = mode
        self.script: list[str] = []
        self.reply = dict(reply or DEFAULT_REPLY)
        self.hang_s = hang_s
        self.requests: list[dict] = []
        self.raw_content = ""
        self.reply_for: Any = None  # optional fn(request body) -> reply dict, e.g. an answer per image
        self.models = ["fake-vision-model", "fake-text-model"]
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}/v1"

    def start(self) -> FakeOpenAIServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():  # shutdown() waits for serve_forever, so only if it runs
            self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> FakeOpenAIServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- behaviour ----------------------------------------------------------------------
    def _next_mode(self) -> str:
        with self._lock:
            return self.script.pop(0) if self.script else self.mode

    def _answer(self, body: dict) -> tuple[int, dict | None]:
        """The status and JSON body the server sends for one chat request (None: an HTML page)."""
        with self._lock:
            self.requests.append(body)
        mode = self._next_mode()
        if self.latency_s:
            time.sleep(self.latency_s)
        if mode == "hang":
            self._stop.wait(self.hang_s)
        if mode == "not_json":
            return 200, None
        if mode in ("401", "429", "500"):
            messages = {
                "401": "Incorrect API key provided",
                "429": "Rate limit reached",
                "500": "The server had an error",
            }
            return int(mode), {"error": {"message": messages[mode], "type": "error", "code": mode}}
        fmt = (body.get("response_format") or {}).get("type")
        if mode == "no_vision" and any(isinstance(m.get("content"), list) for m in body.get("messages", [])):
            return 400, {
                "error": {"message": "This model does not support image input", "type": "invalid_request_error"}
            }
        if (mode == "no_schema" and fmt == "json_schema") or (mode == "prose" and fmt):
            return 400, {
                "error": {
                    "message": f"response_format {fmt} is not supported",
                    "type": "invalid_request_error",
                    "param": "response_format",
                }
            }
        reply = dict(self.reply_for(body) if self.reply_for else self.reply)
        if mode == "long":
            reply.update(
                title="Autumn soup " + "really " * 30 + "good",
                description="A warming soup. " * 60,
                alt_text="A bowl of soup. " * 60,
            )
        content = json.dumps(reply)
        if mode in ("prose", "prose_always"):
            content = f"Sure! Here is your pin copy:\n```json\n{json.dumps(reply, indent=2)}\n```\nEnjoy!"
        if mode == "invalid":
            content = "I'm sorry, I can't write pin copy today. {not json"
        if mode == "raw":
            content = self.raw_content
        return 200, _completion(body.get("model", ""), content)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # keep test output clean
                pass

            def _send(self, status: int, payload: dict) -> None:
                data = json.dumps(payload).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout)
                    pass

            def _page(self) -> None:
                page = b"<html><body><h1>Sign in to continue</h1></body></html>"
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", str(len(page)))
                self.end_headers()
                self.wfile.write(page)

            def do_GET(self) -> None:
                if server.mode == "not_json":
                    self._page()
                elif self.path.rstrip("/").endswith("/models"):
                    self._send(
                        200,
                        {
                            "object": "list",
                            "data": [
                                {"id": m, "object": "model", "created": 0, "owned_by": "fake"} for m in server.models
                            ],
                        },
                    )
                else:
                    self._send(404, {"error": {"message": "not found"}})

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                body["_headers"] = {k.lower(): v for k, v in self.headers.items()}
                if not self.path.rstrip("/").endswith("/chat/completions"):
                    self._send(404, {"error": {"message": "not found"}})
                    return
                status, payload = server._answer(body)
                if payload is None:
                    self._page()
                else:
                    self._send(status, payload)

        return Handler


def _completion(model: str, content: str) -> dict:
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [
            {
                "index": 0,
                "finish_reason": "stop",
                "logprobs": None,
                "message": {"role": "assistant", "content": content, "refusal": None},
            }
        ],
        "usage": {"prompt_tokens": 120, "completion_tokens": 60, "total_tokens": 180},
    }
