"""The HTTP routes, one router per resource (profiles, posts, webhooks, stored media), over the state the
app builds once (`dependencies.ApiState`). Routes call the studio and let its errors rise: the app's one
handler answers each with its class's `http_status`."""

from studio.api.routes import media, posts, profiles, webhooks

ROUTERS = (profiles.router, posts.router, webhooks.router, media.router)  # the order the OpenAPI lists them

__all__ = ["ROUTERS"]
