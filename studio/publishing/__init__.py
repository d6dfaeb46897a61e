"""Publishing: one call publishes a pin, through a backend chosen by `STUDIO_PUBLISHER`."""

from studio.publishing.base import Publisher, PublishOutcome, get_publisher, register_publisher
from studio.publishing.payload import PinterestOptions, PublishRequest

__all__ = [
    "PinterestOptions", "PublishOutcome", "PublishRequest", "Publisher", "get_publisher",
    "register_publisher",
]
