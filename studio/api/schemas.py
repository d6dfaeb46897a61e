"""The API's request and response shapes, as the official Postproxy SDK sends and parses them
(its pydantic models are the contract), plus Pinstudio's own Pinterest extensions."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

from studio.text import strip_controls

PostStatus = Literal["pending", "draft", "processing", "processed", "scheduled", "media_processing_failed"]
PlatformStatus = Literal["pending", "processing", "published", "failed", "deleted"]
EVENTS = (
    "post.processed",
    "platform_post.published",
    "platform_post.failed",
    "platform_post.failed_waiting_for_retry",
)


# --- requests ------------------------------------------------------------------------------
def _without_controls(value: Any) -> Any:
    return strip_controls(value) if isinstance(value, str) else value


# Text a person will read in the studio, a terminal (`pinstudio drafts list`) or a CSV: escape sequences and
# control characters are dropped as it arrives, as the CSV importer drops them from its cells.
Text = Annotated[str, BeforeValidator(_without_controls)]


def _splittable(value: Any) -> Any:
    """A link urllib can split into parts: "http://[::1" can't be, and must be refused here, not crash later."""
    if isinstance(value, str):
        try:
            urlsplit(value)
        except ValueError:
            raise ValueError(f"“{value[:80]}” is not a valid web address") from None
    return value


Link = Annotated[Text, AfterValidator(_splittable)]


class PostIn(BaseModel):
    body: Text = Field("", max_length=10_000, description="The pin's description.")
    scheduled_at: datetime | None = Field(None, description="Publish at this time (ISO 8601); now when omitted.")
    draft: bool | None = Field(
        None,
        description="true: a draft in the studio's Review queue, published once approved. Only a key with the "
        "posts:publish scope may skip Review (false); any other key's post is a draft whatever this says.",
    )


class PinterestIn(BaseModel):
    model_config = ConfigDict(extra="ignore")

    format: Literal["pin"] | None = None
    title: Text | None = Field(None, description="Up to 100 characters; the start of the body when omitted.")
    board_id: Text | None = Field(None, description="A board id, or a board's name.")
    board_name: Text | None = Field(None, description="Pinstudio: the board's name.")
    board_section: Text | None = Field(None, description="Pinstudio: a section's name or id.")
    destination_link: Link | None = None
    cover_url: Link | None = Field(None, description="Video pins: a cover image link.")
    cover_file: str | None = Field(
        None, description="Video pins: a `data:image/...;base64,` cover (or a multipart file)."
    )
    thumb_offset: float | None = Field(None, ge=0, description="Video pins: the cover frame, in seconds.")
    alt_text: Text | list[Text] | None = None


class PlatformsIn(BaseModel):
    model_config = ConfigDict(extra="allow")

    pinterest: PinterestIn | None = None


class CreatePostIn(BaseModel):
    """`POST /api/posts` as JSON (the same fields arrive as `post[body]`, `media[]`, … in multipart)."""

    model_config = ConfigDict(extra="ignore")

    post: PostIn = Field(default_factory=lambda: PostIn.model_validate({}))
    profiles: list[str] = Field(default_factory=lambda: ["pinterest"], max_length=20)
    media: list[Link | dict[str, Link]] = Field(default_factory=list, max_length=20)
    platforms: PlatformsIn | None = None

    def media_urls(self) -> list[str]:
        return [m if isinstance(m, str) else str(m.get("url", "")) for m in self.media]

    def pin(self) -> PinterestIn:
        return (self.platforms.pinterest if self.platforms else None) or PinterestIn.model_validate({})


class WebhookIn(BaseModel):
    url: str = Field(..., max_length=2000)
    events: list[str] = Field(..., min_length=1, max_length=20)
    description: Text | None = Field(None, max_length=500)
    enabled: bool | None = None


class WebhookPatch(BaseModel):
    url: str | None = Field(None, max_length=2000)
    events: list[str] | None = Field(None, min_length=1, max_length=20)
    description: Text | None = Field(None, max_length=500)
    enabled: bool | None = None


# --- responses -----------------------------------------------------------------------------
class ErrorOut(BaseModel):
    error: str = Field(..., description="What is wrong, safe to show a person.")
    code: str = Field(..., description="A stable machine-readable code (the studio's error code).")
    fix: str = Field("", description="How to fix it.")
    duplicate_post_id: str | None = None


class ProfileOut(BaseModel):
    id: str
    name: str
    username: str | None = None
    status: Literal["active", "expired", "inactive"]
    platform: Literal["pinterest"] = "pinterest"
    platform_id: str | None = None
    profile_group_id: str = "default"
    expires_at: datetime | None = None
    post_count: int = 0
    avatar_url: str | None = None


class ErrorDetailsOut(BaseModel):
    platform_error_code: str | None = None
    platform_error_subcode: str | None = None
    platform_error_message: str | None = None
    postproxy_note: str | None = None


class PlatformResultOut(BaseModel):
    platform: Literal["pinterest"] = "pinterest"
    profile_id: str | None = None
    profile_name: str | None = None
    status: PlatformStatus
    permalink: str | None = None
    params: dict[str, Any] | None = None
    error: str | None = None
    error_details: ErrorDetailsOut | None = None
    attempted_at: datetime | None = None


class MediaOut(BaseModel):
    id: str
    status: Literal["pending", "processed", "failed"]
    error_message: str | None = None
    content_type: str
    source_url: str | None = None
    url: str | None = None


class StudioRef(BaseModel):
    """Pinstudio's own view of the post: the draft in Review and its publish job."""

    draft_id: int
    review_status: str
    review_required: bool = Field(False, description="true: the post waits for a person's approval in Review.")
    review_reason: str | None = Field(None, description="Why it waits although `draft` was false (the key's scope).")
    job_id: int | None = None
    job_status: str | None = None
    pin_id: str | None = None


class PostOut(BaseModel):
    id: str
    body: str
    status: PostStatus
    scheduled_at: datetime | None = None
    created_at: datetime
    media: list[MediaOut] = []
    platforms: list[PlatformResultOut] = []
    thread: list[dict[str, Any]] = []
    draft: bool | None = None
    source: Literal["postproxy"] = "postproxy"
    studio: StudioRef | None = None


class PostPage(BaseModel):
    data: list[PostOut]
    total: int
    page: int
    per_page: int


class ProfileList(BaseModel):
    data: list[ProfileOut]


class WebhookOut(BaseModel):
    id: str
    url: str
    events: list[str]
    enabled: bool
    description: str | None = None
    secret: str | None = Field(None, description="Shown once, when the webhook is created.")
    created_at: datetime
    updated_at: datetime


class WebhookList(BaseModel):
    data: list[WebhookOut]


class DeliveryOut(BaseModel):
    id: str
    event_id: str
    event_type: str
    response_status: int | None = None
    attempt_number: int
    success: bool
    attempted_at: datetime
    created_at: datetime
    error: str | None = None


class DeliveryPage(BaseModel):
    data: list[DeliveryOut]
    total: int
    page: int
    per_page: int


class DeleteOut(BaseModel):
    deleted: bool
