"""/api/notifications/ and /api/watches/: one's own only; others' ids 404; anonymous 401."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from konnaxion.keenkonnect.services.team import project_member_remove
from konnaxion.keenkonnect.tests.stockage import client_for
from konnaxion.notifications.models import Kind, Notification, NotificationSetting, Watch
from konnaxion.notifications.services.watching import watch_add
from konnaxion.notifications.tests.helpers import members_project, upload_version
from konnaxion.notifications.texts import DEFAULT_CHANNELS
from konnaxion.users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene(django_capture_on_commit_callbacks):
    """The mentor watches the document and was told of two new versions."""
    project, users, document = members_project()
    watch_add(user=users["mentor"], target=document)
    with django_capture_on_commit_callbacks(execute=True):
        upload_version(document, users["owner"], "v2")
    with django_capture_on_commit_callbacks(execute=True):
        upload_version(document, users["collaborator"], "v3")
    return project, users, document


def test_the_list_is_ones_own_newest_first_with_the_unread_filter_and_count(scene):
    # given
    project, users, document = scene
    client = client_for(users["mentor"])
    newest, older = Notification.objects.filter(recipient=users["mentor"]).order_by("-id")
    Notification.objects.filter(pk=older.pk).update(read_at=older.created_at)
    # when
    everything = client.get("/api/notifications/", HTTP_ACCEPT_LANGUAGE="en")
    unread = client.get("/api/notifications/?unread=true")
    count = client.get("/api/notifications/unread-count/")
    # then
    assert everything.status_code == 200
    body = everything.json()
    assert body["count"] == 2
    assert [n["id"] for n in body["results"]] == [newest.pk, older.pk]
    first = body["results"][0]
    assert first["kind"] == Kind.VERSION_ADDED
    assert first["actor"] == users["collaborator"].username
    assert first["text"] == f"{users['collaborator'].name} uploaded version 3 of “Plan”."
    assert first["url"] == f"/projects/{project.slug}/blueprints/{document.pk}/"
    assert [n["id"] for n in unread.json()["results"]] == [newest.pk]
    assert count.json() == {"unread": 1}
    # the owner (watching since version 1) sees their own notification of v3, not the mentor's
    owners = client_for(users["owner"]).get("/api/notifications/").json()["results"]
    assert [n["id"] for n in owners] == [Notification.objects.get(recipient=users["owner"]).pk]


def test_marking_read_one_then_all(scene):
    _project, users, _document = scene
    client = client_for(users["mentor"])
    first = Notification.objects.filter(recipient=users["mentor"]).first()
    # when
    response = client.post(f"/api/notifications/{first.pk}/read/")
    # then
    assert response.status_code == 200 and response.json()["read"] is True
    assert client.get("/api/notifications/unread-count/").json() == {"unread": 1}
    assert client.post("/api/notifications/read-all/").json() == {"marked": 1}
    assert client.get("/api/notifications/unread-count/").json() == {"unread": 0}


def test_someone_elses_notification_is_not_found(scene):
    _project, users, _document = scene
    theirs = Notification.objects.filter(recipient=users["mentor"]).first()
    for path in (
        f"/api/notifications/{theirs.pk}/read/",
        "/api/notifications/99999999999999/read/",
    ):
        response = client_for(users["owner"]).post(path)
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_a_notification_about_what_one_lost_is_not_found(scene):
    project, users, _document = scene
    mine = Notification.objects.filter(recipient=users["mentor"]).first()
    project_member_remove(project=project, user=users["mentor"], actor=users["owner"])
    client = client_for(users["mentor"])
    assert client.get("/api/notifications/").json()["count"] == 0
    assert client.post(f"/api/notifications/{mine.pk}/read/").status_code == 404


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/notifications/"),
        ("get", "/api/notifications/unread-count/"),
        ("post", "/api/notifications/1/read/"),
        ("post", "/api/notifications/read-all/"),
        ("get", "/api/notifications/settings/"),
        ("put", "/api/notifications/settings/"),
        ("get", "/api/watches/"),
        ("post", "/api/watches/"),
        ("delete", "/api/watches/1/"),
    ],
)
def test_anonymous_visitors_are_told_to_sign_in(method, path):
    response = getattr(APIClient(), method)(path)
    assert response.status_code == 401


def test_settings_show_the_defaults_and_change_only_valid_channels():
    user = UserFactory()
    client = client_for(user)
    # when
    shown = client.get("/api/notifications/settings/").json()["channels"]
    # then
    assert shown == {kind.value: channel.value for kind, channel in DEFAULT_CHANNELS.items()}
    assert shown["mentioned"] == "immediate" and shown["version_added"] == "digest"
    # when
    changed = client.put(
        "/api/notifications/settings/",
        {"channels": {"version_added": "off", "mentioned": "digest"}},
        format="json",
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    # then
    assert changed.status_code == 200
    assert changed.json()["channels"]["version_added"] == "off"
    assert changed.json()["channels"]["mentioned"] == "digest"
    assert user.notification_preference.language == "fr"
    # and bad input changes nothing
    for bad in (
        {"channels": {"version_added": "weekly"}},
        {"channels": {"nonsense": "off"}},
        {"channels": ["off"]},
        {"channels": {"mentioned": 3}},
        {},
    ):
        response = client.put("/api/notifications/settings/", bad, format="json")
        assert response.status_code == 400, bad
        assert response.json()["error"]["code"] == "invalid"
    assert NotificationSetting.objects.filter(user=user).count() == 2


def test_watches_are_created_listed_and_deleted_only_for_what_one_sees(scene):
    project, users, document = scene
    outsider = UserFactory()
    mentor = client_for(users["mentor"])
    # when
    created = mentor.post(
        "/api/watches/", {"target_type": "project", "target_id": project.pk}, format="json"
    )
    refused = client_for(outsider).post(
        "/api/watches/", {"target_type": "document", "target_id": document.pk}, format="json"
    )
    unknown = mentor.post("/api/watches/", {"target_type": "user", "target_id": 1}, format="json")
    # then
    assert created.status_code == 201
    assert created.json()["target_type"] == "project"
    assert refused.status_code == 404
    assert unknown.status_code == 400
    assert not Watch.objects.filter(user=outsider).exists()
    listed = mentor.get("/api/watches/").json()["results"]
    assert {(w["target_type"], w["target_id"]) for w in listed} == {
        ("project", project.pk),
        ("document", document.pk),
    }
    watch_id = created.json()["id"]
    assert client_for(outsider).delete(f"/api/watches/{watch_id}/").status_code == 404
    assert mentor.delete(f"/api/watches/{watch_id}/").status_code == 204
    assert mentor.delete(f"/api/watches/{watch_id}/").status_code == 404


@pytest.mark.parametrize("rows", [2, 30])
def test_the_list_costs_the_same_queries_for_2_or_30_rows(
    rows, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    _project, users, document = members_project()
    watch_add(user=users["mentor"], target=document)
    for index in range(rows):
        with django_capture_on_commit_callbacks(execute=True):
            upload_version(document, users["owner"], f"v{index}")
    client = client_for(users["mentor"])
    with django_assert_max_num_queries(8):
        response = client.get("/api/notifications/?page_size=50")
    assert len(response.json()["results"]) == rows


def test_the_schema_names_the_endpoints():
    schema = client_for(UserFactory()).get("/api/schema/?format=json").json()
    for path in (
        "/api/notifications/",
        "/api/notifications/{notification_id}/read/",
        "/api/notifications/read-all/",
        "/api/notifications/settings/",
        "/api/watches/",
    ):
        assert path in schema["paths"], path
