"""A call from posting to endorsements in Debian's Chromium (headless): the poster posts a
call with a question, someone applies with two artworks, a juror scores in a blind round, the
poster shortlists and accepts, and the two endorse each other."""

import re

import pytest
from playwright.sync_api import expect

from konnaxion.kreative.models import Endorsement, Opportunity, OpportunityApplication
from konnaxion.kreative.tests.factories import KreativeArtworkFactory, profile_for
from konnaxion.users.tests.factories import UserFactory
from konnaxion.web.tests.test_browser_projects import sign_in

pytestmark = pytest.mark.browser


def test_post_apply_review_accept_and_endorse(new_page):
    # given a poster, an applicant with two artworks, and a juror, each in their own browser
    lucia, noor, ines = (UserFactory(username=n) for n in ("lucia", "noor", "ines"))
    profile_for(noor, display_name="Noor Haddad", region="Brittany")
    profile_for(lucia, display_name="Lucía Ortega")
    KreativeArtworkFactory(artist=noor, title="Harbour at dawn")
    KreativeArtworkFactory(artist=noor, title="Cranes")
    poster, applicant, juror = (
        new_page(),
        new_page(viewport={"width": 390, "height": 844}),
        new_page(),
    )
    for page, user in ((poster, lucia), (applicant, noor), (juror, ines)):
        sign_in(page, user)

    # when lucia posts a call taking applications here, with a required question
    poster.goto("/connect/?tab=opportunities&post=1")
    form = poster.locator("form[enctype='multipart/form-data']")
    form.get_by_label("Type").select_option("call")
    form.get_by_label("Title").fill("Small works salon")
    form.get_by_label("Description").fill("Works under 30 cm.")
    form.get_by_label("Take applications here").check()
    form.get_by_label("Open to regions or countries").fill("Brittany, Wales")
    form.get_by_role("button", name="Post the opportunity").click()
    call = Opportunity.objects.get(title="Small works salon")
    poster.get_by_role("link", name="Review applications").click()
    poster.get_by_role("textbox", name="Question").fill("Sizes of the works")
    poster.get_by_label("Required").check()
    poster.get_by_role("button", name="Add the question").click()
    expect(poster.locator(".messages")).to_contain_text("The questions are saved.")

    # and noor applies from a phone-sized screen with both artworks, in her order
    applicant.goto(f"/connect/opportunities/{call.pk}/")
    applicant.get_by_role("link", name="Apply", exact=True).click()
    applicant.get_by_label("Statement").fill("Two small etchings.")
    applicant.get_by_label("Position of “Cranes”").fill("1")
    applicant.get_by_label("Position of “Harbour at dawn”").fill("2")
    applicant.get_by_label("Sizes of the works *").fill("20 x 15")
    applicant.get_by_role("button", name="Save the draft").click()
    expect(applicant.locator(".messages")).to_contain_text("Your draft is saved.")
    applicant.get_by_role("button", name="Submit the application").click()
    expect(applicant.locator(".messages")).to_contain_text("Your application is submitted.")
    application = OpportunityApplication.objects.get(applicant=noor)
    assert [a.artwork.title for a in application.artworks.all()] == ["Cranes", "Harbour at dawn"]

    # and lucia invites ines to the jury and opens a blind round
    poster.reload()
    poster.get_by_label("Username").fill("ines")
    poster.get_by_role("button", name="Invite to the jury").click()
    poster.get_by_label("Round name").fill("First look")
    poster.get_by_label("Blind review").check()
    poster.get_by_role("textbox", name="Criterion 1").fill("Craft")
    poster.get_by_role("button", name="Open the round").click()
    expect(poster.locator(".messages")).to_contain_text("The round is open")

    # then ines scores without learning who applied
    juror.goto(f"/connect/opportunities/{call.pk}/review/")
    juror.get_by_role("link", name=f"Applicant {application.pk}").click()
    expect(juror.locator("main")).not_to_contain_text("noor")
    expect(juror.locator("main")).not_to_contain_text("Noor Haddad")
    juror.get_by_role("group", name=re.compile("Craft")).get_by_label("4").check()
    juror.keyboard.press("Tab")
    juror.get_by_role("button", name="Save my scores").click()
    expect(juror.locator(".messages")).to_contain_text("Your scores are saved.")

    # when lucia shortlists and accepts noor
    poster.goto(f"/connect/applications/{application.pk}/")
    expect(poster.get_by_role("heading", level=1)).to_contain_text("Application of")
    poster.get_by_role("button", name="Shortlist").click()
    poster.get_by_role("button", name="Accept").click()
    expect(poster.locator(".messages")).to_contain_text("Accepted")

    # then noor sees it, and both endorse each other from the profiles' Reviews tab
    applicant.goto("/connect/applications/")
    expect(applicant.locator(".application-card")).to_contain_text("Accepted")
    for page, other, rating in ((applicant, "lucia", "5"), (poster, "noor", "4")):
        page.goto(f"/profile/{other}/?tab=reviews")
        page.get_by_label("Engagement").select_option(label="Application: Small works salon")
        page.get_by_label("Rating").select_option(rating)
        page.get_by_role("button", name="Send the endorsement").click()
        expect(page.locator(".messages")).to_contain_text("Thank you")
    assert (
        Endorsement.objects.filter(application=application, published_at__isnull=False).count() == 2
    )
