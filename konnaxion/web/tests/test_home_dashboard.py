"""The signed-in home page: one's projects with their latest activity, rooms, unread
notifications, people suggestions and opportunities closing soon, each with an empty state."""

from datetime import timedelta

import pytest
from django.utils import timezone

from konnaxion.keenkonnect.models import ProjectTeam
from konnaxion.keenkonnect.services.granular_permissions import access_entries_replace
from konnaxion.keenkonnect.services.team import project_member_add
from konnaxion.keenkonnect.tests.factories import project_for
from konnaxion.kreative.services.collab_sessions import collab_session_end, collab_session_start
from konnaxion.kreative.services.opportunity_announcement import opportunity_close
from konnaxion.kreative.services.professional_profile import block_create
from konnaxion.kreative.tests.factories import opportunity_for
from konnaxion.users.tests.factories import UserFactory
from konnaxion.web.tests.test_blueprints_pages import as_seen_by, document, second_version
from konnaxion.web.tests.test_comment_pages import comment
from konnaxion.web.tests.test_projects_pages import client_of

pytestmark = pytest.mark.django_db


def block(html: str, title_id: str) -> str:
    """The part of the page in the section labelled by `title_id`."""
    start = html.index(f'aria-labelledby="{title_id}"')
    return html[start : html.index("</section>", start)]


def item(html: str, title: str) -> str:
    """The list item of the block `html` whose heading is `title`."""
    [found] = [part for part in html.split("<li ")[1:] if f"<bdi>{title}</bdi></a></h3>" in part]
    return found


def test_a_newcomer_sees_an_empty_state_with_an_action_in_every_block():
    # given someone with nothing yet
    client = client_of(UserFactory(username="nina"))
    # when
    html = client.get("/").content.decode()
    # then
    assert "Welcome, nina" in html
    assert "Make things together" not in html
    projects = block(html, "home-projects-title")
    assert "You are not on any project yet." in projects
    assert 'href="/projects/?tab=create"' in projects
    assert "Nothing unread." in block(html, "home-notifications-title")
    rooms = block(html, "home-rooms-title")
    assert "You have no room yet." in rooms and 'href="/connect/?tab=workspace"' in rooms
    people = block(html, "home-people-title")
    assert "No suggestion for now." in people and 'href="/connect/?tab=people"' in people
    opportunities = block(html, "home-opportunities-title")
    assert "No open opportunity closes in the next 14 days." in opportunities
    assert 'href="/connect/?tab=opportunities"' in opportunities


def test_my_projects_show_the_latest_activity_i_may_read(django_capture_on_commit_callbacks):
    # given two projects of olga's with walt on their teams
    olga, walt, rita = (UserFactory(username=name) for name in ("olga", "walt", "rita"))
    bench = project_for(creator=olga, title="Bench", visibility="members")
    shelf = project_for(creator=olga, title="Shelf", visibility="members")
    for project in (bench, shelf):
        project_member_add(project=project, user=walt, role=ProjectTeam.Role.COLLABORATOR)
    project_member_add(project=bench, user=rita, role=ProjectTeam.Role.COLLABORATOR)
    # a version of a bench plan by walt, then rita's comment on it
    plan = document(bench, olga, name="bench-plan.pdf")
    second_version(plan, walt)
    comment(plan, rita, "The legs look short.")
    # a shelf plan, then a secret one hidden from walt, uploaded last
    document(shelf, olga, name="shelf-plan.pdf")
    secret = document(shelf, olga, name="secret.pdf")
    access_entries_replace(
        resource=as_seen_by(secret, olga), entries=[{"user": "walt", "level": "none"}], actor=olga
    )
    # when walt opens the home page
    html = client_of(walt).get("/").content.decode()
    # then each project says what last happened to the documents he may read
    projects = block(html, "home-projects-title")
    bench_item, shelf_item = item(projects, "Bench"), item(projects, "Shelf")
    assert "<bdi>rita</bdi> commented on" in bench_item
    assert f'href="/projects/{bench.slug}/blueprints/{plan.pk}/"' in bench_item
    assert "Version 1 of" in shelf_item and "uploaded by <bdi>olga</bdi>" in shelf_item
    assert "secret" not in projects
    assert "Your role: Collaborator" in projects


def test_rooms_notifications_and_opportunities_closing_soon(django_capture_on_commit_callbacks):
    # given rita's rooms, one ended
    rita, olga, blocked = UserFactory(username="rita"), UserFactory(), UserFactory()
    ended = collab_session_start(host=rita, name="Old mural", session_type="painting")
    collab_session_end(session=ended, actor=rita)
    collab_session_start(host=rita, name="Night studio", session_type="painting")
    # an invitation to a project, unread
    with django_capture_on_commit_callbacks(execute=True):
        project_member_add(project=project_for(creator=olga, title="Kiln"), user=rita, actor=olga)
    # opportunities: closing in 3 days, in 30 days, closed, and one by someone she blocked
    now = timezone.now()
    opportunity_for(title="Glass residency", deadline=now + timedelta(days=3))
    opportunity_for(title="Far away call", deadline=now + timedelta(days=30))
    closed = opportunity_for(title="Closed call", deadline=now + timedelta(days=2))
    opportunity_close(opportunity=closed, actor=closed.posted_by)
    opportunity_for(posted_by=blocked, title="Hidden call", deadline=now + timedelta(days=1))
    block_create(blocker=rita, blocked=blocked)
    # when
    html = client_of(rita).get("/").content.decode()
    # then the open room comes first
    rooms = block(html, "home-rooms-title")
    assert rooms.index("Night studio") < rooms.index("Old mural")
    notifications = block(html, "home-notifications-title")
    assert "added you to the project “Kiln”." in notifications
    assert 'href="/notifications/?unread=1"' in notifications
    opportunities = block(html, "home-opportunities-title")
    assert "Glass residency" in opportunities
    for absent in ("Far away call", "Closed call", "Hidden call"):
        assert absent not in opportunities


def test_visitors_still_see_what_konnaxion_is(client):
    html = client.get("/").content.decode()
    assert "Make things together, keep every version" in html
    assert "home-projects-title" not in html


@pytest.mark.parametrize("rows", [2, 50])
def test_the_home_page_query_count_does_not_grow_with_rows(
    rows, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    # given `rows` of everything the home page shows
    me = UserFactory()
    now = timezone.now()
    for number in range(rows):
        owner = UserFactory()
        project = project_for(creator=owner, title=f"Stool {number}")
        with django_capture_on_commit_callbacks(execute=True):
            project_member_add(project=project, user=me, actor=owner)
        plan = document(project, owner, name=f"stool-{number}.pdf")
        comment(plan, owner, "Sanded?")
        collab_session_start(host=me, name=f"Room {number}", session_type="painting")
        opportunity_for(posted_by=owner, deadline=now + timedelta(days=1 + number % 10))
    client = client_of(me)
    client.get("/")  # the first visit computes the suggestions, as /connect would
    # then
    with django_assert_max_num_queries(18):
        assert client.get("/").status_code == 200
