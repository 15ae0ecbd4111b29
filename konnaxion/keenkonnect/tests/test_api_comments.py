"""Comments on document versions over the API: threads, anchors, mentions, resolve, delete, and
every refusal (outsider 404, level none, removed member), search and query counts."""

from __future__ import annotations

import pytest

from konnaxion.keenkonnect.models import DocumentComment, Project, ProjectEvent
from konnaxion.keenkonnect.services.intelligent_indexing import resource_index
from konnaxion.keenkonnect.services.team import project_member_remove
from konnaxion.keenkonnect.tests.analysis_files import multipage_pdf
from konnaxion.keenkonnect.tests.files import pdf_bytes, png_bytes, stl_binary_bytes
from konnaxion.keenkonnect.tests.stockage import client_for, new_version, team_project, upload
from konnaxion.users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _document(project, users, name="plan.pdf", content=None):
    content = content if content is not None else pdf_bytes("Plan")
    response = upload(client_for(users["owner"]), project, name, content, title="Plan")
    assert response.status_code == 201, response.json()
    return response.json()["id"]


def _comments(project, resource_id, cid=None):
    base = f"/api/projects/{project.slug}/resources/{resource_id}/comments/"
    return base if cid is None else f"{base}{cid}/"


def _post(user, project, resource_id, **data):
    return client_for(user).post(_comments(project, resource_id), data, format="json")


def _entry(project, users, resource_id, name, level):
    response = client_for(users["owner"]).put(
        f"/api/projects/{project.slug}/resources/{resource_id}/permissions/",
        {"entries": [{"user": users[name].username, "level": level}]},
        format="json",
    )
    assert response.status_code == 200, response.json()


def test_a_reader_comments_on_a_pdf_page_and_replies_form_a_thread():
    # given
    project, users = team_project()
    plan = _document(project, users)
    # when a mentor (read level) pins a comment on page 2, and the owner replies
    rect = {"x": 0.1, "y": 0.2, "w": 0.3, "h": 0.25}
    first = _post(
        users["mentor"], project, plan, body="Check  this", anchor={"page": 2, "rect": rect}
    )
    assert first.status_code == 201, first.json()
    reply = _post(users["owner"], project, plan, body="Done", parent=first.json()["id"])
    assert reply.status_code == 201, reply.json()
    # then
    listed = client_for(users["collaborator"]).get(_comments(project, plan)).json()["results"]
    assert len(listed) == 1
    thread = listed[0]
    assert (thread["author"], thread["body"], thread["version"]) == (
        users["mentor"].username,
        "Check  this",
        1,
    )
    assert thread["anchor"] == {"kind": "page", "page": 2, "rect": rect}
    assert [(r["author"], r["body"], r["parent"]) for r in thread["replies"]] == [
        (users["owner"].username, "Done", thread["id"])
    ]
    # a reply to a reply is refused, and nothing is written
    again = _post(users["owner"], project, plan, body="No", parent=reply.json()["id"])
    assert again.status_code == 400
    assert DocumentComment.objects.count() == 2


@pytest.mark.parametrize(
    ("name", "content", "anchor"),
    [
        ("plan.pdf", pdf_bytes("Plan"), {"page": 0}),
        ("plan.pdf", pdf_bytes("Plan"), {"page": "1"}),
        ("plan.pdf", pdf_bytes("Plan"), {"rect": {"x": 0, "y": 0, "w": 0.5, "h": 0.5}}),
        ("plan.pdf", pdf_bytes("Plan"), {"page": 1, "rect": {"x": 0.8, "y": 0, "w": 0.5, "h": 1}}),
        ("photo.png", png_bytes(), {"page": 1}),
        ("photo.png", png_bytes(), {"rect": {"x": 0, "y": 0, "w": 0, "h": 0.5}}),
        ("photo.png", png_bytes(), {"rect": {"x": -0.1, "y": 0, "w": 0.5, "h": 0.5}}),
        ("photo.png", png_bytes(), {"rect": {"x": 0, "y": 0, "w": 0.5}}),
        ("photo.png", png_bytes(), "top left"),
        ("part.stl", stl_binary_bytes(3), {"point": [1, 2]}),
        ("part.stl", stl_binary_bytes(3), {"point": [1, 2, "3"]}),
        ("part.stl", stl_binary_bytes(3), {"point": [1, 2, 1e300]}),
        ("part.stl", stl_binary_bytes(3), {"rect": {"x": 0, "y": 0, "w": 0.5, "h": 0.5}}),
    ],
)
def test_an_anchor_of_the_wrong_shape_is_a_400_and_writes_nothing(name, content, anchor):
    # given
    project, users = team_project()
    document = _document(project, users, name, content)
    events = ProjectEvent.objects.count()
    # when
    response = _post(users["collaborator"], project, document, body="Here", anchor=anchor)
    # then
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"
    assert DocumentComment.objects.count() == 0
    assert ProjectEvent.objects.count() == events


@pytest.mark.parametrize(
    ("name", "content", "anchor", "stored"),
    [
        (
            "photo.png",
            png_bytes(),
            {"rect": {"x": 0.5, "y": 0.5, "w": 0.5, "h": 0.5}},
            {"kind": "rect", "rect": {"x": 0.5, "y": 0.5, "w": 0.5, "h": 0.5}},
        ),
        (
            "part.stl",
            stl_binary_bytes(3),
            {"point": [12, 4.5, -7]},
            {"kind": "point", "point": [12.0, 4.5, -7.0]},
        ),
    ],
)
def test_image_rectangles_and_model_points_are_kept(name, content, anchor, stored):
    project, users = team_project()
    document = _document(project, users, name, content)
    response = _post(users["collaborator"], project, document, body="Here", anchor=anchor)
    assert response.status_code == 201, response.json()
    assert response.json()["anchor"] == stored


def test_a_page_past_the_end_of_an_indexed_pdf_is_refused():
    # given a two-page PDF, indexed (its page count is known)
    project, users = team_project()
    plan = _document(project, users, "plan.pdf", multipage_pdf(["One", "Two"]))
    resource_index(resource_id=plan, version_number=1)
    # then page 2 is taken, page 3 is not
    assert _post(users["mentor"], project, plan, body="ok", anchor={"page": 2}).status_code == 201
    refused = _post(users["mentor"], project, plan, body="no", anchor={"page": 3})
    assert refused.status_code == 400
    assert refused.json()["error"]["details"]["fields"] == {
        "anchor.page": "a page number from 1 to 2"
    }
    assert DocumentComment.objects.count() == 1


def test_an_empty_or_too_long_body_is_refused():
    project, users = team_project()
    plan = _document(project, users)
    assert _post(users["owner"], project, plan, body="   ").status_code == 400
    assert _post(users["owner"], project, plan, body="x" * 5001).status_code == 400
    assert DocumentComment.objects.count() == 0


def test_only_readers_who_are_named_count_as_mentioned():
    # given: the mentor reads the plan, the collaborator's entry hides it, a stranger exists
    project, users = team_project(visibility=Project.Visibility.MEMBERS)
    plan = _document(project, users)
    _entry(project, users, plan, "collaborator", "none")
    stranger = UserFactory(username="stranger")
    body = (
        f"@{users['mentor'].username}, @{users['collaborator'].username} and @stranger "
        "and @nobody-at-all, see mail me@example.org."
    )
    # when
    response = _post(users["owner"], project, plan, body=body)
    # then
    assert response.status_code == 201
    assert response.json()["mentions"] == [users["mentor"].username]
    comment = DocumentComment.objects.get()
    assert list(comment.mentions.all()) == [users["mentor"]]
    assert stranger not in comment.mentions.all()


def test_outsiders_none_level_and_removed_members_see_nothing_and_write_nothing():
    # given a members-only project with a thread
    project, users = team_project(visibility=Project.Visibility.MEMBERS)
    plan = _document(project, users)
    thread = _post(users["owner"], project, plan, body="Secret remark").json()["id"]
    outsider = UserFactory()
    _entry(project, users, plan, "mentor", "none")
    project_member_remove(project=project, user=users["collaborator"], actor=users["owner"])
    for person in (outsider, users["mentor"], users["collaborator"]):
        client = client_for(person)
        # then: every path answers as for nothing
        assert client.get(_comments(project, plan)).status_code == 404
        assert client.get(_comments(project, plan, thread)).status_code == 404
        assert (
            client.post(_comments(project, plan), {"body": "hi"}, format="json").status_code == 404
        )
        assert (
            client.patch(_comments(project, plan, thread), {"body": "x"}, format="json").status_code
            == 404
        )
        assert client.delete(_comments(project, plan, thread)).status_code == 404
        assert client.post(f"{_comments(project, plan, thread)}resolve/").status_code == 404
        search = client.get("/api/search/", {"q": "secret", "kind": "comment"})
        assert search.status_code == 200
        assert search.json()["results"] == []
    assert DocumentComment.objects.get().body == "Secret remark"
    assert DocumentComment.objects.get().resolved_at is None


def test_anonymous_visitors_read_a_public_documents_comments_but_do_not_write():
    from rest_framework.test import APIClient

    project, users = team_project()
    plan = _document(project, users)
    _post(users["owner"], project, plan, body="Public remark")
    visitor = APIClient()
    assert visitor.get(_comments(project, plan)).json()["count"] == 1
    assert visitor.post(_comments(project, plan), {"body": "x"}, format="json").status_code == 401
    assert DocumentComment.objects.count() == 1


def test_edit_and_delete_are_the_authors_and_admins_may_delete_any():
    # given
    project, users = team_project()
    plan = _document(project, users)
    thread = _post(users["mentor"], project, plan, body="Mine").json()["id"]
    url = _comments(project, plan, thread)
    # when someone else edits: 403, the author edits: 200
    assert (
        client_for(users["collaborator"]).patch(url, {"body": "x"}, format="json").status_code
        == 403
    )
    edited = client_for(users["mentor"]).patch(url, {"body": "Mine, edited"}, format="json")
    assert edited.status_code == 200
    assert edited.json()["body"] == "Mine, edited" and edited.json()["edited_at"]
    # a collaborator may not delete it, the owner (admin) may
    assert client_for(users["collaborator"]).delete(url).status_code == 403
    assert client_for(users["owner"]).delete(url).status_code == 204
    assert DocumentComment.objects.count() == 0


def test_a_deleted_thread_with_replies_stays_as_a_placeholder_until_its_last_reply_goes():
    # given
    project, users = team_project()
    plan = _document(project, users)
    thread = _post(users["mentor"], project, plan, body="Question @" + users["owner"].username)
    thread = thread.json()["id"]
    reply = _post(users["owner"], project, plan, body="Answer", parent=thread).json()["id"]
    # when the thread's author deletes it
    assert client_for(users["mentor"]).delete(_comments(project, plan, thread)).status_code == 204
    # then
    shown = client_for(users["owner"]).get(_comments(project, plan)).json()["results"][0]
    assert (shown["deleted"], shown["body"], shown["mentions"]) == (True, "", [])
    assert len(shown["replies"]) == 1
    # it cannot be edited any more; the last reply going takes the placeholder with it
    edit = client_for(users["mentor"]).patch(
        _comments(project, plan, thread), {"body": "back"}, format="json"
    )
    assert edit.status_code == 404
    assert client_for(users["owner"]).delete(_comments(project, plan, reply)).status_code == 204
    assert DocumentComment.objects.count() == 0


def test_resolve_and_reopen_say_who_and_when_and_filter_the_list():
    # given
    project, users = team_project()
    plan = _document(project, users)
    first = _post(users["owner"], project, plan, body="One").json()["id"]
    _post(users["owner"], project, plan, body="Two")
    client = client_for(users["mentor"])
    # when
    resolved = client.post(f"{_comments(project, plan, first)}resolve/")
    # then
    assert resolved.status_code == 200
    assert resolved.json()["resolved_by"] == users["mentor"].username
    assert resolved.json()["resolved_at"]
    listing = _comments(project, plan)
    assert [t["body"] for t in client.get(listing, {"state": "resolved"}).json()["results"]] == [
        "One"
    ]
    assert [t["body"] for t in client.get(listing, {"state": "open"}).json()["results"]] == ["Two"]
    reopened = client.post(f"{_comments(project, plan, first)}reopen/")
    assert (reopened.json()["resolved_at"], reopened.json()["resolved_by"]) == (None, None)
    assert client.get(listing, {"state": "bogus"}).status_code == 400
    types = list(ProjectEvent.objects.values_list("type", flat=True).order_by("seq"))
    assert types[-2:] == ["comment.resolved", "comment.reopened"]


def test_threads_of_older_versions_are_carried_forward_with_their_version():
    # given a thread on version 1, then a second version
    project, users = team_project()
    plan = _document(project, users)
    _post(users["owner"], project, plan, body="On the first", anchor={"page": 1})
    response = new_version(client_for(users["owner"]), project, plan, "plan.pdf", pdf_bytes("B"))
    assert response.status_code == 201
    _post(users["owner"], project, plan, body="On the second")
    # then the list has both, each with its version; filters by version
    client = client_for(users["mentor"])
    threads = client.get(_comments(project, plan)).json()["results"]
    assert [(t["body"], t["version"]) for t in threads] == [
        ("On the first", 1),
        ("On the second", 2),
    ]
    only = client.get(_comments(project, plan), {"version": 1}).json()["results"]
    assert [t["body"] for t in only] == ["On the first"]
    # a comment may be made on an older version, not on one that does not exist
    assert _post(users["owner"], project, plan, body="Old", version=1).json()["version"] == 1
    assert _post(users["owner"], project, plan, body="Far", version=9).status_code == 400


def test_search_finds_comment_text_only_for_readers():
    # given
    project, users = team_project(visibility=Project.Visibility.MEMBERS)
    plan = _document(project, users)
    _post(users["owner"], project, plan, body="The gusset plate is too thin")
    _entry(project, users, plan, "mentor", "none")
    # then
    found = client_for(users["collaborator"]).get("/api/search/", {"q": "gusset"}).json()
    assert [(r["kind"], r["title"]) for r in found["results"]] == [("comment", "Plan")]
    assert "<mark>gusset</mark>" in found["results"][0]["snippet"]
    assert client_for(users["mentor"]).get("/api/search/", {"q": "gusset"}).json()["count"] == 0
    assert client_for(UserFactory()).get("/api/search/", {"q": "gusset"}).json()["count"] == 0


@pytest.mark.parametrize("threads", [2, 50])
def test_the_list_costs_the_same_for_2_threads_or_50(threads, django_assert_max_num_queries):
    # given
    project, users = team_project()
    plan = _document(project, users)
    for number in range(threads):
        thread = _post(users["owner"], project, plan, body=f"@{users['mentor'].username} {number}")
        _post(users["mentor"], project, plan, body="ok", parent=thread.json()["id"])
    client = client_for(users["mentor"])
    # then
    with django_assert_max_num_queries(9):
        response = client.get(_comments(project, plan), {"page_size": 50})
    assert response.status_code == 200
    assert len(response.json()["results"]) == threads


@pytest.mark.parametrize("matches", [2, 50])
def test_searching_comments_costs_the_same_for_2_matches_or_50(
    matches, django_assert_max_num_queries
):
    # given
    project, users = team_project()
    plan = _document(project, users)
    for number in range(matches):
        _post(users["owner"], project, plan, body=f"Weld seam {number}")
    client = client_for(users["mentor"])
    # when: the token, the documents' estimate and matches (none: no ranking), profiles,
    # opportunities, the comments' ranked page and the details of the page's comments, projects
    with django_assert_max_num_queries(8):
        response = client.get("/api/search/", {"q": "seam", "page_size": 100})
    # then
    assert response.json()["count"] == matches
    assert {r["kind"] for r in response.json()["results"]} == {"comment"}
