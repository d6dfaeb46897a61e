"""In Chromium, single sign-on through a real OpenID Connect provider on loopback: the provider's user
lands signed in as the studio account with the same verified email; an unknown or unverified email is
refused, and nothing of the studio shows."""

import pytest

from studio import people
from studio.services import open_store
from tests.support.browser import new_page

pytestmark = pytest.mark.browser


def through_the_provider(page, base: str, issuer: str, subject: str) -> None:
    """Click the studio's single sign-on button and sign in at the provider as `subject`."""
    page.goto(base)
    page.get_by_role("button", name="Sign in with Company SSO").click(timeout=90_000)
    page.wait_for_url(f"{issuer}/**")
    page.locator("input[name=sub]").fill(subject)
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(f"{base}/**")


def test_the_providers_user_signs_in_as_the_account_with_that_verified_email(sso_studio, browser):
    base, issuer, data_dir = sso_studio
    page = new_page(browser)
    through_the_provider(page, base, issuer, "rita")
    page.get_by_text("Signed in as").wait_for()
    assert "Rita Reviewer · reviewer" in page.locator("[data-testid=stSidebar]").inner_text()
    page.reload()
    page.get_by_text("Signed in as").wait_for()  # the session outlives the page

    store = open_store(data_dir / "studio.db")
    try:
        (entry, *_) = people.audit_entries(store, action="sign_in")
        assert entry.target == "rita@example.com" and entry.detail["method"] == "sso"
    finally:
        store.close()


@pytest.mark.parametrize(
    ("subject", "said"),
    [("stranger", "There is no studio account for stranger@example.com"), ("mallory", "did not confirm the email")],
)
def test_an_unknown_or_unverified_email_is_refused(sso_studio, browser, subject, said):
    base, issuer, _ = sso_studio
    page = new_page(browser)
    through_the_provider(page, base, issuer, subject)
    page.get_by_text(said).wait_for()
    page.get_by_role("button", name="Use another account").wait_for()
    body = page.inner_text("body")
    assert "Signed in as" not in body and "Compose" not in body
