"""The notification centre's pages through Django's test client: the bell, the list, marking
read, the email settings, the watch buttons, and the refusals."""

from __future__ import annotations

import pytest
from django.test import Client

from konnaxion.notifications.models import Kind, Notification, NotificationSetting, Watch
from konnaxion.notifications.services.watching import watch_add
from konnaxion.notifications.tests.helpers import members_project, upload_version
from konnaxion.users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def client_of(user, language: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


@pytest.fixture
def scene(django_capture_on_commit_callbacks):
    """The mentor watches the document and has one unread notification of a new version."""
    project, users, document = members_project()
    watch_add(user=users["mentor"], target=document)
    with django_capture_on_commit_callbacks(execute=True):
        upload_version(document, users["collaborator"], "v2")
    return project, users, document


def test_the_bell_shows_the_unread_count_to_signed_in_people_only(scene):
    _project, users, _document = scene
    page = client_of(users["mentor"]).get("/").content.decode()
    assert "data-notification-bell" in page
    assert 'aria-label="Notifications, 1 unread"' in page
    assert "web/notifications.js" in page
    assert 'aria-live="polite"' in page
    anonymous = Client().get("/").content.decode()
    assert "data-notification-bell" not in anonymous


@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        ("en", "uploaded version 2 of “Plan”."),
        ("fr", "a déposé la version 2 de « Plan »."),
        ("es", "subió la versión 2 de «Plan»."),
        ("ar", "الإصدار 2 من «Plan»."),
    ],
)
def test_the_list_speaks_the_readers_language(scene, language, sentence):
    _project, users, _document = scene
    response = client_of(users["mentor"], language).get("/notifications/")
    assert response.status_code == 200
    assert sentence in response.content.decode()


def test_marking_one_read_opens_it_and_marking_all_read(scene, django_capture_on_commit_callbacks):
    project, users, document = scene
    client = client_of(users["mentor"])
    notice = Notification.objects.get(recipient=users["mentor"])
    # when: "Open"
    response = client.post(f"/notifications/{notice.pk}/read/", {"open": "1"})
    # then
    assert response.status_code == 302
    assert response["Location"] == f"/projects/{project.slug}/blueprints/{document.pk}/"
    notice.refresh_from_db()
    assert notice.read_at is not None
    # when another one arrives and all are marked read
    with django_capture_on_commit_callbacks(execute=True):
        upload_version(document, users["owner"], "v3")
    assert "Mark all as read" in client.get("/notifications/").content.decode()
    client.post("/notifications/read-all/")
    assert not Notification.objects.filter(recipient=users["mentor"], read_at=None).exists()
    page = client.get("/notifications/").content.decode()
    assert "Nothing unread." in page and "Mark all as read" not in page


def test_an_empty_list_says_so():
    page = client_of(UserFactory()).get("/notifications/").content.decode()
    assert "No notifications yet." in page
    unread = client_of(UserFactory()).get("/notifications/?unread=1").content.decode()
    assert "No unread notifications." in unread


def test_someone_elses_notification_is_not_found_and_anonymous_visitors_sign_in(scene):
    _project, users, _document = scene
    notice = Notification.objects.get(recipient=users["mentor"])
    assert client_of(users["owner"]).post(f"/notifications/{notice.pk}/read/").status_code == 404
    notice.refresh_from_db()
    assert notice.read_at is None
    for path in ("/notifications/", "/notifications/settings/"):
        response = Client().get(path)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert Client().post("/watch/", {}).status_code == 302


def test_the_settings_page_saves_a_channel_per_kind():
    user = UserFactory()
    client = client_of(user, "fr")
    page = client.get("/notifications/settings/").content.decode()
    assert "Réglages des notifications" in page and "Résumé quotidien" in page
    # every kind (the form asks for each), a few of them set apart
    data = {kind: "immediate" for kind in Kind.values} | {
        "version_added": "off",
        "comment_added": "digest",
        "permission_changed": "digest",
        "share_link_used": "off",
        "upload_link_received": "digest",
        "saved_search_daily": "digest",
        "opportunity_closing_soon": "off",
    }
    assert client.post("/notifications/settings/", data).status_code == 302
    assert NotificationSetting.objects.get(user=user, kind="version_added").email == "off"
    assert user.notification_preference.language == "fr"
    # bad input: 400, nothing more changed
    bad = client.post("/notifications/settings/", {**data, "mentioned": "weekly"})
    assert bad.status_code == 400
    assert not NotificationSetting.objects.filter(user=user, kind="mentioned", email="weekly")


def test_the_watch_buttons_watch_and_unwatch_what_one_sees(scene):
    project, users, document = scene
    client = client_of(users["mentor"])
    page = client.get(f"/projects/{project.slug}/blueprints/{document.pk}/").content.decode()
    assert "Stop watching this document" in page
    project_page = client.get(f"/projects/{project.slug}/").content.decode()
    assert "Watch this project" in project_page
    # when
    client.post("/watch/", {"target_type": "document", "target_id": document.pk})
    client.post("/watch/", {"target_type": "project", "target_id": project.pk, "watch": "on"})
    # then
    targets = set(Watch.objects.filter(user=users["mentor"]).values_list("target_id", flat=True))
    assert targets == {project.pk}
    # an outsider cannot watch what they do not see
    outsider = client_of(UserFactory())
    response = outsider.post(
        "/watch/", {"target_type": "document", "target_id": document.pk, "watch": "on"}
    )
    assert response.status_code == 404
    assert not Watch.objects.exclude(user__in=users.values()).exists()
