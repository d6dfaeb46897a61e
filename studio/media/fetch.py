"""Remote media: a streamed download with a hard byte cap, a deadline and checked redirects.

Only the fetched bytes are judged afterwards (by their content), never the URL's extension.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urljoin, urlparse

import httpx

from studio import constraints, netguard
from studio.errors import MediaError


def is_url(text: str) -> bool:
    return "://" in str(text)


def _refuse(
    message: str,
    fix: str = "Check the link opens in a browser, or download the file and upload it.",
    code: str = "download_failed",
) -> MediaError:
    return MediaError(message, fix=fix, code=code)


def fetch_url(
    url: str,
    data_dir: Path,
    *,
    http: httpx.Client,
    max_bytes: int = constraints.FETCH_MAX_BYTES,
    deadline_s: float = constraints.FETCH_DEADLINE_S,
    chunk_size: int = constraints.FETCH_CHUNK,
    allow_private: bool | None = None,
) -> Path:
    """Download `url` into data_dir/downloads/ and return the file; raises MediaError.

    Stops reading as soon as more than `max_bytes` arrived (code `file_too_large`); refuses
    non-http(s) schemes, including on redirects, and every hop whose address is internal (loopback,
    link-local, private, reserved; `allow_private` or STUDIO_FETCH_ALLOW_PRIVATE lets private and
    loopback through) with one message that says nothing of what is there (code `download_failed`).
    The whole download, redirects included, ends by `deadline_s` whatever the server does.
    `chunk_size` is kept for callers; reads are as small as the network delivers them.
    """
    allow = netguard.allow_private_default() if allow_private is None else allow_private
    target_dir = Path(data_dir) / "downloads"
    target_dir.mkdir(parents=True, exist_ok=True)
    # a unique name per download: two fetches of one URL (threads, processes) never share a file
    fd, part_name = tempfile.mkstemp(
        dir=target_dir, prefix=hashlib.sha256(url.encode()).hexdigest()[:16] + "-", suffix=".part"
    )
    os.close(fd)
    part = Path(part_name)
    deadline = time.monotonic() + deadline_s
    current = url
    try:
        for _hop in range(constraints.FETCH_MAX_REDIRECTS + 1):
            if urlparse(current).scheme not in constraints.LINK_SCHEMES:
                raise _refuse(
                    f"Only web links (http/https) can be fetched, not '{current[:80]}'.",
                    fix="Use a link starting with https://, or upload the file.",
                )
            with _send_guarded(http, current, deadline, allow) as response:
                if response.is_redirect:
                    location = response.headers.get("location", "")
                    current = urljoin(current, location)
                    continue
                if response.status_code >= 400:
                    raise _refuse(f"The server answered {response.status_code} for this link.")
                declared = response.headers.get("content-length", "")
                if declared.isdigit() and int(declared) > max_bytes:
                    raise _too_large(max_bytes)  # nothing read: the server told us the size
                read = 0
                with part.open("wb") as out:
                    for chunk in response.iter_bytes():
                        read += len(chunk)
                        if read > max_bytes:
                            raise _too_large(max_bytes, read)
                        if time.monotonic() > deadline:
                            raise _late(deadline_s)
                        out.write(chunk)
                if time.monotonic() > deadline:
                    raise _late(deadline_s)  # the watchdog cut the connection
                final = part.with_suffix(".bin")
                part.replace(final)
                return final
        raise _refuse(f"The link redirects more than {constraints.FETCH_MAX_REDIRECTS} times.")
    except netguard.AddressRefused:
        raise _refuse(REFUSED_MESSAGE, fix=REFUSED_FIX) from None
    except httpx.TimeoutException:
        if time.monotonic() >= deadline:
            raise _late(deadline_s) from None
        raise _refuse("The server took too long to answer.") from None
    except httpx.ConnectError:
        raise _refuse(
            "Could not reach the server behind this link (the address may be wrong, or the site down).",
            fix="Check the link opens in a browser, or download the file and upload it.",
        ) from None
    except (httpx.InvalidURL, ValueError):  # ValueError: urllib can't even split it ("http://[::1")
        raise _refuse(
            f"'{url[:80]}' is not a valid web address.", fix="Paste the full link, starting with https://."
        ) from None
    except httpx.HTTPError as exc:
        if time.monotonic() >= deadline:
            raise _late(deadline_s) from None
        raise _refuse(f"The media could not be downloaded ({type(exc).__name__}).") from None
    finally:
        part.unlink(missing_ok=True)


# One answer for every refused address: it must not tell a prober what lives behind an address.
REFUSED_MESSAGE = "This link can't be downloaded: it does not point to a public web server."
REFUSED_FIX = "Use a public link, or download the file and upload it."


@contextlib.contextmanager
def _send_guarded(http: httpx.Client, url: str, deadline: float, allow_private: bool) -> Iterator[httpx.Response]:
    """One hop: resolve and check the host, connect to the checked address, never follow redirects.

    Every network wait of this exchange is capped by what is left of the deadline, whatever the server does:
    dripping the status line and headers one byte at a time as much as the body. Through a guarded client
    (`netguard.guarded_client`) every socket keeps the deadline itself, so connections are reused per host;
    through any other client a watchdog cuts the connection at the deadline, and none is kept for reuse.
    """
    left = deadline - time.monotonic()
    if left <= 0:
        raise httpx.ReadTimeout("deadline")
    pooled = bool(getattr(getattr(http, "_transport", None), "keeps_deadlines", False))
    # a fresh connection per hop unless the sockets keep the deadline: the watchdog sees every socket it must cut
    request = http.build_request("GET", url, headers=None if pooled else {"Connection": "close"})
    request.extensions["timeout"] = _capped_timeout(http.timeout, left).as_dict()
    request = netguard.pin_request(request, allow_private=allow_private)
    guard = netguard.deadline(deadline) if pooled else netguard.Watchdog(deadline)
    with guard as watchdog:
        if watchdog is not None:
            request.extensions["trace"] = watchdog.trace
        response = http.send(request, stream=True, follow_redirects=False)
        try:
            yield response
        finally:
            response.close()


def _capped_timeout(timeout: httpx.Timeout, left: float) -> httpx.Timeout:
    def cap(value: float | None) -> float:
        return left if value is None else min(value, left)

    return httpx.Timeout(
        connect=cap(timeout.connect), read=cap(timeout.read), write=cap(timeout.write), pool=cap(timeout.pool)
    )


def _late(deadline_s: float) -> MediaError:
    return _refuse(f"The download took longer than {deadline_s:.0f} s and was stopped.")


def _too_large(max_bytes: int, read: int = 0) -> MediaError:
    err = MediaError(
        f"The file behind this link is larger than {_size(max_bytes)}; the download was stopped.",
        fix="Use a smaller file, or download and compress it first.",
        code="file_too_large",
    )
    err.bytes_read = read  # type: ignore[attr-defined]  # how far the download got (the benchmark prints it)
    return err


def _size(n: int) -> str:
    return f"{n / constraints.MB:.0f} MB" if n >= constraints.MB else f"{n / 1024:.0f} KB"


def default_client(
    timeout_s: float = constraints.FETCH_TIMEOUT_S, *, allow_private: bool | None = None
) -> httpx.Client:
    """A client with explicit timeouts for media downloads, every request through the address guard
    (`allow_private` None: STUDIO_FETCH_ALLOW_PRIVATE decides)."""
    return netguard.guarded_client(
        allow_private=allow_private, timeout=httpx.Timeout(timeout_s), headers={"User-Agent": "pinstudio"}
    )
