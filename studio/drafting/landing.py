"""The destination page's title and meta description, fetched quickly and capped, for the prompt.

Best effort: a slow, huge, broken or internal page gives `{}` and drafting carries on without it.
The link is someone's typed text: every hop goes through `studio.netguard` (no loopback, link-local,
private or reserved address unless STUDIO_FETCH_ALLOW_PRIVATE), and the page is read with a real
HTML parser, bounded in bytes and in time, so no page can stall the server.
"""

from __future__ import annotations

import html
import re
import threading
import time
from html.parser import HTMLParser
from urllib.parse import urljoin

import httpx

from studio import netguard

LANDING_TIMEOUT_S = 3.0  # an interactive draft must not wait on a slow landing page
LANDING_MAX_BYTES = 256 * 1024  # <head> is near the top; never read a whole large page
LANDING_MAX_REDIRECTS = 5
PARSE_BUDGET_S = 0.2  # html.parser is linear, this only guards against the unforeseen
FIELD_MAX = 300  # characters kept of the title and the description
CACHE_TTL_S = 600.0
_FEED = 16 * 1024  # characters per parser feed: the time budget is checked between feeds


class _HeadParser(HTMLParser):
    """Collects <title> text and the description/og tags; stops caring after </head> or <body>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.title: list[str] = []
        self.title_len = 0
        self.in_title = False
        self.seen_title = False
        self.meta: dict[str, str] = {}
        self.done = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title" and not self.seen_title:
            self.in_title = True
            # title is raw text in HTML: scan straight to </title> instead of parsing tags inside it
            # (256 KB of "<title><title>..." is then one linear search, not 37,000 start tags)
            self.set_cdata_mode("title")
        elif tag == "meta":
            values = {k.lower(): (v or "") for k, v in attrs}
            name = (values.get("name") or values.get("property") or "").lower()
            if name in ("description", "og:description", "og:title") and name not in self.meta:
                self.meta[name] = values.get("content", "")[: FIELD_MAX * 4]
        elif tag == "body":
            self.done = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "title" and self.in_title:
            self.in_title, self.seen_title = False, True
        elif tag == "head":
            self.done = True

    def handle_data(self, data: str) -> None:
        if self.in_title and self.title_len < FIELD_MAX * 4:
            self.title.append(data)
            self.title_len += len(data)


def parse_head(text: str, *, budget_s: float = PARSE_BUDGET_S) -> dict:
    """Title and description (meta description, else og:description) of an HTML page.

    Linear in the page (stdlib `html.parser`), reads at most LANDING_MAX_BYTES characters, and gives
    up on what is left after `budget_s`.
    """
    parser = _HeadParser()
    text = text[:LANDING_MAX_BYTES]
    started = time.monotonic()
    for start in range(0, len(text), _FEED):
        parser.feed(text[start : start + _FEED])
        if parser.done or time.monotonic() - started > budget_s:
            break
    found = {
        "title": _clean(html.unescape("".join(parser.title))) or _clean(parser.meta.get("og:title", "")),
        "description": _clean(parser.meta.get("description", "")) or _clean(parser.meta.get("og:description", "")),
    }
    return {k: v[:FIELD_MAX] for k, v in found.items() if v}


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


class LandingFetcher:
    """Fetches page heads through an injected `httpx.Client`, remembering answers for a while.

    `allow_private` None: STUDIO_FETCH_ALLOW_PRIVATE decides.
    """

    def __init__(
        self,
        http: httpx.Client,
        *,
        timeout_s: float = LANDING_TIMEOUT_S,
        max_bytes: int = LANDING_MAX_BYTES,
        allow_private: bool | None = None,
    ) -> None:
        self.http = http
        self.timeout_s = timeout_s
        self.max_bytes = max_bytes
        self.allow_private = netguard.allow_private_default() if allow_private is None else allow_private
        self._cache: dict[str, tuple[float, dict]] = {}
        self._lock = threading.Lock()

    def fetch(self, url: str) -> dict:
        """`{title, description}` of the page at `url`, or `{}` when it can't be read in time."""
        if not url.lower().startswith(("http://", "https://")):
            return {}
        with self._lock:
            hit = self._cache.get(url)
        if hit and time.monotonic() - hit[0] < CACHE_TTL_S:
            return hit[1]
        facts = self._fetch(url)
        with self._lock:
            self._cache[url] = (time.monotonic(), facts)
        return facts

    def _fetch(self, url: str) -> dict:
        deadline = time.monotonic() + self.timeout_s
        current = url
        try:
            for _hop in range(LANDING_MAX_REDIRECTS + 1):
                if not current.lower().startswith(("http://", "https://")):
                    return {}
                left = deadline - time.monotonic()
                if left <= 0:
                    return {}
                headers = {"Accept": "text/html", "Connection": "close"}
                request = self.http.build_request("GET", current, timeout=left, headers=headers)
                # resolved and checked here, every hop; the connection goes to the checked address
                request = netguard.pin_request(request, allow_private=self.allow_private)
                with netguard.Watchdog(deadline) as watchdog:  # cuts a page dripping its headers or body
                    request.extensions["trace"] = watchdog.trace
                    response = self.http.send(request, stream=True, follow_redirects=False)
                    try:
                        if response.is_redirect:
                            current = urljoin(current, response.headers.get("location", ""))
                            continue
                        if response.status_code >= 400 or "html" not in response.headers.get("content-type", "html"):
                            return {}
                        body = bytearray()
                        for chunk in response.iter_bytes():
                            body += chunk
                            # the cap and an overall deadline: a page that trickles bytes can't stall us
                            # (only the new bytes are searched for </head>: linear however small the chunks)
                            tail = bytes(body[-(len(chunk) + 6) :]).lower()
                            if len(body) >= self.max_bytes or time.monotonic() > deadline or b"</head>" in tail:
                                break
                        encoding = response.encoding or "utf-8"
                    finally:
                        response.close()
                return parse_head(bytes(body[: self.max_bytes]).decode(encoding, errors="replace"))
            return {}
        except (httpx.HTTPError, ValueError, LookupError):
            return {}  # AddressRefused is an httpx error: an internal page is simply not read


_SHARED: dict[bool, httpx.Client] = {}
_SHARED_LOCK = threading.Lock()


def shared_client(allow_private: bool | None = None) -> httpx.Client:
    """One process-wide guarded client for landing pages per guard setting (httpx clients are thread-safe)."""
    allow = netguard.allow_private_default() if allow_private is None else allow_private
    with _SHARED_LOCK:
        if allow not in _SHARED:
            _SHARED[allow] = netguard.guarded_client(
                allow_private=allow, timeout=LANDING_TIMEOUT_S, headers={"User-Agent": "Pinstudio/0.1 (+pin drafting)"}
            )
        return _SHARED[allow]
