"""The worker against the fake Pinterest v5 server: due pins go out, future ones wait, racing
workers create each pin exactly once."""

import threading
from datetime import timedelta

from studio.drafts.lifecycle import approve, save_draft
from studio.media.assets import ingest_image
from studio.models import DraftStatus, utcnow
from studio.scheduling.schedule import run_due, schedule
from studio.services import open_store
from tests.support.people import editor, reviewer
from tests.support.publishing import make_publisher


def approved_pins(store, data_dir, make_image, fake, n):
    board = fake.boards[270 % len(fake.boards)]["name"]  # a name that needs more than one page to find
    pins = []
    for i in range(n):
        asset, _ = ingest_image(store, data_dir, make_image(color=(i, 120, 200)), f"{i}.jpg")
        draft = save_draft(
            store,
            None,
            {"title": f"Worker pin {i}", "media_id": asset.id, "board": board, "link": f"https://example.com/{i}"},
            actor=editor(),
        )
        pins.append(approve(store, draft.id, actor=reviewer()))
    return pins


def test_worker_publishes_due_pins_to_pinterest_and_leaves_future_ones(store, settings, data_dir, make_image, fake):
    due, future = approved_pins(store, data_dir, make_image, fake, 2)
    schedule(store, settings, due.id, utcnow() + timedelta(minutes=1), actor=reviewer())
    schedule(store, settings, future.id, utcnow() + timedelta(days=1), actor=reviewer())
    publisher = make_publisher(fake, settings)
    results = run_due(store, publisher, settings, worker="w", now=utcnow() + timedelta(minutes=2))
    assert [(r["draft_id"], r["status"]) for r in results] == [(due.id, "published")]
    (pin,) = fake.pins.values()
    assert pin["title"] == "Worker pin 0" and results[0]["pin_id"] == pin["id"]
    assert store.get_draft(future.id).status is DraftStatus.APPROVED


def test_two_workers_create_each_pinterest_pin_exactly_once(store, settings, data_dir, make_image, fake):
    pins = approved_pins(store, data_dir, make_image, fake, 8)
    for i, p in enumerate(pins):
        schedule(store, settings, p.id, utcnow() + timedelta(minutes=1, seconds=i), override=True, actor=reviewer())
    now = utcnow() + timedelta(minutes=5)
    barrier = threading.Barrier(2)

    def work(name):
        own = open_store(settings.db_path)
        publisher = make_publisher(fake, settings)
        barrier.wait()
        run_due(own, publisher, settings, worker=name, now=now)
        own.close()

    threads = [threading.Thread(target=work, args=(f"w{i}",)) for i in range(2)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    titles = sorted(p["title"] for p in fake.pins.values())
    assert titles == sorted(p.title for p in pins)  # each pin once on Pinterest, none twice
    assert all(store.get_draft(p.id).status is DraftStatus.PUBLISHED for p in pins)
