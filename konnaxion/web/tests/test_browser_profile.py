"""A profile in Debian's Chromium (headless) under the ASGI server: the picture and the artworks
display, the Portfolio filters by tag, the Reviews tab shows the rating summary and the subject
replies."""

import pytest
from playwright.sync_api import expect

from konnaxion.kreative.models import Endorsement
from konnaxion.kreative.services.artworks import artwork_update
from konnaxion.kreative.services.partner_recommendation import endorsement_create
from konnaxion.kreative.tests.factories import (
    KreativeArtworkFactory,
    ended_session,
    png_bytes,
    png_upload,
    profile_for,
)
from konnaxion.users.tests.factories import UserFactory
from konnaxion.web.tests.test_browser_projects import sign_in

pytestmark = pytest.mark.browser


def displayed(image) -> bool:
    """True once the browser has decoded the picture (a broken image has no natural width)."""
    image.scroll_into_view_if_needed()
    return image.evaluate("img => img.complete && img.naturalWidth > 0")


@pytest.fixture
def noor():
    noor = UserFactory(username="noor")
    harbour = KreativeArtworkFactory(
        artist=noor, title="Harbour", media_file__data=png_bytes(160, 120, (20, 60, 160))
    )
    forest = KreativeArtworkFactory(
        artist=noor, title="Forest", media_file__data=png_bytes(160, 120, (30, 140, 60))
    )
    artwork_update(artwork=harbour, actor=noor, tags=["seascape", "etching"])
    artwork_update(artwork=forest, actor=noor, tags=["woodcut"])
    profile_for(noor, display_name="Noor Haddad", avatar=png_upload("me.png", 200, 200))
    return noor


def test_pictures_display_and_the_portfolio_filters_by_tag(page, noor):
    # given an anonymous visitor, who may see a public profile
    stylesheets = []
    page.on(
        "response",
        lambda r: stylesheets.append(r.status) if r.url.endswith(".css") else None,
    )
    # when
    page.goto("/profile/noor/")
    # then the picture and both artworks are decoded by the browser, and the styles load
    expect(page.get_by_role("heading", level=1)).to_have_text("Noor Haddad")
    assert displayed(page.locator("img.avatar"))
    expect(page.locator(".artwork-grid img")).to_have_count(2)
    for title in ("Harbour", "Forest"):
        assert displayed(page.get_by_role("img", name=title))
    assert stylesheets and set(stylesheets) == {200}

    # when the visitor picks a tag
    page.get_by_role("navigation", name="Filter by tag").get_by_role(
        "link", name="seascape"
    ).click()
    # then only the works with it remain, and the filter says which tag is on
    expect(page.locator(".artwork-grid h3")).to_have_text(["Harbour"])
    expect(page.get_by_role("link", name="seascape", exact=True).first).to_have_attribute(
        "aria-current", "true"
    )
    # and a tag of an artwork card filters as well
    page.get_by_role("link", name="All", exact=True).click()
    page.locator(".artwork").filter(has_text="Forest").get_by_role("link", name="woodcut").click()
    expect(page.locator(".artwork-grid h3")).to_have_text(["Forest"])


def test_a_hidden_profiles_picture_is_not_shown_to_others(page, noor):
    # given
    profile_for(noor, visibility="hidden")
    # when
    answer = page.request.get("/api/profiles/noor/avatar/")
    # then
    assert answer.status == 404
    assert answer.json()["error"]["code"] == "not_found"


def test_reviews_show_the_rating_summary_and_the_subject_replies(page, noor):
    # given endorsements both ways after a session (so both are published)
    ada = UserFactory(username="ada")
    profile_for(ada)
    profile_for(noor, skills=["etching"])
    session = ended_session(host=ada, participants=[noor])
    praise = endorsement_create(
        author=ada, subject=noor, session=session, rating=4, skills=["etching"], comment="Precise."
    )
    endorsement_create(author=noor, subject=ada, session=session, rating=5)
    sign_in(page, noor)
    # when noor opens her Reviews tab
    page.goto("/profile/noor/")
    page.get_by_role("link", name="Reviews").click()
    # then the summary and the endorsement show
    expect(page.locator(".rating-summary")).to_contain_text(
        "Average rating 4.0 out of 5, from 1 endorsements"
    )
    expect(page.locator(".rating-summary")).to_contain_text("etching (1)")
    endorsement = page.locator(".endorsement").filter(has_text="Precise.")
    expect(endorsement).to_contain_text("4 out of 5")
    # when she replies
    endorsement.get_by_label("Reply to ada").fill("Thank you, Ada.")
    endorsement.get_by_role("button", name="Publish the reply").click()
    # then the reply is published in place of the form
    expect(page.locator(".messages")).to_contain_text("Your reply is published.")
    expect(page.locator(".endorsement .reply")).to_contain_text("Thank you, Ada.")
    expect(page.get_by_role("button", name="Publish the reply")).to_have_count(0)
    assert Endorsement.objects.get(pk=praise.pk).reply == "Thank you, Ada."
