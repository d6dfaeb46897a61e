"""A loopback HTTP server for remote-media tests and the benchmark: redirects, errors, streams without a
length, slow and dripping answers."""

from __future__ import annotations


class MediaServer:
    """Serves routes on 127.0.0.1 in a thread. A route is bytes, ("redirect", url), (status, body),
    ("stream", total_bytes) (no Content-Length), ("slow", seconds), or ("drip", "body"|"headers"): one byte
    every 0.2 s for 30 s, in the body or in a header that never ends. `sent[path]` counts body bytes written."""

    def __init__(self, routes: dict) -> None:
        import http.server
        import threading

        self.routes = routes
        self.sent: dict[str, int] = {}
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # keep test output quiet
                pass

            def do_GET(self) -> None:
                route = server.routes.get(self.path.split("?")[0])
                server.sent[self.path] = 0
                try:
                    self._serve(route)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client stopped reading: that is what the cap tests want

            def _serve(self, route) -> None:
                import time

                if route is None:
                    self.send_error(404)
                elif isinstance(route, bytes):
                    self.send_response(200)
                    self.send_header("Content-Length", str(len(route)))
                    self.end_headers()
                    self._write(route)
                elif route[0] == "redirect":
                    self.send_response(302)
                    self.send_header("Location", route[1])
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                elif route[0] == "stream":
                    self.send_response(200)
                    self.end_headers()  # no Content-Length: only counting can stop the client
                    block = b"\0" * 65536
                    left = route[1]
                    while left > 0:
                        self._write(block[: min(left, len(block))])
                        left -= len(block)
                elif route[0] == "slow":
                    time.sleep(route[1])
                    self.send_response(200)
                    self.send_header("Content-Length", "1")
                    self.end_headers()
                    self._write(b"x")
                elif route[0] == "drip":
                    if route[1] == "headers":
                        self.wfile.write(b"HTTP/1.1 200 OK\r\nX-Slow: ")
                    else:
                        self.send_response(200)
                        self.send_header("Content-Length", str(10_000_000))
                        self.end_headers()
                    for _ in range(150):
                        self._write(b"x")
                        self.wfile.flush()
                        time.sleep(0.2)
                else:
                    status, body = route
                    self.send_response(status)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self._write(body)

            def _write(self, data: bytes) -> None:
                self.wfile.write(data)
                server.sent[self.path] += len(data)

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> MediaServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
