"""Comments on the document page through Django's test client: threads with their author,
version marker and anchor, the forms (comment, pin, reply, resolve, reopen, edit, delete), the
fragment the script refreshes, and the refusals (outsider, level none, removed member)."""

import pytest

from konnaxion.keenkonnect.models import DocumentComment
from konnaxion.keenkonnect.services import document_comments
from konnaxion.keenkonnect.services.team import project_member_remove
from konnaxion.keenkonnect.tests.files import png_bytes, stl_binary_bytes
from konnaxion.web.tests.test_blueprints_pages import (
    as_seen_by,
    client_of,
    document,
    second_version,
    team,  # noqa: F401 (a fixture)
)

pytestmark = pytest.mark.django_db


def page(resource) -> str:
    return f"/projects/{resource.project.slug}/blueprints/{resource.pk}/"


def comment(resource, user, body, **extra):
    return document_comments.comment_create(
        resource=as_seen_by(resource, user), actor=user, body=body, **extra
    ).comment


def test_the_page_shows_threads_with_author_version_and_anchor(team):  # noqa: F811
    # given a thread pinned on page 3 of version 1, a reply, then a second version
    project, people = team
    resource = document(project, people["owner"])
    thread = comment(resource, people["reader"], "Check the bolt", anchor={"page": 3})
    comment(resource, people["owner"], "Fixed", parent_id=thread.pk)
    second_version(resource, people["writer"])
    # when
    response = client_of(people["writer"]).get(page(resource))
    # then
    html = response.content.decode()
    assert response.status_code == 200
    shown = html.split(f'id="comment-{thread.pk}"')[1].split('class="comment-actions"')[0]
    assert "<bdi>rita</bdi>" in shown and "Check the bolt" in shown
    assert "on version 1" in shown and "page 3" in shown and "Fixed" in shown
    assert 'src="/static/web/comments.js"' in html
    assert f'data-project-ws-url="/ws/projects/{project.slug}/"' in html


def test_a_model_point_is_shown_in_millimetres_and_an_image_area_as_a_marker(team):  # noqa: F811
    project, people = team
    part = document(project, people["owner"], "part.stl", stl_binary_bytes(3))
    comment(part, people["owner"], "Here", anchor={"point": [12, 4, 7]})
    photo = document(project, people["owner"], "photo.png", png_bytes())
    pinned = comment(
        photo, people["owner"], "Corner", anchor={"rect": {"x": 0.5, "y": 0, "w": 0.25, "h": 0.5}}
    )
    client = client_of(people["reader"])
    assert "point (12, 4, 7) mm" in client.get(page(part)).content.decode()
    html = client.get(page(photo)).content.decode()
    marker = 'data-rect="0.5000 0.0000 0.2500 0.5000" data-marker="1"'
    assert f'id="comment-{pinned.pk}" data-comment-id="{pinned.pk}" {marker}' in html
    assert "an area of the image" in html


def test_a_member_comments_with_a_pin_by_a_form_post(team):  # noqa: F811
    # given
    project, people = team
    resource = document(project, people["owner"])
    data = {
        "body": "@olga look",
        "page": "2",
        "left": "10",
        "top": "20",
        "width": "30",
        "height": "5",
    }
    # when
    response = client_of(people["reader"]).post(f"{page(resource)}comments/new/", data)
    # then
    saved = DocumentComment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{page(resource)}#comment-{saved.pk}"
    assert saved.anchor == {
        "kind": "page",
        "page": 2,
        "rect": {"x": 0.1, "y": 0.2, "w": 0.3, "h": 0.05},
    }
    assert [person.username for person in saved.mentions.all()] == ["olga"]


@pytest.mark.parametrize(
    "data",
    [
        {"body": ""},
        {"body": "x", "left": "10"},
        {"body": "x", "x": "1", "y": "2", "z": "3"},
        {"body": "x", "left": "90", "top": "0", "width": "20", "height": "10"},
    ],
)
def test_a_bad_comment_form_says_why_and_saves_nothing(team, data):  # noqa: F811
    project, people = team
    resource = document(project, people["owner"])
    client = client_of(people["reader"])
    response = client.post(f"{page(resource)}comments/new/", data, follow=True)
    assert response.status_code == 200
    assert "The comment was not saved" in response.content.decode()
    assert DocumentComment.objects.count() == 0


def test_reply_resolve_reopen_edit_and_delete_by_forms(team):  # noqa: F811
    # given
    project, people = team
    resource = document(project, people["owner"])
    thread = comment(resource, people["reader"], "Question")
    client = client_of(people["writer"])
    base = f"{page(resource)}comments/"
    # when / then
    client.post(f"{base}new/", {"body": "Answer", "parent": thread.pk})
    assert thread.replies.get().body == "Answer"
    client.post(f"{base}{thread.pk}/resolve/")
    thread.refresh_from_db()
    assert (thread.resolved_by, thread.resolved_at is not None) == (people["writer"], True)
    assert "Resolved by <bdi>walt</bdi>" in client.get(page(resource)).content.decode()
    client.post(f"{base}{thread.pk}/reopen/")
    thread.refresh_from_db()
    assert thread.resolved_at is None
    # someone else's comment: no edit (403), the author edits
    assert client.post(f"{base}{thread.pk}/edit/", {"body": "Hacked"}).status_code == 403
    client_of(people["reader"]).post(f"{base}{thread.pk}/edit/", {"body": "Question, edited"})
    thread.refresh_from_db()
    assert thread.body == "Question, edited"
    # delete asks first (data-confirm), leaves a placeholder while replies remain
    html = client_of(people["reader"]).get(page(resource)).content.decode()
    assert 'data-confirm="Delete this comment?"' in html
    client_of(people["reader"]).post(f"{base}{thread.pk}/delete/")
    assert "Comment deleted" in client.get(page(resource)).content.decode()


@pytest.mark.parametrize("who", ["outsider", "none", "removed"])
def test_those_who_may_not_read_the_document_get_404_everywhere(team, who):  # noqa: F811
    # given
    project, people = team
    resource = document(project, people["owner"])
    thread = comment(resource, people["owner"], "Private remark")
    person = people["outsider"]
    if who == "none":
        person = people["reader"]
        from konnaxion.keenkonnect.models import AccessLevel, DocumentAccess

        DocumentAccess.objects.create(resource=resource, user=person, level=AccessLevel.NONE)
    elif who == "removed":
        person = people["writer"]
        project_member_remove(project=project, user=person, actor=people["owner"])
    client = client_of(person)
    base = f"{page(resource)}comments/"
    # then
    assert client.get(base).status_code == 404
    assert client.post(f"{base}new/", {"body": "hi"}).status_code == 404
    for action in ("resolve", "reopen", "delete"):
        assert client.post(f"{base}{thread.pk}/{action}/").status_code == 404
    assert client.post(f"{base}{thread.pk}/edit/", {"body": "x"}).status_code == 404
    found = client.get("/search/", {"q": "private", "kind": "comment"}).content.decode()
    assert "Private remark" not in found and "<mark>Private</mark>" not in found
    assert list(DocumentComment.objects.values_list("body", "resolved_at")) == [
        ("Private remark", None)
    ]


def test_the_search_page_links_a_comment_to_its_document(team):  # noqa: F811
    project, people = team
    resource = document(project, people["owner"])
    thread = comment(resource, people["owner"], "The flange needs welding")
    html = client_of(people["reader"]).get("/search/", {"q": "flange"}).content.decode()
    assert f'href="{page(resource)}#comment-{thread.pk}"' in html


def test_anonymous_visitors_of_a_public_project_read_comments_and_are_asked_to_sign_in(team):  # noqa: F811
    from django.test import Client

    project, people = team
    project.visibility = "public"
    project.save(update_fields=["visibility"])
    resource = document(project, people["owner"])
    comment(resource, people["owner"], "Open remark")
    html = Client().get(page(resource)).content.decode()
    assert "Open remark" in html and "Sign in to comment." in html
    response = Client().post(f"{page(resource)}comments/new/", {"body": "x"})
    assert response.status_code == 302 and "login" in response["Location"]
    assert DocumentComment.objects.count() == 1
