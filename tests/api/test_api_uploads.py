"""Multipart uploads stream to disk: a big video sent to POST /api/posts is stored whole while the server never
holds it in memory, and a file over Pinterest's limit is refused as it arrives (bench/bench_api_upload.py
measures the real thing: 1 GB against the server's RSS)."""

from __future__ import annotations

import struct
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from postproxy import PlatformParams, ValidationError
from postproxy._types import PinterestParams

from studio.api import uploads
from studio.services import open_store
from tests.support.api import wait_for
from tests.support.media import make_video

MB = 1024 * 1024
BOUNDARY = "pinstudio-test-boundary"


def streamed_video_form(clip: bytes, total: int) -> tuple[int, Iterator[bytes]]:
    """A multipart body whose `media[]` is the clip plus a `free` box padding it to `total` bytes, as chunks."""
    fields = {"post[body]": "Big clip", "profiles[]": "pinterest", "platforms[pinterest][title]": "Big clip"}
    fields["platforms[pinterest][board_id]"] = "Ideas"
    head = b"".join(
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode() for k, v in fields.items()
    )
    head += f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="media[]"; filename="big.mp4"\r\n\r\n'.encode()
    tail = f"\r\n--{BOUNDARY}--\r\n".encode()
    pad, zeros = total - len(clip), bytes(MB)

    def chunks() -> Iterator[bytes]:
        yield head + clip + struct.pack(">I", pad) + b"free"
        left = pad - 8
        while left > 0:
            yield zeros[: min(MB, left)]
            left -= MB
        yield tail

    return len(head) + total + len(tail), chunks()


def test_a_big_video_upload_is_stored_whole_without_being_held_in_memory(api, api_settings, tmp_path):
    clip = make_video(tmp_path / "clip.mp4", seconds=5).read_bytes()
    total = 40 * MB
    length, body = streamed_video_form(clip, total)
    headers = {
        "Authorization": f"Bearer {api.key}",
        "Content-Type": f"multipart/form-data; boundary={BOUNDARY}",
        "Content-Length": str(length),
    }
    tracemalloc.start()
    try:
        response = httpx.post(f"{api.url}/api/posts", content=body, headers=headers, timeout=60)
        _now, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert response.status_code == 201, response.text
    assert peak < 12 * MB, f"{peak / MB:.1f} MB traced while a 40 MB upload was stored"  # it was never in memory
    post_id = response.json()["id"]
    auth = {"Authorization": f"Bearer {api.key}"}
    done = wait_for(
        lambda: (p := httpx.get(f"{api.url}/api/posts/{post_id}", headers=auth).json())["status"] == "processed" and p
    )
    assert done["platforms"][0]["status"] == "published"
    stored = sorted((Path(api_settings.data_dir) / "media").rglob("*.mp4"))
    assert [p.stat().st_size for p in stored] == [total]
    assert not [p for p in (Path(api_settings.data_dir) / "api" / "incoming").rglob("*") if p.is_file()]


def test_a_file_over_the_limit_is_refused_as_it_arrives(api, api_settings, tmp_path, monkeypatch):
    monkeypatch.setattr(uploads, "MAX_FILE_BYTES", 2 * MB)  # 2 GB + 1 byte in real life
    big = tmp_path / "huge.mp4"
    big.write_bytes(bytes(3 * MB))
    with pytest.raises(ValidationError) as refused:
        api.call(
            lambda c: c.posts.create(
                "Huge",
                ["pinterest"],
                media_files=[big],
                platforms=PlatformParams(pinterest=PinterestParams(title="Huge", board_id="Ideas")),
            )
        )
    assert refused.value.status_code == 422 and refused.value.response["code"] == "file_too_large"
    assert "2 GB" in refused.value.response["error"] and refused.value.response["fix"]
    assert not [p for p in (Path(api_settings.data_dir) / "api" / "incoming").rglob("*") if p.is_file()]
    store = open_store(api_settings.db_path)
    try:
        assert store.list_drafts() == []
    finally:
        store.close()
