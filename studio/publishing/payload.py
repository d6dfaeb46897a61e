"""The publish request in the unified posting-API shape, and the Pinterest v5 body built from it."""

from __future__ import annotations

import base64
from pathlib import Path
from urllib.parse import urlparse

from pydantic import BaseModel, Field

from studio import constraints as C
from studio.errors import ValidationError


class Post(BaseModel):
    body: str = ""


class PinterestOptions(BaseModel):
    title: str | None = None
    board_id: str | None = None
    board_name: str | None = None  # our extension: resolved to an id
    board_section: str | None = None  # our extension: name or id
    destination_link: str | None = None
    alt_text: str | None = None
    cover_url: str | None = None
    thumb_offset: float | None = None


class Platforms(BaseModel):
    pinterest: PinterestOptions = Field(default_factory=PinterestOptions)


class PublishRequest(BaseModel):
    """What a hosted posting API accepts; `post.body` becomes the pin description."""

    post: Post = Field(default_factory=Post)
    profiles: list[str] = Field(default_factory=lambda: ["pinterest"])
    media: list[str] = Field(default_factory=list)
    platforms: Platforms = Field(default_factory=Platforms)

    @property
    def pin(self) -> PinterestOptions:
        return self.platforms.pinterest

    def validate_basics(self) -> None:
        """Checks that need no network; raise ValidationError naming the problem and fix."""
        pin = self.pin
        if not self.media:
            raise ValidationError("The pin has no image or video.", fix="Add one media file or URL.",
                                  code="media_required")
        if len(self.media) != C.MEDIA_PER_PIN:
            raise ValidationError(f"A pin takes exactly one image or video, not {len(self.media)}.",
                                  fix="Keep one media item.", code="too_many_media")
        if not (pin.board_id or pin.board_name):
            raise ValidationError("No board is chosen.", fix="Pick a board by name or id.",
                                  code="board_required")
        limits = {"title": (pin.title, C.TITLE_MAX), "description": (self.post.body, C.DESCRIPTION_MAX),
                  "alt text": (pin.alt_text, C.ALT_TEXT_MAX), "link": (pin.destination_link, C.LINK_MAX)}
        for label, (value, limit) in limits.items():
            if value and len(value) > limit:
                raise ValidationError(
                    f"The {label} is {len(value)} characters; Pinterest allows {limit}.",
                    fix=f"Shorten the {label} by {len(value) - limit} characters.", code="text_too_long")
        if pin.destination_link:
            scheme = urlparse(pin.destination_link).scheme
            if scheme not in C.LINK_SCHEMES:
                raise ValidationError("The destination link must start with http:// or https://.",
                                      fix="Paste the full web address of the page.", code="invalid_link")


def image_source(media: str, media_format: str | None = None) -> dict:
    """Pinterest `media_source` for one image: a URL as `image_url`, a local JPEG/PNG as base64."""
    if urlparse(media).scheme in ("http", "https"):
        return {"source_type": "image_url", "url": media}
    path = Path(media)
    fmt = (media_format or path.suffix.lstrip(".")).upper().replace("JPG", "JPEG")
    if fmt not in C.IMAGE_UPLOAD_FORMATS:
        raise ValidationError(f"Pinterest uploads take JPEG or PNG, not {fmt}.",
                              fix="Convert the image to JPEG or PNG first.", code="unsupported_format")
    data = base64.b64encode(path.read_bytes()).decode("ascii")  # standard alphabet, no newlines
    return {"source_type": "image_base64", "content_type": f"image/{fmt.lower()}", "data": data}


def pin_create_body(request: PublishRequest, board_id: str, media_source: dict,
                    board_section_id: str | None = None) -> dict:
    """The JSON body of `POST /v5/pins` (schema PinCreate)."""
    pin = request.pin
    body: dict = {"board_id": board_id, "media_source": media_source}
    if board_section_id:
        body["board_section_id"] = board_section_id
    for key, value in (("title", pin.title), ("description", request.post.body),
                       ("link", pin.destination_link), ("alt_text", pin.alt_text)):
        if value:
            body[key] = value
    return body
