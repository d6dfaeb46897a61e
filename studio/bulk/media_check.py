"""Media behind a CSV's URLs: downloaded once per URL (capped), checked, kept until imported."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from studio import constraints
from studio.errors import StudioError
from studio.media import Issue, check_path, fetch_url
from studio.netguard import allow_private_default

DEFAULT_CONCURRENCY = 8  # downloads in flight: hides latency without hammering one media host


@dataclass
class MediaCheck:
    url: str
    ok: bool
    kind: str = "unknown"
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)
    path: Path | None = None


class MediaChecker:
    """Fetches and checks URLs through an injected httpx.Client, remembering each answer."""

    def __init__(
        self,
        http: httpx.Client,
        work_dir: Path,
        *,
        concurrency: int = DEFAULT_CONCURRENCY,
        max_bytes: int = constraints.FETCH_MAX_BYTES,
        dry_run: bool = False,
    ) -> None:
        """`dry_run`: nothing will be imported, so images are judged from their header (format, size, pixels,
        colour mode) without decoding every pixel, and no download is kept past its check. Damage in the middle
        of a file is found when the rows are imported for real."""
        self.http, self.work_dir, self.dry_run = http, Path(work_dir), dry_run
        self.concurrency, self.max_bytes = max(1, concurrency), max_bytes
        self._results: dict[str, MediaCheck] = {}
        self._lock = threading.Lock()
        self._allow_private: bool | None = None  # STUDIO_FETCH_ALLOW_PRIVATE, read once for the whole file

    def check_one(self, url: str) -> MediaCheck:
        with self._lock:
            hit = self._results.get(url)
        if hit is not None and (hit.path is None or hit.path.exists()):
            return hit
        try:
            if self._allow_private is None:
                self._allow_private = allow_private_default()
            path = fetch_url(
                url, self.work_dir, http=self.http, max_bytes=self.max_bytes, allow_private=self._allow_private
            )
        except StudioError as exc:
            result = MediaCheck(url, False, errors=[Issue(code=exc.code, message=exc.message, fix=exc.fix)])
        else:
            report = check_path(path, source=url, decode=not self.dry_run)
            ok = report.ok and report.kind in ("image", "video")
            if report.kind == "unknown" and report.ok:
                report.error(
                    "unreadable",
                    "The link doesn't lead to an image or a video.",
                    "Use the direct link to the image file (it usually ends in .jpg or .png).",
                )
            result = MediaCheck(url, ok, report.kind, list(report.errors), list(report.warnings), path)
            if not ok or self.dry_run:
                path.unlink(missing_ok=True)
                result.path = None
        with self._lock:
            self._results[url] = result
        return result

    def check_all(
        self, urls: list[str], on_progress: Callable[[int, int], None] | None = None
    ) -> dict[str, MediaCheck]:
        """Every distinct URL checked, `concurrency` at a time."""
        distinct = list(dict.fromkeys(u for u in urls if u))
        results: dict[str, MediaCheck] = {}
        with ThreadPoolExecutor(max_workers=self.concurrency, thread_name_prefix="csv-media") as pool:
            for n, result in enumerate(pool.map(self.check_one, distinct), 1):
                results[result.url] = result
                if on_progress:
                    on_progress(n, len(distinct))
        return results

    def release_all(self) -> None:
        """Delete every download still held (a new file replaces the preview, or the process ends)."""
        with self._lock:
            urls = list(self._results)
        for url in urls:
            self.release(url)

    def release(self, url: str) -> None:
        """Delete the downloaded copy once the media is stored."""
        with self._lock:
            result = self._results.pop(url, None)
        if result and result.path:
            result.path.unlink(missing_ok=True)
