"""Remote media: a streamed download with a hard byte cap, a deadline and checked redirects.

Only the fetched bytes are judged afterwards (by their content), never the URL's extension.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import time
from pathlib import Path
from urllib.parse import urljoin, urlparse

import httpx

from studio import constraints as C
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
    max_bytes: int = C.FETCH_MAX_BYTES,
    deadline_s: float = C.FETCH_DEADLINE_S,
    chunk_size: int = C.FETCH_CHUNK,
) -> Path:
    """Download `url` into data_dir/downloads/ and return the file; raises MediaError.

    Stops reading as soon as more than `max_bytes` arrived (code `file_too_large`); refuses
    non-http(s) schemes, including on redirects (code `download_failed`).
    """
    target_dir = Path(data_dir) / "downloads"
    target_dir.mkdir(parents=True, exist_ok=True)
    # a unique name per download: two fetches of one URL (threads, processes) never share a file
    fd, part_name = tempfile.mkstemp(
        dir=target_dir, prefix=hashlib.sha256(url.encode()).hexdigest()[:16] + "-", suffix=".part"
    )
    os.close(fd)
    part = Path(part_name)
    started = time.monotonic()
    current = url
    try:
        for _hop in range(C.FETCH_MAX_REDIRECTS + 1):
            if urlparse(current).scheme not in C.LINK_SCHEMES:
                raise _refuse(
                    f"Only web links (http/https) can be fetched, not '{current[:80]}'.",
                    fix="Use a link starting with https://, or upload the file.",
                )
            with http.stream("GET", current, follow_redirects=False) as response:
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
                    for chunk in response.iter_bytes(chunk_size):
                        read += len(chunk)
                        if read > max_bytes:
                            raise _too_large(max_bytes, read)
                        if time.monotonic() - started > deadline_s:
                            raise _refuse(f"The download took longer than {deadline_s:.0f} s.")
                        out.write(chunk)
                final = part.with_suffix(".bin")
                part.replace(final)
                return final
        raise _refuse(f"The link redirects more than {C.FETCH_MAX_REDIRECTS} times.")
    except httpx.TimeoutException:
        raise _refuse("The server took too long to answer.") from None
    except httpx.ConnectError:
        raise _refuse(
            "Could not reach the server behind this link (the address may be wrong, or the site down).",
            fix="Check the link opens in a browser, or download the file and upload it.",
        ) from None
    except httpx.InvalidURL:
        raise _refuse(
            f"'{url[:80]}' is not a valid web address.", fix="Paste the full link, starting with https://."
        ) from None
    except httpx.HTTPError as exc:
        raise _refuse(f"The media could not be downloaded ({type(exc).__name__}).") from None
    finally:
        part.unlink(missing_ok=True)


def _too_large(max_bytes: int, read: int = 0) -> MediaError:
    err = MediaError(
        f"The file behind this link is larger than {_size(max_bytes)}; the download was stopped.",
        fix="Use a smaller file, or download and compress it first.",
        code="file_too_large",
    )
    err.bytes_read = read  # type: ignore[attr-defined]  # how far the download got (the benchmark prints it)
    return err


def _size(n: int) -> str:
    return f"{n / C.MB:.0f} MB" if n >= C.MB else f"{n / 1024:.0f} KB"


def default_client(timeout_s: float = C.FETCH_TIMEOUT_S) -> httpx.Client:
    """A client with explicit timeouts for media downloads."""
    return httpx.Client(timeout=httpx.Timeout(timeout_s), headers={"User-Agent": "pinstudio"})
