"""A studio with things in it, for tests that walk the pages: photos, drafts in every state, a posting slot."""

from __future__ import annotations

import httpx
from pydantic import SecretStr

from studio import accounts
from studio.config import Settings
from studio.drafts import approve, reject, save_draft, submit_for_review
from studio.media.assets import ingest_image
from studio.pinterest.oauth import TokenSet
from studio.preferences import load_settings
from studio.scheduling import add_slot
from studio.secrets import vault_for
from studio.services import open_store
from tests.fakes.pinterest import FakePinterest
from tests.support.media import image_bytes
from tests.support.people import editor, owner, reviewer


def seed_studio(settings: Settings) -> dict[str, int]:
    """Three photos and five drafts (draft, in review, approved, rejected, in review with a note); returns ids."""
    store = open_store(settings.db_path)
    try:
        media = [
            ingest_image(store, settings.data_dir, image_bytes(color=(40 * n, 90, 60)), f"photo{n}.jpg")[0].id
            for n in range(3)
        ]

        def draft(n: int, title: str) -> int:
            fields = {
                "title": title,
                "description": f"{title}: a warm bowl for cold evenings, ready in 30 minutes.",
                "alt_text": "A bowl of soup on a wooden table",
                "media_id": media[n % 3],
                "board": "Recipes",
                "link": "https://example.com/soup",
                "keywords": "soup, autumn",
            }
            return save_draft(store, None, fields, actor=editor()).id

        ids = {"draft": draft(0, "Squash soup"), "in_review": draft(1, "Leek soup")}
        submit_for_review(store, ids["in_review"], actor=editor())
        ids["approved"] = draft(2, "Tomato soup")
        submit_for_review(store, ids["approved"], actor=editor())
        approve(store, ids["approved"], actor=reviewer())
        ids["rejected"] = draft(0, "Pea soup")
        submit_for_review(store, ids["rejected"], actor=editor())
        reject(store, ids["rejected"], actor=reviewer(), note="Too green")
        add_slot(store, "", 1, "09:00", "UTC", actor=owner())
        return {**ids, "media": media[0]}
    finally:
        store.close()


BOARDS = ("Recipes", "Dinner ideas", "Soups")


def sync_fake_boards(fake: FakePinterest, names: tuple[str, ...] = BOARDS) -> None:
    """Connect the fake's account (boards named `names` added to it) and sync its boards, as the Accounts page does.
    The environment must point at the fake (the `pinterest` fixture does)."""
    settings = load_settings()
    for name in names:
        fake.add_board(name)
    store = open_store(settings.db_path)
    vault = vault_for(settings)
    try:
        with httpx.Client(timeout=5) as http:
            tokens = TokenSet(access_token=SecretStr(fake.access_token), refresh_token=SecretStr(fake.refresh_token))
            accounts.connect(store, vault, http, settings, tokens, actor=owner())
            api = accounts.account_api(
                settings, http, vault, fake.username, open_store=lambda: open_store(settings.db_path)
            )
            accounts.sync_boards(store, api, fake.username, sections=False)
    finally:
        store.close()
