from django.contrib.auth.signals import user_logged_in
from django.http import FileResponse
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, status
from rest_framework.authtoken.models import Token
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from konnaxion.core.errors import Gone, NotFound
from konnaxion.files.services import blob_read
from konnaxion.users import selectors
from konnaxion.users.api.serializers import (
    AccountExportSerializer,
    TokenRequestSerializer,
    TokenSerializer,
    UserSerializer,
)
from konnaxion.users.models import AccountExport
from konnaxion.users.services import account_export_request


class TokenView(APIView):
    """Exchange a username and password for an API token (`Authorization: Token <key>`).

    Failures count towards the sign-in lockout (konnaxion/users/sign_in.py): past the limit the
    answer is 429 `too_many_attempts` with `Retry-After`.
    """

    authentication_classes = ()
    permission_classes = (permissions.AllowAny,)
    throttle_scope = "auth"

    @extend_schema(request=TokenRequestSerializer, responses=TokenSerializer)
    def post(self, request: Request) -> Response:
        serializer = TokenRequestSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        user = serializer.validated_data["user"]
        token, _ = Token.objects.get_or_create(user=user)
        # A token sign-in is a sign-in: it updates last_login and forgets the username's failed
        # attempts, as the web sign-in does.
        user_logged_in.send(sender=type(user), request=request._request, user=user)
        return Response(TokenSerializer({"token": token.key}).data)


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
        response = FileResponse(
            blob_read(blob=export.blob),
            as_attachment=True,
            filename=f"konnaxion-data-{export.created_at:%Y-%m-%d}.zip",
            content_type="application/zip",
        )
        response["Content-Length"] = str(export.blob.size)
        response["Cache-Control"] = "private, no-store"
        return response
