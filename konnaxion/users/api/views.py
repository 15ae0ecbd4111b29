from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.http import FileResponse
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, permissions, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from konnaxion.core.errors import Gone, NotFound
from konnaxion.users import selectors, tokens
from konnaxion.users.api.downloads import export_zip_response
from konnaxion.users.api.serializers import (
    AccountExportSerializer,
    NewPersonalTokenSerializer,
    PersonalTokenCreateSerializer,
    PersonalTokenSerializer,
    TokenRequestSerializer,
    UserSerializer,
)
from konnaxion.users.models import AccountExport, PersonalToken
from konnaxion.users.second_factor import INCORRECT, SecondFactorRequired, second_factor_verify
from konnaxion.users.services import account_export_request

TOKEN_ID = OpenApiParameter("token_id", int, OpenApiParameter.PATH)


def _new_token_body(made: tokens.NewToken) -> dict:
    made.token.token = made.key  # type: ignore[attr-defined]
    return NewPersonalTokenSerializer(made.token).data


class TokenView(APIView):
    """Exchange a username and password for a new personal API token (`Authorization: Token
    <key>`), named `name` ("API token" unless given), expiring in `expires_in_days` or never,
    read-only if asked. Once the account has two-factor authentication, `code` is required
    too (403 `second_factor_required`).

    Failures (a wrong password, a wrong code) count towards the sign-in lockout
    (konnaxion/users/sign_in.py): past the limit the answer is 429 `too_many_attempts` with
    `Retry-After`.
    """

    authentication_classes = ()
    permission_classes = (permissions.AllowAny,)
    throttle_scope = "auth"

    @extend_schema(request=TokenRequestSerializer, responses=NewPersonalTokenSerializer)
    def post(self, request: Request) -> Response:
        serializer = TokenRequestSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        user = data["user"]
        try:
            second_factor_verify(user=user, code=data["code"])
        except SecondFactorRequired as refusal:
            if refusal.details["reason"] == INCORRECT:
                # A wrong code is a failed sign-in: the lockout counts it like a wrong password.
                user_login_failed.send(
                    sender=__name__,
                    credentials={"username": data["username"]},
                    request=request._request,
                )
            raise
        made = tokens.personal_token_create(
            owner=user,
            name=data["name"],
            expires_in_days=data.get("expires_in_days"),
            read_only=data["read_only"],
        )
        # A token sign-in is a sign-in: it updates last_login and forgets the username's failed
        # attempts, as the web sign-in does.
        user_logged_in.send(sender=type(user), request=request._request, user=user)
        return Response(_new_token_body(made))


class PersonalTokenListView(generics.GenericAPIView):
    """The caller's personal tokens, newest first, revoked and expired ones too (never their
    keys); make a new one (its key is in this answer only)."""

    serializer_class = PersonalTokenSerializer
    queryset = PersonalToken.objects.none()

    @extend_schema(responses=PersonalTokenSerializer(many=True))
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(selectors.personal_tokens_of(owner=request.user))
        return self.get_paginated_response(PersonalTokenSerializer(page, many=True).data)

    @extend_schema(
        request=PersonalTokenCreateSerializer, responses={201: NewPersonalTokenSerializer}
    )
    def post(self, request: Request) -> Response:
        serializer = PersonalTokenCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        made = tokens.personal_token_create(
            owner=request.user,
            name=data["name"],
            expires_in_days=data.get("expires_in_days"),
            read_only=data["read_only"],
        )
        return Response(_new_token_body(made), status=status.HTTP_201_CREATED)


class PersonalTokenDetailView(APIView):
    """Revoke one of the caller's tokens: it stops working at once and stays listed, marked
    revoked. Someone else's token is 404."""

    @extend_schema(parameters=[TOKEN_ID], responses={204: None})
    def delete(self, request: Request, token_id: int) -> Response:
        tokens.personal_token_revoke(owner=request.user, token_id=token_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeView(APIView):
    """The signed-in user."""

    @extend_schema(responses=UserSerializer)
    def get(self, request: Request) -> Response:
        return Response(UserSerializer(request.user).data)


def _export_body(request: Request, export: AccountExport | None) -> dict:
    if export is None:
        return {
            "state": "none",
            "progress": 0,
            "size": None,
            "created_at": None,
            "expires_at": None,
            "download_url": None,
        }
    downloadable = selectors.export_downloadable(export=export)
    expired = export.state == AccountExport.State.READY and not downloadable
    return AccountExportSerializer(
        {
            "state": "expired" if expired else export.state,
            "progress": export.progress,
            "size": export.size,
            "created_at": export.created_at,
            "expires_at": export.expires_at,
            "download_url": request.build_absolute_uri(
                reverse("account-export-download", args=[export.pk])
            )
            if downloadable
            else None,
        }
    ).data


class AccountExportView(APIView):
    """The signed-in person's data export: GET its state, POST to start a new one (202; 409
    `export_running` while one is being made)."""

    @extend_schema(responses=AccountExportSerializer)
    def get(self, request: Request) -> Response:
        return Response(_export_body(request, selectors.export_current(user=request.user)))

    @extend_schema(request=None, responses={202: AccountExportSerializer})
    def post(self, request: Request) -> Response:
        export = account_export_request(user=request.user)
        return Response(_export_body(request, export), status=status.HTTP_202_ACCEPTED)


class AccountExportDownloadView(APIView):
    """The export's ZIP: its owner only (404 for anyone else), 410 `export_expired` after
    it expired."""

    @extend_schema(responses={(200, "application/zip"): OpenApiTypes.BINARY})
    def get(self, request: Request, pk: int) -> FileResponse:
        export = (
            selectors.exports_of(user=request.user).select_related("blob").filter(pk=pk).first()
        )
        if export is None:
            raise NotFound("No such export.")
        if not selectors.export_downloadable(export=export) or export.blob is None:
            raise Gone("This export has expired.", code="export_expired")
        return export_zip_response(export=export)
