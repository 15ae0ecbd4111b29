"""Closing an account: no sign-in, no working token, and every socket it had open closed at
once."""

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.contrib.admin.sites import AdminSite
from django.test import RequestFactory
from rest_framework.test import APIClient

from config.asgi import application
from konnaxion.core.consumers import CLOSE_UNAUTHENTICATED
from konnaxion.core.tests.sockets import refused, socket_open
from konnaxion.users.admin import UserAdmin
from konnaxion.users.models import PersonalToken, User
from konnaxion.users.services import user_deactivate
from konnaxion.users.tests.factories import UserFactory, token_for


def _headers(token: str) -> list:
    return [
        (b"origin", b"http://localhost"),
        (b"host", b"localhost"),
        (b"authorization", f"Token {token}".encode()),
    ]


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_every_open_socket_of_a_closed_account_is_closed():
    # given: two sockets of the account, one of someone else
    user, other = await database_sync_to_async(lambda: (UserFactory(), UserFactory()))()
    token, other_token = await database_sync_to_async(lambda: (token_for(user), token_for(other)))()
    first = WebsocketCommunicator(application, "/ws/ping/", headers=_headers(token))
    second = WebsocketCommunicator(application, "/ws/ping/", headers=_headers(token))
    bystander = WebsocketCommunicator(application, "/ws/ping/", headers=_headers(other_token))
    for communicator in (first, second, bystander):
        assert (await communicator.connect())[0]
    # when
    await database_sync_to_async(lambda: user_deactivate(user=user))()
    # then
    for communicator in (first, second):
        closed = await communicator.receive_output(timeout=5)
        assert closed == {"type": "websocket.close", "code": CLOSE_UNAUTHENTICATED}
    await bystander.send_json_to({"still": "here"})
    assert (await bystander.receive_json_from(timeout=5))["type"] == "pong"
    await bystander.disconnect()
    # and the account can neither open a new socket nor use its token
    again = WebsocketCommunicator(application, "/ws/ping/", headers=_headers(token))
    assert await socket_open(again) == refused(CLOSE_UNAUTHENTICATED)


@pytest.mark.django_db
def test_a_closed_account_has_its_tokens_revoked_and_loses_api_access():
    # given
    user = UserFactory()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_for(user)}")
    assert client.get("/api/users/me/").status_code == 200
    # when
    user_deactivate(user=user)
    # then
    assert not PersonalToken.objects.filter(owner=user, revoked_at__isnull=True).exists()
    assert not User.objects.get(pk=user.pk).is_active
    assert client.get("/api/users/me/").status_code == 401


@pytest.mark.django_db
def test_unticking_active_in_the_admin_closes_the_account_the_same_way():
    # given
    staff = UserFactory(is_staff=True, is_superuser=True)
    user = UserFactory()
    token_for(user)
    admin = UserAdmin(User, AdminSite())
    request = RequestFactory().post("/admin/")
    request.user = staff
    form = admin.get_form(request, user, change=True)(
        instance=user,
        data={
            "username": user.username,
            "email": user.email,
            "date_joined_0": "2026-01-01",
            "date_joined_1": "00:00:00",
            "is_active": "",
        },
    )
    assert form.is_valid(), form.errors
    # when
    admin.save_model(request, form.save(commit=False), form, change=True)
    # then
    assert not PersonalToken.objects.filter(owner=user, revoked_at__isnull=True).exists()
    assert not User.objects.get(pk=user.pk).is_active
