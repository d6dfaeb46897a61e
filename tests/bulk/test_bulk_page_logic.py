"""What the Bulk page used to do itself, now in studio.bulk: the fix-table diff and the waits after a Stop."""

from __future__ import annotations

import threading
import time

from studio.bulk import batch, pin_changes, wait_for_import
from studio.drafts import save_draft
from tests.support.people import editor


def test_only_what_a_person_changed_in_the_fix_table_is_sent(store):
    a = save_draft(store, None, {"title": "Soup", "alt_text": ""}, actor=editor())
    b = save_draft(store, None, {"title": "Bread", "alt_text": "A loaf"}, actor=editor())
    rows = [
        {"Id": a.id, "Title": "Soup", "Description": "", "Link": "", "Alt text": "A bowl of soup"},
        {"Id": b.id, "Title": "Bread", "Description": "", "Link": "", "Alt text": "A loaf"},
    ]
    assert pin_changes([a, b], rows) == {a.id: {"alt_text": "A bowl of soup"}}


def test_waiting_for_a_stopped_import_ends_when_its_row_lands():
    lock = threading.Lock()
    lock.acquire()
    threading.Timer(0.2, lock.release).start()
    assert wait_for_import(lock, timeout_s=5)
    lock.acquire()
    started = time.monotonic()
    assert not wait_for_import(lock, timeout_s=0.2) and time.monotonic() - started < 2


def test_waiting_for_a_stopped_batch_gives_up_at_its_timeout():
    with batch._RUNNING_LOCK:
        batch._RUNNING.add(-1)
    try:
        assert not batch.wait_until_stopped(-1, timeout_s=0.2)
    finally:
        with batch._RUNNING_LOCK:
            batch._RUNNING.discard(-1)
    assert batch.wait_until_stopped(-1, timeout_s=0.2)
