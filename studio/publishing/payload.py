"""The publish request in the unified posting-API shape, and the Pinterest v5 body built from it."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from pydantic import BaseModel, Field

from studio import constraints
from studio.errors import ValidationError


class Post(BaseModel):
    body: str = ""


class CarouselItem(BaseModel):
    """Per-slide copy of a carousel (`platforms.pinterest.items[i]` goes with `media[i]`)."""

    title: str | None = None
    description: str | None = None
    link: str | None = None
    alt_text: str | None = None  # kept with the draft; Pinterest's carousel items take no alt text


class PinterestOptions(BaseModel):
    title: str | None = None
    board_id: str | None = None
    board_name: str | None = None  # our extension: resolved to an id
    board_section: str | None = None  # our extension: name or id
    destination_link: str | None = None
    alt_text: str | None = None
    cover_url: str | None = None
    thumb_offset: float | None = None
    # A video's cover as an image: a local path (the HTTP API stores an uploaded one there) or a data: URL.
    cover_file: str | None = None
    carousel: bool = False  # 2–5 images in `media` make one carousel pin
    items: list[CarouselItem] = Field(default_factory=list)


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
            raise ValidationError(
                "The pin has no image or video.", fix="Add one media file or URL.", code="media_required"
            )
        for entry in self.media:
            if not entry.strip():
                raise ValidationError(
                    "A media entry is empty.", fix="Give the image or video's link or file path.", code="media_required"
                )
            if "://" in entry and not is_url(entry):  # ftp://, file://…: neither a web link nor a path
                raise ValidationError(
                    f"Media links must start with http:// or https://, not “{entry[:60]}”.",
                    fix="Use a public web link, or a local file path.",
                    code="invalid_media_url",
                )
        kinds = {"video" if urlparse(m).path.lower().endswith(VIDEO_URL_SUFFIXES) else "image" for m in self.media}
        if len(kinds) > 1:
            raise ValidationError(
                "A pin can't mix images and videos.",
                fix="Keep either the image or the video; make a second pin for the other.",
                code="mixed_media",
            )
        if pin.carousel:
            self._validate_carousel(kinds)
        elif len(self.media) != constraints.MEDIA_PER_PIN:
            raise ValidationError(
                f"A pin takes exactly one image or video, not {len(self.media)}.",
                fix="Keep one media item.",
                code="too_many_media",
            )
        if not (pin.board_id or pin.board_name):
            raise ValidationError("No board is chosen.", fix="Pick a board by name or id.", code="board_required")
        limits = {
            "title": (pin.title, constraints.TITLE_MAX),
            "description": (self.post.body, constraints.DESCRIPTION_MAX),
            "alt text": (pin.alt_text, constraints.ALT_TEXT_MAX),
            "link": (pin.destination_link, constraints.LINK_MAX),
        }
        for label, (value, limit) in limits.items():
            if value and len(value) > limit:
                raise ValidationError(
                    f"The {label} is {len(value)} characters; Pinterest allows {limit}.",
                    fix=f"Shorten the {label} by {len(value) - limit} characters.",
                    code="text_too_long",
                )
        if pin.destination_link:
            scheme = urlparse(pin.destination_link).scheme
            if scheme not in constraints.LINK_SCHEMES:
                raise ValidationError(
                    "The destination link must start with http:// or https://.",
                    fix="Paste the full web address of the page.",
                    code="invalid_link",
                )

    def _validate_carousel(self, kinds: set[str]) -> None:
        from studio.media import CAROUSEL_MAX_ITEMS, CAROUSEL_MIN_ITEMS

        n = len(self.media)
        if "video" in kinds:
            raise ValidationError(
                "A carousel holds images only.",
                fix="Remove the video, or publish it as its own pin without `carousel`.",
                code="carousel_images_only",
            )
        if not CAROUSEL_MIN_ITEMS <= n <= CAROUSEL_MAX_ITEMS:
            raise ValidationError(
                f"A carousel takes 2 to 5 images, not {n}.",
                fix="Give between two and five images in `media`.",
                code="carousel_count",
            )
        if len(self.pin.items) > n:
            raise ValidationError(
                f"There are {len(self.pin.items)} carousel items for {n} images.",
                fix="Give at most one entry in `platforms.pinterest.items` per image, in the same order.",
                code="carousel_items_mismatch",
            )
        if len({is_url(m) for m in self.media}) > 1:
            raise ValidationError(
                "A carousel's images must be all links or all files, not a mix.",
                fix="Use public links for every image, or local files for every image.",
                code="carousel_mixed_sources",
            )
        for i, item in enumerate(self.pin.items, 1):
            limits = {
                "title": (item.title, constraints.TITLE_MAX),
                "description": (item.description, constraints.DESCRIPTION_MAX),
                "alt text": (item.alt_text, constraints.ALT_TEXT_MAX),
                "link": (item.link, constraints.LINK_MAX),
            }
            for label, (value, limit) in limits.items():
                if value and len(value) > limit:
                    raise ValidationError(
                        f"The {label} of carousel item {i} is {len(value)} characters; Pinterest allows {limit}.",
                        fix=f"Shorten it by {len(value) - limit} characters.",
                        code="text_too_long",
                    )
            if item.link and urlparse(item.link).scheme not in constraints.LINK_SCHEMES:
                raise ValidationError(
                    f"The link of carousel item {i} must start with http:// or https://.",
                    fix="Paste the full web address of the page.",
                    code="invalid_link",
                )


VIDEO_URL_SUFFIXES = (".mp4", ".mov", ".m4v")


def is_url(media: str) -> bool:
    return urlparse(media).scheme in ("http", "https")


class MediaPlan(BaseModel):
    """What the publish will upload: the kind, and for a local file its checked facts."""

    kind: str  # image | video | carousel
    source: str
    sources: list[str] = Field(default_factory=list)  # a carousel's images, in order
    formats: list[str | None] = Field(default_factory=list)
    local: bool
    format: str | None = None
    duration_s: float | None = None
    warnings: list[str] = Field(default_factory=list)


def plan_media(request: PublishRequest, media_format: str | None = None, report: Any = None) -> MediaPlan:
    """Validate the media before any network call (kind, media checks, cover options). `report`: the local
    file's `MediaReport` when the caller already checked it (the HTTP API: a file is checked once)."""
    from studio.media import check_cover, check_path  # imported late: media pulls in Pillow and ffmpeg helpers

    request.validate_basics()
    pin = request.pin
    if pin.carousel:
        return _plan_carousel(request)
    entry = request.media[0]
    if is_url(entry):
        kind = "video" if urlparse(entry).path.lower().endswith(VIDEO_URL_SUFFIXES) else "image"
        plan = MediaPlan(kind=kind, source=entry, local=False)
        if kind == "video":
            raise ValidationError(
                "A video must be uploaded from a file, not a link.",
                fix="Download the video and attach the file.",
                code="video_url_unsupported",
            )
    else:
        report = report or check_path(entry)
        if not report.ok:
            issue = report.errors[0]
            raise ValidationError(issue.message, fix=issue.fix, code=issue.code)
        plan = MediaPlan(
            kind=report.kind,
            source=entry,
            local=True,
            format=media_format or report.facts.format,
            duration_s=report.facts.duration_s,
            warnings=[w.message for w in report.warnings],
        )
        if report.kind == "image" and report.facts.animated:
            plan.warnings.append("The animation is lost: Pinterest gets the first frame as a still image.")
        if report.kind == "video" and pin.thumb_offset is not None:
            issues = check_cover(report, offset_s=pin.thumb_offset)
            if issues:
                raise ValidationError(issues[0].message, fix=issues[0].fix, code=issues[0].code)
    if plan.kind != "video" and (pin.cover_url or pin.thumb_offset is not None or pin.cover_file):
        raise ValidationError(
            "A cover image or cover time only applies to videos.",
            fix="Remove cover_url, cover_file and thumb_offset for an image pin.",
            code="cover_for_image",
        )
    if pin.cover_file and (pin.cover_url or pin.thumb_offset is not None):
        raise ValidationError(
            "Choose one cover: an uploaded image, a cover link or a cover time.",
            fix="Keep only one of cover_file, cover_url and thumb_offset.",
            code="cover_conflict",
        )
    if pin.cover_file:
        cover_image(pin.cover_file)  # refuses an unreadable or non-image cover before any upload
    if pin.cover_url and urlparse(pin.cover_url).scheme not in constraints.LINK_SCHEMES:
        raise ValidationError(
            "The cover must be an http(s) link to an image.",
            fix="Paste the image's full web address.",
            code="invalid_cover_url",
        )
    if pin.cover_url and pin.thumb_offset is not None:
        raise ValidationError(
            "Choose either a cover image or a cover time, not both.",
            fix="Remove cover_url or thumb_offset.",
            code="cover_conflict",
        )
    return plan


def image_source(media: str, media_format: str | None = None) -> dict:
    """Pinterest `media_source` for one image: a URL as `image_url`, a local JPEG/PNG as base64,
    and a local WEBP/GIF/MPO, or a photo stored turned (EXIF Orientation), re-encoded upright."""
    if is_url(media):
        return {"source_type": "image_url", "url": media}
    path = Path(media)
    fmt = (media_format or path.suffix.lstrip(".")).upper().replace("JPG", "JPEG")
    from studio.media import stored_turned

    if fmt in constraints.IMAGE_UPLOAD_FORMATS and not stored_turned(path):  # turned photos are sent upright
        data = path.read_bytes()
    else:
        fmt, data = _converted(path)
    encoded = base64.b64encode(data).decode("ascii")  # standard alphabet, no newlines
    return {"source_type": "image_base64", "content_type": f"image/{fmt.lower()}", "data": encoded}


def _converted(path: Path) -> tuple[str, bytes]:
    """The first picture, upright, as JPEG (PNG when transparent): GIF/WEBP/MPO and photos stored turned."""
    from studio.errors import MediaError
    from studio.media import upload_image

    try:
        return upload_image(path)
    except MediaError as exc:
        raise ValidationError(exc.message, fix=exc.fix, code="unsupported_format") from None


def video_source(
    media_id: str, cover_url: str | None, thumb_offset: float | None, cover_file: str | None = None
) -> dict:
    """`media_source` for a processed video, always with a cover (docs/pinterest.md §3: safest)."""
    source: dict = {"source_type": "video_id", "media_id": media_id}
    if cover_file:
        content_type, data = cover_image(cover_file)
        source["cover_image_content_type"] = content_type
        source["cover_image_data"] = data
    elif cover_url:
        source["cover_image_url"] = cover_url
    else:  # key frame time is whole seconds in the API; the first second is the default frame
        source["cover_image_key_frame_time"] = int(thumb_offset or 0)
    return source


def pin_create_body(
    request: PublishRequest, board_id: str, media_source: dict, board_section_id: str | None = None
) -> dict:
    """The JSON body of `POST /v5/pins` (schema PinCreate)."""
    pin = request.pin
    body: dict = {"board_id": board_id, "media_source": media_source}
    if board_section_id:
        body["board_section_id"] = board_section_id
    for key, value in (
        ("title", pin.title),
        ("description", request.post.body),
        ("link", pin.destination_link),
        ("alt_text", pin.alt_text or next((i.alt_text for i in pin.items if i.alt_text), None)),
    ):
        if value:
            body[key] = value
    return body


def _plan_carousel(request: PublishRequest) -> MediaPlan:
    """Each local image checked like any pin image, then the carousel rule set over all of them."""
    from studio.media import carousel_ratio_warnings, check_carousel, check_path

    pin = request.pin
    if pin.cover_url or pin.thumb_offset is not None or pin.cover_file:
        raise ValidationError(
            "A cover only applies to videos, not to a carousel.",
            fix="Remove cover_url, cover_file and thumb_offset.",
            code="cover_for_image",
        )
    plan = MediaPlan(kind="carousel", source=request.media[0], local=not is_url(request.media[0]))
    plan.sources = list(request.media)
    if not plan.local:
        plan.formats = [None] * len(request.media)
        return plan
    reports = []
    for i, entry in enumerate(request.media, 1):
        report = check_path(entry)
        if not report.ok:
            issue = report.errors[0]
            raise ValidationError(f"Carousel image {i}: {issue.message}", fix=issue.fix, code=issue.code)
        reports.append(report)
    issues = check_carousel(reports)
    if issues:
        raise ValidationError(issues[0].message, fix=issues[0].fix, code=issues[0].code)
    plan.formats = [r.facts.format for r in reports]
    plan.format = plan.formats[0]
    plan.warnings = [w.message for r in reports for w in r.warnings] + [
        w.message for w in carousel_ratio_warnings(reports)
    ]
    return plan


def carousel_source(request: PublishRequest, plan: MediaPlan) -> dict:
    """`media_source` for a carousel: `multiple_image_urls` for links, `multiple_image_base64` for files;
    each item carries its own title, description and link (SPEC PinMediaSourceImages*Item)."""
    copy = request.pin.items
    items = []
    for i, entry in enumerate(plan.sources):
        if plan.local:
            single = image_source(entry, plan.formats[i] if i < len(plan.formats) else None)
            item = {"content_type": single["content_type"], "data": single["data"]}
        else:
            item = {"url": entry}
        extra = copy[i] if i < len(copy) else None
        if extra:
            for key in ("title", "description", "link"):
                value = getattr(extra, key)
                if value:
                    item[key] = value
        items.append(item)
    return {"source_type": "multiple_image_base64" if plan.local else "multiple_image_urls", "items": items}


COVER_MAX_BYTES = constraints.IMAGE_MAX_BYTES  # a cover is an image: the same 20 MB cap


def cover_image(cover: str) -> tuple[str, str]:
    """A video cover given as a local path or a `data:` URL → (content type, plain base64), JPEG or PNG
    (SPEC PinMediaSourceVideoID: cover_image_content_type is ContentType, jpeg/png); other images are converted."""
    import io

    from PIL import Image, UnidentifiedImageError

    def refuse(what: str) -> ValidationError:
        return ValidationError(
            f"The cover image {what}.",
            fix="Give a JPEG or PNG file (a path, or a data:image/...;base64 URL) of 20 MB at most.",
            code="invalid_cover_file",
        )

    if cover.startswith("data:"):
        header, _, payload = cover.partition(",")
        if ";base64" not in header:
            raise refuse("must be a base64 data: URL")
        try:
            raw = base64.b64decode(payload, validate=True)
        except ValueError:
            raise refuse("is not valid base64") from None
    else:
        path = Path(cover)
        if not path.is_file():
            raise refuse(f"file {path.name} does not exist")
        if path.stat().st_size > COVER_MAX_BYTES:
            raise refuse("is larger than 20 MB")
        raw = path.read_bytes()
    if len(raw) > COVER_MAX_BYTES:
        raise refuse("is larger than 20 MB")
    try:
        with Image.open(io.BytesIO(raw)) as img:
            fmt = img.format
            if fmt not in constraints.IMAGE_UPLOAD_FORMATS:
                img.seek(0)
                buf = io.BytesIO()
                img.convert("RGB").save(buf, "JPEG", quality=92)
                raw, fmt = buf.getvalue(), "JPEG"
            else:
                img.load()
    except (OSError, UnidentifiedImageError, ValueError, Image.DecompressionBombError):
        raise refuse("can't be read as an image") from None
    return f"image/{fmt.lower()}", base64.b64encode(raw).decode("ascii")
