"""The least work a `POST /api/posts` needs, as a yardstick for `bench_api_load.py`.

Check the key, stream the media (the URL to disk, or the uploaded file as multipart), read the image header
with Pillow, hash the bytes, one SQLite insert: FastAPI + uvicorn + httpx, nothing else.
Run: `python bench/reference_api.py PORT DATA_DIR KEY`.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import sys
import tempfile
import threading
import uuid
from pathlib import Path

import httpx
import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from PIL import Image
from starlette.concurrency import run_in_threadpool

PORT, DATA, KEY = int(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
DATA.mkdir(parents=True, exist_ok=True)
http = httpx.Client(timeout=30, limits=httpx.Limits(max_connections=16, max_keepalive_connections=16))
local = threading.local()
app = FastAPI()


def db() -> sqlite3.Connection:
    if getattr(local, "db", None) is None:
        local.db = sqlite3.connect(DATA / "ref.db", timeout=30, isolation_level=None)
        local.db.execute("pragma journal_mode=wal")
        local.db.execute("create table if not exists posts (id text primary key, body text, sha text, w int, h int)")
    return local.db


def keep(path: Path, body: str) -> dict:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        with Image.open(fh) as img:
            width, height = img.size
        fh.seek(0)
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    post_id = "post_" + uuid.uuid4().hex[:16]
    db().execute("insert into posts values (?, ?, ?, ?, ?)", [post_id, body, digest.hexdigest(), width, height])
    path.unlink(missing_ok=True)
    return {"id": post_id, "status": "draft", "media": [{"width": width, "height": height}]}


def fetch(url: str) -> Path:
    fd, name = tempfile.mkstemp(dir=DATA)
    with open(fd, "wb") as out, http.stream("GET", url) as response:
        response.raise_for_status()
        for chunk in response.iter_bytes():
            out.write(chunk)
    return Path(name)


@app.post("/api/posts")
async def create(request: Request) -> JSONResponse:
    if request.headers.get("authorization") != f"Bearer {KEY}":
        return JSONResponse({"error": "key"}, status_code=401)
    if request.headers.get("content-type", "").startswith("multipart/form-data"):
        form = await request.form()
        upload = form["media[]"]
        fd, name = tempfile.mkstemp(dir=DATA)
        with open(fd, "wb") as out:
            while chunk := await upload.read(1 << 20):  # type: ignore[union-attr]
                out.write(chunk)
        body = str(form.get("post[body]", ""))
        return JSONResponse(await run_in_threadpool(keep, Path(name), body), status_code=201)
    payload = json.loads(await request.body())

    def work() -> dict:
        return keep(fetch(payload["media"][0]), payload["post"]["body"])

    return JSONResponse(await run_in_threadpool(work), status_code=201)


if __name__ == "__main__":
    uvicorn.run(app, host="127.0.0.1", port=PORT, log_level="warning", access_log=False)
