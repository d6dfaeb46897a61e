"""The pinterest backend against the fake Pinterest v5 server: media, boards, retries, no duplicates."""

from __future__ import annotations

import base64
import json
import time

import pytest

from studio.errors import ValidationError
from studio.publishing import jobs
from studio.publishing.payload import PublishRequest
from tests.support.media import make_image, make_video
from tests.support.people import editor, reviewer
from tests.support.publishing import make_publisher

# loopback test servers stand in for public hosts
pytestmark = pytest.mark.usefixtures("allow_private_fetch")


def request(media: str, **pin) -> PublishRequest:
    pin.setdefault("board_id", None)
    return PublishRequest.model_validate(
        {
            "post": {"body": "10 tips for better photos"},
            "profiles": ["pinterest"],
            "media": [media],
            "platforms": {
                "pinterest": {
                    "title": "10 Tips for Better Photography",
                    "destination_link": "https://example.com/blog/tips",
                    **pin,
                }
            },
        }
    )


def run(store, publisher, req: PublishRequest) -> dict:
    return jobs.run_job(
        store, publisher, jobs.create_job(store, req, publisher.name, actor=reviewer()), actor=reviewer()
    )


def test_image_url_pin_is_created_on_the_board(fake, settings, store):
    board = fake.boards[3]
    job = run(store, make_publisher(fake, settings), request("https://cdn.example.com/a.jpg", board_id=board["id"]))
    assert job["status"] == "published"
    pin = fake.pins[job["pin_id"]]
    assert pin["_source"] == {"source_type": "image_url", "url": "https://cdn.example.com/a.jpg"}
    assert pin["title"] == "10 Tips for Better Photography" and pin["description"] == "10 tips for better photos"
    assert job["pin_url"] == f"https://www.pinterest.com/pin/{job['pin_id']}/"


def test_local_png_is_sent_as_plain_base64(fake, settings, store, tmp_path):
    path = make_image(tmp_path / "pin.png", fmt="PNG")
    job = run(store, make_publisher(fake, settings), request(str(path), board_id=fake.boards[0]["id"]))
    source = fake.pins[job["pin_id"]]["_source"]
    assert source["source_type"] == "image_base64" and source["content_type"] == "image/png"
    assert base64.b64decode(source["data"]) == path.read_bytes()


def test_webp_is_converted_before_upload(fake, settings, store, tmp_path):
    path = make_image(tmp_path / "pin.webp", fmt="WEBP")
    job = run(store, make_publisher(fake, settings), request(str(path), board_id=fake.boards[0]["id"]))
    assert fake.pins[job["pin_id"]]["_source"]["content_type"] in ("image/jpeg", "image/png")


def test_board_by_name_is_found_across_pages(fake, settings, store):
    target = fake.boards[-1]  # past the first 250
    job = run(
        store, make_publisher(fake, settings), request("https://x.example/a.jpg", board_name=target["name"].upper())
    )
    assert job["status"] == "published" and fake.pins[job["pin_id"]]["board_id"] == target["id"]
    assert len(fake.calls("GET", "/boards")) == 2  # two pages, bookmark followed


def test_board_name_is_cached_between_publishes(fake, settings, store):
    publisher = make_publisher(fake, settings)
    for _ in range(2):
        run(store, publisher, request("https://x.example/a.jpg", board_name="Board 005"))
    assert len(fake.calls("GET", "/boards")) == 2  # one listing (2 pages), then the cache


def test_unknown_board_fails_with_close_names_and_sends_no_pin(fake, settings, store):
    job = run(store, make_publisher(fake, settings), request("https://x.example/a.jpg", board_name="Bord 007"))
    assert job["status"] == "failed" and job["error_code"] == "board_not_found"
    assert "Board 007" in job["error_fix"]
    assert fake.calls("POST", "/pins") == []


def test_section_by_name(fake, settings, store):
    board = fake.boards[1]
    section = fake.add_section(board["id"], "Salads")
    job = run(
        store,
        make_publisher(fake, settings),
        request("https://x.example/a.jpg", board_id=board["id"], board_section="salads"),
    )
    assert fake.pins[job["pin_id"]]["board_section_id"] == section["id"]


@pytest.mark.parametrize("cover", [{"cover_url": "https://x.example/cover.jpg"}, {"thumb_offset": 2}])
def test_video_is_registered_uploaded_polled_then_pinned(fake, settings, store, tmp_path, cover):
    fake.processing_s = 0.05
    video = make_video(tmp_path / "clip.mp4", seconds=5)
    job = run(store, make_publisher(fake, settings), request(str(video), board_id=fake.boards[0]["id"], **cover))
    assert job["status"] == "published", job
    upload = fake.uploads[0]
    assert upload["fields"][-1] == "file" and upload["bytes"] == video.stat().st_size
    source = fake.pins[job["pin_id"]]["_source"]
    assert source["source_type"] == "video_id" and source["media_id"] == upload["media_id"]
    if "cover_url" in cover:
        assert source["cover_image_url"] == cover["cover_url"]
    else:
        assert source["cover_image_key_frame_time"] == 2
    steps = [a["step"] for a in jobs.attempts(store, job["id"]) if a["kind"] == "state"]
    assert steps == ["queued", "uploading_media", "processing_media", "creating_pin", "published"]
    assert job["upload_sent"] == job["upload_total"] == video.stat().st_size


def test_thumb_offset_outside_the_video_is_refused_before_sending(fake, settings, tmp_path):
    video = make_video(tmp_path / "clip.mp4", seconds=5)
    with pytest.raises(ValidationError, match="outside the video"):
        make_publisher(fake, settings).publish(request(str(video), board_id="1", thumb_offset=9))
    assert fake.requests == []


def test_cover_on_an_image_is_refused(fake, settings):
    with pytest.raises(ValidationError, match="only applies to videos"):
        make_publisher(fake, settings).publish(
            request("https://x.example/a.jpg", board_id="1", cover_url="https://x/c.jpg")
        )


def test_failed_video_processing_is_explained(fake, settings, store, tmp_path):
    fake.fail_processing = True
    video = make_video(tmp_path / "clip.mp4", seconds=5)
    job = run(store, make_publisher(fake, settings), request(str(video), board_id=fake.boards[0]["id"]))
    assert job["status"] == "failed" and job["error_code"] == "media_processing_failed"
    assert fake.calls("POST", "/pins") == []


def test_slow_video_processing_gives_up_after_the_configured_time(fake, settings, store, tmp_path):
    fake.processing_s = 30
    video = make_video(tmp_path / "clip.mp4", seconds=5)
    publisher = make_publisher(fake, settings, processing_timeout_s=0.2)
    job = run(store, publisher, request(str(video), board_id=fake.boards[0]["id"]))
    assert job["status"] == "failed" and job["error_code"] == "media_processing_timeout"
    fake.processing_s = 0  # Retry reuses the upload and only waits again
    job = jobs.retry_job(store, publisher, job["id"], actor=reviewer())
    assert job["status"] == "published" and len(fake.uploads) == 1


@pytest.mark.parametrize("status", [429, 500, 503])
def test_transient_errors_are_retried_and_publish_once(fake, settings, store, status):
    fake.fail("POST", "/pins", status=status, times=2, headers={"Retry-After": "0"} if status == 429 else None)
    job = run(store, make_publisher(fake, settings), request("https://x.example/a.jpg", board_id=fake.boards[0]["id"]))
    assert job["status"] == "published" and len(fake.pins) == 1
    creates = [a for a in jobs.attempts(store, job["id"]) if a["step"] == "create_pin"]
    assert [a["http_status"] for a in creates] == [status, status, 201]
    assert all(a["request_id"] for a in creates)


def test_spam_429_is_permanent(fake, settings, store):
    fake.fail("POST", "/pins", status=429, body={"code": 8, "message": "Your request was blocked as spam."})
    job = run(store, make_publisher(fake, settings), request("https://x.example/a.jpg", board_id=fake.boards[0]["id"]))
    assert job["status"] == "failed" and job["error_code"] == "spam_blocked"
    assert len(fake.calls("POST", "/pins")) == 1


def test_403_trial_restriction_is_explained(fake, settings, store):
    fake.fail(
        "POST",
        "/pins",
        status=403,
        body={"code": 29, "message": "Apps with Trial access may not create Pins in production"},
    )
    job = run(store, make_publisher(fake, settings), request("https://x.example/a.jpg", board_id=fake.boards[0]["id"]))
    assert job["error_code"] == "trial_restricted" and "sandbox" in job["error_fix"]


def test_unknown_pinterest_error_shows_its_message_and_code(fake, settings, store):
    fake.fail("POST", "/pins", status=400, body={"code": 77, "message": "Something odd"})
    job = run(store, make_publisher(fake, settings), request("https://x.example/a.jpg", board_id=fake.boards[0]["id"]))
    assert "Something odd" in job["error_message"] and "77" in job["error_message"]
    assert "Unknown error" not in job["error_message"]


def test_dropped_connection_after_create_is_reconciled_not_resent(fake, settings, store):
    fake.drop_after("POST", "/pins")
    job = run(store, make_publisher(fake, settings), request("https://x.example/a.jpg", board_id=fake.boards[0]["id"]))
    assert job["status"] == "published" and len(fake.pins) == 1
    assert job["pin_id"] in fake.pins and len(fake.calls("POST", "/pins")) == 1


def test_slow_create_that_lands_late_is_found_not_duplicated(fake, settings, store):
    """The client gives up at 0.3 s; the server creates the pin at 0.6 s; we wait, look, find it."""
    fake.delay("POST", "/pins", seconds=0.6)
    publisher = make_publisher(fake, settings, timeout_s=0.3, reconcile_grace_s=1.0)
    job = run(store, publisher, request("https://x.example/a.jpg", board_id=fake.boards[0]["id"]))
    time.sleep(0.5)  # give any stray request time to land before counting
    assert job["status"] == "published" and list(fake.pins) == [job["pin_id"]]
    assert len(fake.calls("POST", "/pins")) == 1


def test_5xx_on_create_with_no_pin_is_looked_up_then_resent(fake, settings, store):
    fake.fail("POST", "/pins", status=502)
    job = run(store, make_publisher(fake, settings), request("https://x.example/a.jpg", board_id=fake.boards[0]["id"]))
    steps = [a["step"] for a in jobs.requests_sent(store, job["id"])]
    assert steps == ["create_pin", "reconcile", "create_pin"]
    assert job["status"] == "published" and len(fake.pins) == 1


def test_expired_token_is_refreshed_once_and_rotated(fake, settings, store):
    publisher = make_publisher(fake, settings)
    old_refresh = fake.refresh_token
    fake.expire_token()
    job = run(store, publisher, request("https://x.example/a.jpg", board_id=fake.boards[0]["id"]))
    assert job["status"] == "published"
    assert fake.refresh_token != old_refresh and publisher.tokens._refresh == fake.refresh_token
    assert fake.calls("POST", "/oauth/token")[0]["json"] == {
        "grant_type": "refresh_token",
        "refresh_token": old_refresh,
        "continuous_refresh": "true",
    }


def test_refresh_failure_says_reconnect(fake, settings, store):
    publisher = make_publisher(fake, settings)
    fake.expire_token()
    fake.refresh_token = "pinr_revoked"
    job = run(store, publisher, request("https://x.example/a.jpg", board_id=fake.boards[0]["id"]))
    assert job["status"] == "failed" and "Reconnect your Pinterest account on the Accounts page" in job["error_fix"]


def test_crash_during_create_resumes_with_exactly_one_pin(fake, settings, store):
    """Killed after the create was sent: the next run finds the pin instead of posting again."""
    req = request("https://x.example/a.jpg", board_id=fake.boards[0]["id"])
    job_id = jobs.create_job(store, req, "pinterest", actor=reviewer())

    class Killed(BaseException):
        pass

    class KilledAfterSend(jobs.JobRun):
        def attempt(self, record):
            super().attempt(record)
            if record["step"] == "create_pin":
                raise Killed  # the process dies with the pin created and the answer unread

    publisher = make_publisher(fake, settings)
    jobs.claim(store, job_id, "worker-1")
    with pytest.raises(Killed):
        publisher.publish(req, progress=KilledAfterSend(store, jobs.get_job(store, job_id), "worker-1"))
    assert jobs.get_job(store, job_id)["status"] == "creating_pin" and len(fake.pins) == 1
    store.db.execute("update publish_jobs set lease_until = '2000-01-01' where id = ?", [job_id])
    store.db.conn.commit()
    (resumed,) = jobs.resume_all(store, lambda name: publisher, actor=reviewer())
    assert resumed["status"] == "published" and len(fake.pins) == 1
    assert resumed["pin_id"] in fake.pins and len(fake.calls("POST", "/pins")) == 1


def test_crash_before_create_resumes_and_publishes(fake, settings, store):
    req = request("https://x.example/a.jpg", board_id=fake.boards[0]["id"])
    job_id = jobs.create_job(store, req, "pinterest", actor=reviewer())
    store.db["publish_jobs"].update(
        job_id,
        {
            "status": "creating_pin",
            "checkpoint": json.dumps(
                {"board_id": fake.boards[0]["id"], "create_started_at": "2026-01-01T00:00:00+00:00"}
            ),
        },
    )
    (resumed,) = jobs.resume_all(store, lambda name: make_publisher(fake, settings), actor=reviewer())
    assert resumed["status"] == "published" and len(fake.pins) == 1
    steps = [a["step"] for a in jobs.attempts(store, job_id) if a["kind"] == "http"]
    assert steps[:2] == ["reconcile", "create_pin"]  # looked first, then sent


def test_unreachable_outcome_becomes_needs_attention_and_can_be_resolved(fake, settings, store):
    fake.drop_after("POST", "/pins", times=10)
    fake.fail("GET", f"/boards/{fake.boards[0]['id']}/pins", status=503, times=50)
    job = run(store, make_publisher(fake, settings), request("https://x.example/a.jpg", board_id=fake.boards[0]["id"]))
    assert job["status"] == "needs_attention"
    assert len(fake.calls("POST", "/pins")) == 1  # never resent while the outcome was unknown
    done = jobs.mark_resolved(store, job["id"], actor=reviewer("ana"), pin_id=next(iter(fake.pins)))
    assert done["status"] == "published" and done["resolved_by"] == "ana"


def test_validation_happens_before_any_request(fake, settings):
    for bad, code in (
        (request("https://x.example/a.jpg"), "board_required"),
        (request("https://x.example/a.jpg", board_id="1", destination_link="ftp://x"), "invalid_link"),
    ):
        with pytest.raises(ValidationError) as info:
            make_publisher(fake, settings).publish(bad)
        assert info.value.code == code
    assert fake.requests == []


def test_upload_cut_short_resumes_with_a_fresh_upload(fake, settings, store, tmp_path):
    video = make_video(tmp_path / "clip.mp4", seconds=5)
    req = request(str(video), board_id=fake.boards[0]["id"])
    job_id = jobs.create_job(store, req, "pinterest", actor=reviewer())
    stale = {"board_id": fake.boards[0]["id"], "media_id": "42", "uploaded": False}
    store.db["publish_jobs"].update(job_id, {"status": "uploading_media", "checkpoint": json.dumps(stale)})
    (job,) = jobs.resume_all(store, lambda name: make_publisher(fake, settings), actor=reviewer())
    assert job["status"] == "published"
    assert len(fake.uploads) == 1 and job["checkpoint"]["media_id"] == fake.uploads[0]["media_id"] != "42"


def test_ambiguous_board_name_prefers_yours_else_lists_ids(fake, settings, store):
    mine = fake.add_board("Shared")
    fake.add_board("Shared", owner="someone_else")  # a group board with the same name
    job = run(store, make_publisher(fake, settings), request("https://x.example/a.jpg", board_name="shared"))
    assert fake.pins[job["pin_id"]]["board_id"] == mine["id"]
    from studio.pinterest import boards

    boards.clear_cache()
    a, b = fake.add_board("Twins", owner="x"), fake.add_board("Twins", owner="y")
    job = run(store, make_publisher(fake, settings), request("https://x.example/a.jpg", board_name="Twins"))
    assert job["error_code"] == "board_ambiguous" and a["id"] in job["error_fix"] and b["id"] in job["error_fix"]


def test_401_again_after_a_refresh_says_reconnect(fake, settings, store):
    fake.fail("POST", "/pins", status=401, times=2, body={"code": 2, "message": "Authentication failed."})
    job = run(store, make_publisher(fake, settings), request("https://x.example/a.jpg", board_id=fake.boards[0]["id"]))
    assert job["status"] == "failed" and "Reconnect" in job["error_fix"] and "Accounts page" in job["error_fix"]
    assert len(fake.calls("POST", "/oauth/token")) == 1 and fake.pins == {}


def test_unreachable_server_is_retried_then_fails_plainly(settings, store):
    from tests.fakes.pinterest import FakePinterest

    closed = FakePinterest(boards=1, validate=False).start()
    base = closed.base
    closed.stop()  # nothing listens there now: connection refused, nothing was sent
    publisher = make_publisher(closed, settings)
    publisher.api_base = base
    job = run(store, publisher, request("https://x.example/a.jpg", board_id="123"))
    assert job["status"] == "failed" and job["error_code"] == "network_error"
    outcomes = [a["outcome"] for a in jobs.requests_sent(store, job["id"])]
    assert outcomes == ["not_sent"] * 4


def test_retry_after_is_honoured(fake, settings, store):
    waits: list[float] = []
    publisher = make_publisher(fake, settings)
    publisher.retry.sleep = waits.append
    fake.fail("POST", "/pins", status=429, headers={"Retry-After": "7"})
    job = run(store, publisher, request("https://x.example/a.jpg", board_id=fake.boards[0]["id"]))
    assert job["status"] == "published" and waits == [7.0]


def test_unreadable_image_is_refused_before_sending(fake, settings, tmp_path):
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(b"not really a jpeg")
    with pytest.raises(ValidationError):
        make_publisher(fake, settings).publish(request(str(broken), board_id="1"))
    assert fake.requests == []


def test_a_board_created_after_the_cache_filled_is_found(fake, settings, store):
    publisher = make_publisher(fake, settings)
    run(store, publisher, request("https://x.example/a.jpg", board_name="Board 001"))  # fills the cache
    fresh = fake.add_board("Brand new board")
    job = run(store, publisher, request("https://x.example/a.jpg", board_name="Brand new board"))
    assert job["status"] == "published" and fake.pins[job["pin_id"]]["board_id"] == fresh["id"]


def approved_draft(store, settings, board_id: str) -> int:
    from studio.drafts.lifecycle import approve, save_draft
    from studio.media.assets import ingest_image
    from tests.support.media import image_bytes

    asset, _ = ingest_image(store, settings.data_dir, image_bytes(), "soup.jpg")
    draft = save_draft(
        store,
        None,
        {
            "title": "Cosy soup",
            "description": "Warm soup",
            "board": board_id,
            "link": "https://example.com/soup",
            "media_id": asset.id,
        },
        actor=editor(),
    )
    approve(store, draft.id, actor=reviewer("rita"))
    return draft.id


def test_a_draft_whose_publisher_was_killed_is_resumed_by_the_next_publish(fake, settings, store):
    """The worker died after sending the create: its next pass finds the pin, never posts twice."""
    import socket

    from studio.publishing.service import publish_draft, queue_draft

    board = fake.boards[0]["id"]
    publisher = make_publisher(fake, settings)
    draft_id = approved_draft(store, settings, board)
    job_id = queue_draft(store, publisher, draft_id, settings, actor=reviewer())
    store.db["publish_jobs"].update(
        job_id,
        {
            "status": "creating_pin",
            "claimed_by": f"{socket.gethostname()}:999999999",
            "lease_until": "2999-01-01",
            "checkpoint": json.dumps({"board_id": board, "create_started_at": "2026-01-01T00:00:00+00:00"}),
        },
    )
    fake.pins["1"] = {
        "id": "1",
        "created_at": "2026-01-01T00:00:01",
        "board_id": board,
        "title": "Cosy soup",
        "description": "Warm soup",
        "link": "https://example.com/soup",
        "media": {"media_type": "image"},
    }
    job = publish_draft(store, publisher, draft_id, settings, actor=reviewer())
    assert (job["id"], job["status"], job["pin_id"]) == (job_id, "published", "1")
    assert fake.calls("POST", "/pins") == [] and store.get_draft(draft_id).status == "published"


def test_a_failed_job_is_not_retried_once_another_job_published_the_pin(fake, settings, store):
    from studio.errors import PublishError
    from studio.publishing.service import publish_draft

    publisher = make_publisher(fake, settings)
    draft_id = approved_draft(store, settings, fake.boards[0]["id"])
    fake.fail("POST", "/pins", status=400, body={"code": 1, "message": "Sorry we could not fetch the image."})
    first = publish_draft(store, publisher, draft_id, settings, actor=reviewer())
    assert first["status"] == "failed"
    store.set_status(draft_id, "approved", actor=editor("rita"), note="try again")  # someone publishes it anew
    assert publish_draft(store, publisher, draft_id, settings, actor=reviewer())["status"] == "published"
    with pytest.raises(PublishError) as info:
        jobs.retry_job(store, publisher, first["id"], actor=reviewer())
    assert info.value.code == "not_retryable" and len(fake.pins) == 1


def test_video_from_a_link_is_downloaded_then_uploaded(fake, settings, store, tmp_path):
    from studio.publishing.service import publish_request
    from tests.fakes.media_host import MediaHost

    video = make_video(tmp_path / "host" / "clip.mp4", seconds=5)
    with MediaHost(tmp_path / "host") as host:
        req = request(host.url("clip.mp4"), board_id=fake.boards[0]["id"], thumb_offset=1)
        job = publish_request(store, make_publisher(fake, settings), req, settings, actor=reviewer())
    assert job["status"] == "published", job
    (upload,) = fake.uploads
    assert upload["bytes"] == video.stat().st_size and upload["head"] == video.read_bytes()[:16]
    source = fake.pins[job["pin_id"]]["_source"]
    assert source == {"source_type": "video_id", "media_id": upload["media_id"], "cover_image_key_frame_time": 1}


def test_a_video_link_that_cannot_be_downloaded_sends_nothing(fake, settings, store, tmp_path):
    from studio.errors import StudioError
    from studio.publishing.service import publish_request
    from tests.fakes.media_host import MediaHost

    with MediaHost(tmp_path) as host, pytest.raises(StudioError) as info:
        publish_request(
            store,
            make_publisher(fake, settings),
            request(host.url("gone.mp4"), board_id="1"),
            settings,
            actor=reviewer(),
        )
    assert "answered 404" in info.value.message and info.value.fix
    assert fake.requests == [] and jobs.list_jobs(store) == []


@pytest.mark.parametrize(
    "media, words", [("", "empty"), ("ftp://example.com/a.jpg", "http"), ("file:///etc/passwd", "http")]
)
def test_media_that_is_neither_a_web_link_nor_a_file_is_refused_plainly(fake, settings, media, words):
    with pytest.raises(ValidationError) as info:
        make_publisher(fake, settings).publish(request(media, board_id="1"))
    assert words in info.value.message and fake.requests == []
