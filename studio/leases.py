"""Leases: who holds a row that only one process may work on (a publish job, a due pin, a bulk batch),
and whether that holder is still alive.

A holder is named `host:pid` (`host:pid:thread` for the scheduler worker, which runs in a thread of the
studio). Each table's owner keeps its own conditional UPDATE that takes the row (SQL stays with the
table); what they share is here: one way to name a holder and one way to tell that it died.
"""

from __future__ import annotations

import os
import socket
import threading
from datetime import datetime

__all__ = ["holder_gone", "owner_alive", "owner_name"]


def owner_name(*, per_thread: bool = False) -> str:
    """This process (or this thread of it) as a lease holder."""
    name = f"{socket.gethostname()}:{os.getpid()}"
    return f"{name}:{threading.get_ident() % 10000}" if per_thread else name


def owner_alive(owner: str | None) -> bool:
    """False when the holder ran on this machine and its process is gone (killed mid-work).

    Another machine's holder is trusted until its lease expires: we can't see its processes."""
    host, _, rest = (owner or "").partition(":")
    pid = rest.split(":", 1)[0]
    if host != socket.gethostname() or not pid.isdigit():
        return True
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, but someone else's
        return True
    return True


def holder_gone(owner: str | None, last_seen: str | None, stale_after_s: float, now: datetime) -> bool:
    """A row's holder may be replaced: there is none, it died, or it has been silent too long."""
    if not owner:
        return True
    silent = last_seen is None or (now - datetime.fromisoformat(last_seen)).total_seconds() > stale_after_s
    return silent or not owner_alive(owner)
