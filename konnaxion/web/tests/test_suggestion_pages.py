"""The People tab's suggestions panel: reasons, follow and dismiss in place, the purpose switch."""

import re

import pytest
from django.urls import reverse

from konnaxion.kreative.models import Follow, SuggestionDismissal
from konnaxion.kreative.services.professional_profile import block_create
from konnaxion.kreative.tests.factories import profile_for
from konnaxion.users.models import User
from konnaxion.users.tests.factories import UserFactory
from konnaxion.web.tests.test_connect_pages import signed_in

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def suggested(html: str) -> list[str]:
    """Usernames in the panel, in its order."""
    panel = html[html.index('id="suggestions"') :]
    panel = panel[: panel.index("</section>")]
    return re.findall(r'<li class="suggestion".*?<bdi>@([^<]+)</bdi>', panel, re.S)


@pytest.fixture
def etchers():
    """ada etches; noor and lin etch too (lin also shares a rarer skill), sam welds."""
    ada = UserFactory(username="ada")
    profile_for(ada, skills=["etching", "cyanotype"])
    profile_for(UserFactory(username="noor"), skills=["etching"], display_name="Noor Haddad")
    profile_for(UserFactory(username="lin"), skills=["etching", "cyanotype"])
    profile_for(UserFactory(username="sam"), skills=["welding"])
    return ada


def test_the_panel_shows_suggestions_with_their_reasons(etchers):
    # when
    html = signed_in(etchers).get("/connect/", {"tab": "people"}).content.decode()
    # then the best match comes first, each with the reason and both buttons
    assert suggested(html)[:2] == ["lin", "noor"]
    assert "shares 2 skills: cyanotype, etching" in html
    assert "shares 1 skill: etching" in html
    assert "Follow lin" in html and "Dismiss lin" in html
    assert 'aria-label="Why lin is suggested"' in html
    assert "ada" not in suggested(html)


def test_the_panel_words_the_reasons_in_the_language_picked_on_the_site(etchers):
    # given
    client = signed_in(etchers)
    client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    # when
    html = client.get("/connect/", {"tab": "people"}).content.decode()
    followed = client.post("/connect/suggestions/lin/follow/", **HTMX).content.decode()
    # then: singular and plural, on the page and in the panel htmx brings back
    assert '<html lang="fr"' in html
    assert "<li><bdi>partage 2 compétences : cyanotype, etching</bdi></li>" in html
    assert "<li><bdi>partage 1 compétence : etching</bdi></li>" in html
    assert "shares" not in html
    assert "<li><bdi>partage 1 compétence : etching</bdi></li>" in followed


def test_the_panel_words_the_reasons_in_arabic_with_the_dual(etchers):
    # when: the browser asks for Arabic
    html = signed_in(etchers).get("/connect/", {"tab": "people"}, HTTP_ACCEPT_LANGUAGE="ar")
    html = html.content.decode()
    # then: two skills take the dual (no digit), one skill the singular with "one"
    assert '<html lang="ar" dir="rtl">' in html
    assert "<li><bdi>مهارتان مشتركتان: cyanotype، etching</bdi></li>" in html
    assert "<li><bdi>مهارة مشتركة واحدة: etching</bdi></li>" in html


def test_anonymous_visitors_are_asked_to_sign_in(client, etchers):
    html = client.get("/connect/").content.decode()
    assert "Sign in to see the people suggested for you." in html
    assert suggested(html) == []


def test_following_a_suggestion_replaces_it_with_the_next_one(etchers, settings):
    # given a panel of one
    settings.AI_SUGGESTION_TOP_N = 1
    client = signed_in(etchers)
    assert suggested(client.get("/connect/").content.decode()) == ["lin"]
    # when
    answer = client.post("/connect/suggestions/lin/follow/", {"purpose": "follow"}, **HTMX)
    # then the panel comes back with the next person in the free place
    html = answer.content.decode()
    assert answer.status_code == 200
    assert html.startswith('<section class="card suggestions" id="suggestions"')
    assert "You follow lin." in html
    assert suggested(html) == ["noor"]
    assert Follow.objects.filter(follower=etchers, followee__username="lin").exists()


def test_following_a_suggestion_also_turns_that_persons_button_in_the_people_list(etchers):
    # given the People tab, where lin's card says "Follow lin"
    client = signed_in(etchers)
    lin = User.objects.get(username="lin")
    page = client.get("/connect/?tab=people").content.decode()
    card = page[page.index('<ul class="person-list">') :]
    assert f'<div class="follow" id="follow-{lin.pk}">' in card
    # when she follows lin from the panel
    html = client.post(
        "/connect/suggestions/lin/follow/", {"purpose": "follow"}, **HTMX
    ).content.decode()
    # then after the panel comes lin's button, now "Unfollow", swapped out of band by htmx
    panel_end = html.index("</section>") + len("</section>")
    button = html[panel_end:]
    assert button.strip().startswith(
        f'<div class="follow" id="follow-{lin.pk}" hx-swap-oob="true">'
    )
    assert "Unfollow lin" in button and 'name="action" value="unfollow"' in button
    assert 'name="next" value="/connect/?tab=people&amp;purpose=follow"' in button
    # and the panel listens for follows made from the cards, to render itself again
    assert 'hx-trigger="follows-changed from:body"' in html[:panel_end]


def test_a_refused_follow_sends_no_button(etchers):
    html = signed_in(etchers).post("/connect/suggestions/ada/follow/", **HTMX).content.decode()
    assert "You cannot follow yourself." in html
    assert "hx-swap-oob" not in html


def test_dismissing_a_suggestion_replaces_it_with_the_next_one(etchers, settings):
    # given
    settings.AI_SUGGESTION_TOP_N = 1
    client = signed_in(etchers)
    # when
    html = client.post("/connect/suggestions/lin/dismiss/", **HTMX).content.decode()
    # then
    assert "lin will not be suggested to you for 90 days." in html
    assert suggested(html) == ["noor"]
    assert SuggestionDismissal.objects.filter(viewer=etchers, dismissed__username="lin").exists()
    assert not Follow.objects.exists()


def test_without_htmx_follow_and_dismiss_come_back_to_the_people_tab(etchers):
    # given
    client = signed_in(etchers)
    # when
    followed = client.post("/connect/suggestions/lin/follow/", {"purpose": "collaborate"})
    dismissed = client.post("/connect/suggestions/noor/dismiss/", follow=True)
    # then
    assert followed.status_code == 302
    assert followed["Location"] == "/connect/?tab=people&purpose=collaborate"
    html = dismissed.content.decode()
    assert "noor will not be suggested to you for 90 days." in html
    assert "lin" not in suggested(html) and "noor" not in suggested(html)


def test_the_purpose_switch_renders_the_panel_for_working_together(etchers):
    # given
    client = signed_in(etchers)
    # when
    panel = client.get("/connect/suggestions/", {"purpose": "collaborate"}, **HTMX)
    plain = client.get("/connect/suggestions/", {"purpose": "collaborate"})
    unknown = client.get("/connect/suggestions/", {"purpose": "marry"}, **HTMX)
    # then
    html = panel.content.decode()
    assert re.search(r'purpose=collaborate"[^>]*aria-current="true"', html)
    assert suggested(html)[:2] == ["lin", "noor"]
    assert plain.status_code == 302
    assert plain["Location"] == "/connect/?tab=people&purpose=collaborate"
    assert re.search(r'purpose=follow"[^>]*aria-current="true"', unknown.content.decode())


def test_anonymous_follow_and_dismiss_go_to_sign_in_and_change_nothing(client, etchers):
    # when
    followed = client.post("/connect/suggestions/lin/follow/", **HTMX)
    dismissed = client.post("/connect/suggestions/lin/dismiss/")
    # then
    assert followed.status_code == dismissed.status_code == 302
    assert followed["Location"].startswith("/accounts/login/")
    assert not Follow.objects.exists() and not SuggestionDismissal.objects.exists()


def test_unknown_and_blocked_people_are_404_and_oneself_is_refused(etchers):
    # given
    troll = UserFactory(username="troll")
    block_create(blocker=troll, blocked=etchers)
    client = signed_in(etchers)
    # when
    answers = [
        client.post("/connect/suggestions/nobody/follow/", **HTMX),
        client.post("/connect/suggestions/nobody/dismiss/", **HTMX),
        client.post("/connect/suggestions/troll/follow/", **HTMX),
        client.post("/connect/suggestions/troll/dismiss/", **HTMX),
    ]
    myself = client.post("/connect/suggestions/ada/dismiss/", **HTMX)
    # then
    assert [answer.status_code for answer in answers] == [404] * 4
    assert "You are never suggested to yourself." in myself.content.decode()
    assert not Follow.objects.exists() and not SuggestionDismissal.objects.exists()


def test_the_panel_only_takes_post_for_changes(etchers):
    client = signed_in(etchers)
    assert client.get("/connect/suggestions/lin/follow/").status_code == 405
    assert client.post("/connect/suggestions/").status_code == 405
