"""Another process's memory, as the kernel counts it (`/proc/<pid>/status`): VmRSS now, VmHWM its peak."""

from __future__ import annotations

from pathlib import Path

from tests.support.browser import free_port

__all__ = ["free_port", "status_kb"]


def status_kb(pid: int, field: str) -> int:
    """A field of /proc/<pid>/status in KB (`VmRSS`, `VmHWM`)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise KeyError(field)
