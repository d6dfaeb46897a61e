"""In Chromium: with STUDIO_PASSWORD set, a first visit straight to a page's URL shows only the
sign-in form (no page content, no navigation), and the right password opens the studio."""

import pytest

from tests.support.browser import chromium_page, studio_server

pytestmark = pytest.mark.browser


def test_direct_visit_to_a_page_is_gated_until_the_password_is_given(data_dir):
    env = {"STUDIO_DATA_DIR": str(data_dir), "STUDIO_ENV_FILE": "", "STUDIO_PASSWORD": "correct horse battery"}
    with studio_server(env) as base, chromium_page() as page:
        page.goto(f"{base}/review")  # the first visit of a fresh server, not through the home page
        page.get_by_role("button", name="Unlock").wait_for()
        body = page.inner_text("body")
        assert "Bulk actions" not in body and "Compose" not in body and "copy panel" not in body
        page.get_by_label("Password", exact=True).fill("wrong guess")
        page.get_by_role("button", name="Unlock").click()
        page.get_by_text("That password is not right").wait_for()
        page.get_by_label("Password", exact=True).fill("correct horse battery")
        page.get_by_role("button", name="Unlock").click()
        page.get_by_text("Compose").first.wait_for()
        page.goto(f"{base}/review")
        page.get_by_role("button", name="Unlock").wait_for()  # a new browser session asks again
