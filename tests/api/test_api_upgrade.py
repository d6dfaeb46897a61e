"""A data dir from the release before people and API scopes opens with its history intact; its API keys keep
working for drafts and webhooks, and a post they send with draft=false now waits in Review."""

from __future__ import annotations

import hashlib

from postproxy import PlatformParams
from postproxy._types import PinterestParams

from studio import people
from studio.api import list_keys
from studio.api.app import create_app
from studio.api.server import BackgroundServer
from studio.publishing import jobs
from studio.services import open_store
from tests.support.api import Api
from tests.support.upgrade import old_api_key, old_job, previous_release, typed_pin

OLD_KEY = "psk_made-before-scopes-existed"


def test_an_old_data_dir_keeps_its_history_and_its_keys_lose_the_way_past_review(api_settings, host):
    old = previous_release(api_settings.db_path, without_people=False)
    draft_id = typed_pin(old, author="Marie", approver="Paul")
    job_id = old_job(old, draft_id, resolved_by="Paul")
    old_api_key(old, "key_old", "cms", hashlib.sha256(OLD_KEY.encode()).hexdigest())
    before = [(e["actor"], e["action"], e["at"]) for e in old.table("events").rows_where(order_by="id")]
    old.close()

    with open_store(api_settings.db_path) as store:
        events = store.events(draft_id)
        assert [(e.actor, e.action, e.at) for e in events] == before
        assert {(e.actor_ref, e.person_ref) for e in events} == {(None, None)}
        assert people.attribution(events[-1].actor, events[-1].actor_ref).label == "Paul (typed name, before accounts)"
        assert store.get_draft(draft_id).author == "Marie" and store.get_draft(draft_id).author_ref is None
        assert jobs.get_job(store, job_id)["resolved_by"] == "Paul"
        (key,) = list_keys(store)
        assert key["scopes"] == ["posts:draft", "webhooks"] and key["owner_ref"] == people.LOCAL_OWNER_REF

    app = create_app(api_settings, processor_interval_s=0.05)
    server = BackgroundServer(app).start()
    try:
        api = Api(server, OLD_KEY, app)
        pin = PlatformParams(pinterest=PinterestParams(title="Old integration", board_id="Baking"))
        post = api.call(
            lambda c: c.posts.create(
                "Sent as before", ["pinterest"], media=[host.url("p0.jpg")], platforms=pin, draft=False
            )
        )
        assert post.status == "draft"  # the point of the upgrade: a person reviews it first
        hook = api.call(lambda c: c.webhooks.create("https://example.com/hook", ["*"]))
        assert [w.id for w in api.call(lambda c: c.webhooks.list()).data] == [hook.id]
    finally:
        server.stop()
