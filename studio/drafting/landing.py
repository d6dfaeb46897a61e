"""The destination page's title and meta description, fetched quickly and capped, for the prompt.

Best effort: a slow, huge or broken page gives `{}` and drafting carries on without it.
"""

from __future__ import annotations

import html
import re
import threading
import time

import httpx

LANDING_TIMEOUT_S = 3.0  # an interactive draft must not wait on a slow landing page
LANDING_MAX_BYTES = 256 * 1024  # <head> is near the top; never read a whole large page
CACHE_TTL_S = 600.0

_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.I | re.S)
_META = re.compile(r"<meta\s+[^>]*>", re.I)
_ATTR = re.compile(r'([\w:-]+)\s*=\s*("[^"]*"|\'[^\']*\'|[^\s>]+)')


def parse_head(text: str) -> dict:
    """Title and description (meta description, else og:description) of an HTML page."""
    title = _TITLE.search(text)
    found = {"title": _clean(title.group(1)) if title else ""}
    for tag in _META.findall(text):
        attrs = {k.lower(): v.strip("\"'") for k, v in _ATTR.findall(tag)}
        name = (attrs.get("name") or attrs.get("property") or "").lower()
        if name in ("description", "og:description") and not found.get("description"):
            found["description"] = _clean(attrs.get("content", ""))
        if name == "og:title" and not found["title"]:
            found["title"] = _clean(attrs.get("content", ""))
    return {k: v[:300] for k, v in found.items() if v}


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(text)).strip()


class LandingFetcher:
    """Fetches page heads through an injected `httpx.Client`, remembering answers for a while."""

    def __init__(
        self, http: httpx.Client, *, timeout_s: float = LANDING_TIMEOUT_S, max_bytes: int = LANDING_MAX_BYTES
    ) -> None:
        self.http = http
        self.timeout_s = timeout_s
        self.max_bytes = max_bytes
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
        try:
            with self.http.stream(
                "GET", url, timeout=self.timeout_s, follow_redirects=True, headers={"Accept": "text/html"}
            ) as response:
                if response.status_code >= 400 or "html" not in response.headers.get("content-type", "html"):
                    return {}
                body = bytearray()
                for chunk in response.iter_bytes():
                    body += chunk
                    # the cap and an overall deadline: a page that trickles bytes can't stall us
                    if len(body) >= self.max_bytes or time.monotonic() > deadline or b"</head>" in body.lower():
                        break
        except (httpx.HTTPError, ValueError):
            return {}
        return parse_head(bytes(body[: self.max_bytes]).decode(response.encoding or "utf-8", errors="replace"))


_SHARED: httpx.Client | None = None


def shared_client() -> httpx.Client:
    """One process-wide client for landing pages (httpx clients are thread-safe; pages reuse it)."""
    global _SHARED
    if _SHARED is None:
        _SHARED = httpx.Client(timeout=LANDING_TIMEOUT_S, headers={"User-Agent": "Pinstudio/0.1 (+pin drafting)"})
    return _SHARED
