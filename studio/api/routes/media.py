"""`/media/{name}`: the media of approved and published pins, read-only, for links made with STUDIO_PUBLIC_BASE_URL."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import FileResponse

from studio.api import posts
from studio.api.routes.dependencies import State
from studio.errors import NotFoundError

router = APIRouter()


@router.get("/media/{name}", include_in_schema=False)
def media(name: str, state: State) -> FileResponse:
    """Public, without a key (Pinterest fetches it): so only when STUDIO_PUBLIC_BASE_URL says to serve media,
    and only the media of approved or published pins."""
    path = posts.media_file(state.store(), state.settings.data_dir, name) if state.settings.public_base_url else None
    if path is None:
        raise NotFoundError("No such media.")
    return FileResponse(path, headers={"Cache-Control": "public, max-age=31536000, immutable"})
