"""In Chromium, a studio with a team: everyone signs in with their own account; an editor composes and
submits but is offered no Approve, a reviewer in another browser approves; a reviewer's approval of their own
pin is refused by four eyes until someone else approves it; a viewer can't act; an owner's
role change applies at the person's next click; a session survives a reload and ends at Sign out."""

import pytest
from playwright.sync_api import expect

from studio import people
from studio.drafts import save_draft, submit_for_review
from studio.media import ingest_image
from studio.people import Actor
from studio.services import open_store
from tests.support.browser import new_page
from tests.support.people import PASSWORD, TEAM, add_person, sign_in

pytestmark = pytest.mark.browser


def test_an_editor_submits_and_a_reviewer_in_another_browser_approves(team_studio, browser, tmp_path, make_image):
    base, data_dir = team_studio
    image = tmp_path / "autumn-soup.jpg"
    image.write_bytes(make_image(size=(1000, 1500), color=(200, 120, 40)))

    editor = new_page(browser)
    sign_in(editor, base, TEAM["editor"][0], PASSWORD, "compose")
    editor.get_by_text("Compose a pin").wait_for()
    editor.locator("input[type=file]").first.set_input_files(str(image))
    editor.get_by_text("JPEG · 1000×1500").wait_for()
    editor.get_by_label("Topic or product notes").fill("Autumn soup")
    editor.get_by_label("Board").fill("123456789")
    editor.get_by_label("Board").press("Enter")
    editor.get_by_role("button", name="Draft copy").click()
    editor.get_by_text("Drafted by offline").wait_for()
    editor.get_by_role("button", name="Submit for review").click()
    editor.get_by_text("submitted for review").wait_for()

    editor.get_by_role("link", name="Review").click()
    editor.get_by_role("button", name="Comment").wait_for()  # the open pin's actions drawn...
    expect(editor.get_by_role("button", name="Approve")).to_have_count(0)  # ...without Approve or Reject
    expect(editor.get_by_role("button", name="Reject")).to_have_count(0)

    reviewer = new_page(browser)
    sign_in(reviewer, base, TEAM["reviewer"][0], PASSWORD, "review")
    reviewer.get_by_role("button", name="Approve").click()
    reviewer.get_by_text("Approved #").wait_for()

    store = open_store(data_dir / "studio.db")
    try:
        (draft,) = [d for d in store.list_drafts() if "autumn soup" in d.title.lower()]
        assert draft.status == "approved"
    finally:
        store.close()


def test_four_eyes_refuses_a_reviewers_own_pin_and_another_reviewer_approves_it(team_studio, browser, make_image):
    base, data_dir = team_studio
    store = open_store(data_dir / "studio.db")
    try:
        rita = people.user_by_email(store, TEAM["reviewer"][0])
        assert rita is not None
        author = Actor.for_user(rita)
        asset, _ = ingest_image(store, data_dir, make_image(size=(1000, 1500), color=(90, 40, 160)), "plum.jpg")
        draft = save_draft(
            store, None, {"title": "Plum jam by Rita", "media_id": asset.id, "board": "Jams"}, actor=author
        )
        submit_for_review(store, draft.id, actor=author)
    finally:
        store.close()

    own = new_page(browser)
    sign_in(own, base, TEAM["reviewer"][0], PASSWORD, "review")
    own.get_by_text(f"#{draft.id} · Plum jam by Rita").wait_for()  # the newest waiting pin is open
    own.get_by_role("button", name="Approve").click()
    own.get_by_text("someone else has to approve it (four eyes)").wait_for()

    store = open_store(data_dir / "studio.db")
    try:
        assert store.get_draft(draft.id).status == "in_review"  # refused: nothing changed
    finally:
        store.close()

    other = new_page(browser)
    sign_in(other, base, TEAM["owner"][0], PASSWORD, "review")
    other.get_by_text(f"#{draft.id} · Plum jam by Rita").wait_for()
    other.get_by_role("button", name="Approve").click()
    other.get_by_text(f"Approved #{draft.id}").wait_for()

    store = open_store(data_dir / "studio.db")
    try:
        approved = store.get_draft(draft.id)
        assert approved.status == "approved"
        (event,) = [e for e in store.events(draft.id) if e.action == "status:approved"]
        assert event.person_ref == f"user:{people.user_by_email(store, TEAM['owner'][0]).id}"  # type: ignore[union-attr]
    finally:
        store.close()


def test_a_viewer_reads_but_cannot_act(team_studio, browser):
    base, _ = team_studio
    viewer = new_page(browser)
    sign_in(viewer, base, TEAM["viewer"][0], PASSWORD, "compose")
    viewer.get_by_text("As a viewer, you may not compose pins here").wait_for()
    expect(viewer.get_by_role("button", name="Save draft")).to_have_count(0)
    nav = viewer.locator("[data-testid=stSidebarNav]").inner_text()
    assert "Review" in nav and "History" in nav
    assert not {"Team", "Audit", "Settings", "Accounts"} & set(nav.split())

    viewer.get_by_role("link", name="Publish").click()
    viewer.get_by_text("As a viewer, you may not publish pins here").wait_for()


def test_an_owners_role_change_applies_at_the_persons_next_click(team_studio, browser):
    base, data_dir = team_studio
    val, password = add_person(data_dir, "val@example.com", "Val Viewer", "viewer", PASSWORD)
    person = new_page(browser)
    sign_in(person, base, val.email, password, "compose")
    person.get_by_text("As a viewer, you may not compose pins here").wait_for()

    owner = new_page(browser)
    sign_in(owner, base, TEAM["owner"][0], PASSWORD, "team")
    owner.get_by_text("The same from the command line").wait_for()  # the page's last line: its run is done
    assert "Audit" in owner.locator("[data-testid=stSidebarNav]").inner_text()
    role = owner.locator(f".st-key-role_{val.id}").get_by_role("combobox")
    role.click()
    role.fill("editor")
    role.press("Enter")
    owner.get_by_text("Val Viewer is now editor").wait_for()

    person.get_by_role("link", name="Home").click()  # the next click, in the same session: no sign-in again
    person.get_by_role("link", name="Compose").click()
    person.get_by_role("button", name="Save draft").wait_for()
    expect(person.get_by_text("you may not compose")).to_have_count(0)
    assert "editor" in person.locator("[data-testid=stSidebar]").inner_text()


def test_a_session_survives_a_reload_and_ends_at_sign_out(team_studio, browser):
    base, data_dir = team_studio
    newcomer, one_time = add_person(data_dir, "nina@example.com", "Nina New", "editor")
    page = new_page(browser)
    sign_in(page, base, newcomer.email, one_time)
    page.get_by_label("One-time password").fill(one_time)
    page.get_by_label("New password", exact=True).fill("nina's own password")
    page.get_by_label("New password again").fill("nina's own password")
    page.get_by_role("button", name="Save my password").click()
    page.get_by_text("Signed in as").wait_for()
    # The cookie is written by the page's script once that run is drawn (Streamlit can't set one itself).
    page.wait_for_function("() => document.cookie.includes('pinstudio_session=')")

    page.reload()
    page.get_by_text("Signed in as").wait_for()  # the cookie brought the session back
    cookies = {c["name"]: c for c in page.context.cookies()}
    assert cookies["pinstudio_session"]["sameSite"] == "Lax" and cookies["pinstudio_session"]["expires"] > 0

    page.get_by_role("button", name="Sign out").click()
    page.get_by_role("button", name="Sign in", exact=True).wait_for()
    page.wait_for_function("() => !document.cookie.includes('pinstudio_session=')")
    page.reload()
    page.get_by_role("button", name="Sign in", exact=True).wait_for()  # still signed out after a reload
    assert "Signed in as" not in page.inner_text("body")
