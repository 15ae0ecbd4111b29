"""/dev/mail/: the mails a DEBUG run wrote to its folder (Django's file backend), for staff."""

import pytest
from django.core.mail import EmailMessage
from django.test import Client

from konnaxion.users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def mailbox(settings, tmp_path):
    settings.DEBUG = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path)
    return tmp_path


def staff_client() -> Client:
    client = Client()
    client.force_login(UserFactory(is_staff=True))
    return client


def test_staff_read_the_mails_of_a_debug_run_and_follow_their_links(mailbox):
    # given
    EmailMessage(
        "Konnaxion: Password Reset",
        "Follow https://localhost:8000/accounts/password/reset/key/1-abc/ to reset.",
        "noreply@konnaxion.local",
        ["ada@example.org"],
    ).send()
    client = staff_client()
    # when
    listing = client.get("/dev/mail/")
    [name] = [path.name for path in mailbox.iterdir()]
    mail = client.get(f"/dev/mail/{name}/0/")
    # then
    assert listing.status_code == 200
    assert "Konnaxion: Password Reset" in listing.content.decode()
    assert f'href="/dev/mail/{name}/0/"' in listing.content.decode()
    assert mail.status_code == 200
    assert (
        '<a href="https://localhost:8000/accounts/password/reset/key/1-abc/"'
        in mail.content.decode()
    )
    assert "ada@example.org" in mail.content.decode()


@pytest.mark.parametrize("debug", [True, False])
@pytest.mark.parametrize("who", ["anonymous", "member", "staff"])
def test_nobody_else_sees_the_mailbox(mailbox, settings, debug, who):
    # given
    settings.DEBUG = debug
    EmailMessage("Secret link", "body", "noreply@konnaxion.local", ["ada@example.org"]).send()
    [name] = [path.name for path in mailbox.iterdir()]
    client = Client()
    if who != "anonymous":
        client.force_login(UserFactory(is_staff=who == "staff"))
    # when
    answers = [client.get("/dev/mail/"), client.get(f"/dev/mail/{name}/0/")]
    # then
    expected = 200 if (debug and who == "staff") else 404
    assert [answer.status_code for answer in answers] == [expected, expected]


def test_names_outside_the_folder_and_missing_mails_are_404(mailbox):
    # given
    (mailbox.parent / "outside.log").write_text("not a mail")
    client = staff_client()
    # when / then
    assert client.get("/dev/mail/..%2Foutside.log/0/").status_code == 404
    assert client.get("/dev/mail/missing.log/0/").status_code == 404


def test_with_a_mail_server_there_is_no_mailbox(settings):
    # given
    settings.DEBUG = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    # when
    response = staff_client().get("/dev/mail/")
    # then
    assert response.status_code == 404
