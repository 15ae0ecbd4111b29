"""tus 1.0 (core, creation, termination, expiration) at /api/projects/<slug>/uploads/."""

from __future__ import annotations

import base64
import binascii
import re

from django.utils.http import http_date
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from konnaxion.core.errors import ApplicationError, UnsupportedMediaType, ValidationFailed
from konnaxion.files.incoming import max_upload_bytes
from konnaxion.keenkonnect.api.resource_views import LOCKED, PROJECT_SLUG, ProjectScoped
from konnaxion.keenkonnect.services import resumable_uploads as uploads

TUS_VERSION = "1.0.0"
TUS_HEADERS = {"Tus-Resumable": TUS_VERSION}
UPLOAD_ID = OpenApiParameter("upload_id", str, OpenApiParameter.PATH)
TUS_RESUMABLE = OpenApiParameter("Tus-Resumable", str, OpenApiParameter.HEADER, required=True)


class TusVersionUnsupported(ApplicationError):
    code = "tus_version_unsupported"
    status = 412
    message = "This server speaks tus 1.0.0 (Tus-Resumable: 1.0.0)."


def _number(value: str | None, name: str) -> int:
    if value is None or not re.fullmatch(r"\d{1,15}", value.strip()):
        raise ValidationFailed(details={"fields": {name: "a non-negative integer"}})
    return int(value)


def parse_metadata(header: str) -> dict[str, str]:
    """`Upload-Metadata`: comma-separated `key base64value` pairs."""
    metadata = {}
    for pair in filter(None, (part.strip() for part in header.split(","))):
        key, _, encoded = pair.partition(" ")
        try:
            value = base64.b64decode(encoded, validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError) as error:
            raise ValidationFailed(
                details={"fields": {"Upload-Metadata": f"{key} is not base64 UTF-8"}}
            ) from error
        if "\x00" in value or len(value) > 10_000:
            raise ValidationFailed(details={"fields": {"Upload-Metadata": f"{key} is invalid"}})
        metadata[key] = value
    return metadata


class TusView(ProjectScoped, APIView):
    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.project  # noqa: B018 - an invisible project answers 404 before anything else
        if request.method != "OPTIONS" and request.headers.get("Tus-Resumable") != TUS_VERSION:
            raise TusVersionUnsupported(details={"tus_version": TUS_VERSION})

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Tus-Resumable"] = TUS_VERSION
        response["Tus-Version"] = TUS_VERSION
        return response


class UploadCreateView(TusView):
    """tus creation: announce an upload's length and metadata; its URL is in `Location`."""

    def options(self, request: Request, *args, **kwargs) -> Response:
        return Response(
            status=204,
            headers={
                "Tus-Extension": "creation,termination,expiration",
                "Tus-Max-Size": str(max_upload_bytes()),
            },
        )

    @extend_schema(
        parameters=[
            PROJECT_SLUG,
            TUS_RESUMABLE,
            OpenApiParameter("Upload-Length", int, OpenApiParameter.HEADER, required=True),
            OpenApiParameter(
                "Upload-Metadata",
                str,
                OpenApiParameter.HEADER,
                description="filename (required), title, description, comment, label, note, "
                "resource, keep_checkout",
            ),
        ],
        request=None,
        responses={
            201: OpenApiResponse(description="Created; the upload's URL is in Location"),
            412: OpenApiResponse(description="Tus-Resumable is missing or not 1.0.0"),
            423: LOCKED,
        },
    )
    def post(self, request: Request, project_slug: str) -> Response:
        length = _number(request.headers.get("Upload-Length"), "Upload-Length")
        metadata = parse_metadata(request.headers.get("Upload-Metadata", ""))
        session = uploads.upload_session_create(
            project=self.project, user=request.user, length=length, metadata=metadata
        )
        location = request.build_absolute_uri(f"{session.pk}/")
        return Response(
            status=201,
            headers={
                "Location": location,
                "Upload-Expires": http_date(session.expires_at.timestamp()),
            },
        )


class UploadView(TusView):
    """tus core and termination: an upload's offset (HEAD), more bytes (PATCH), cancel (DELETE)."""

    def session(self):
        return uploads.upload_session_get(
            user=self.request.user, project=self.project, session_id=self.kwargs["upload_id"]
        )

    def head(self, request: Request, project_slug: str, upload_id) -> Response:
        session = self.session()
        return Response(
            status=200,
            headers={
                "Upload-Offset": str(session.offset),
                "Upload-Length": str(session.length),
                "Upload-Expires": http_date(session.expires_at.timestamp()),
                "Cache-Control": "no-store",
            },
        )

    @extend_schema(
        parameters=[
            PROJECT_SLUG,
            UPLOAD_ID,
            TUS_RESUMABLE,
            OpenApiParameter("Upload-Offset", int, OpenApiParameter.HEADER, required=True),
        ],
        request={"application/offset+octet-stream": OpenApiTypes.BINARY},
        responses={
            204: OpenApiResponse(description="Accepted; the new offset is in Upload-Offset"),
            412: OpenApiResponse(description="Tus-Resumable is missing or not 1.0.0"),
            423: LOCKED,
        },
    )
    def patch(self, request: Request, project_slug: str, upload_id) -> Response:
        if request.content_type.split(";")[0].strip() != "application/offset+octet-stream":
            raise UnsupportedMediaType("PATCH bodies are application/offset+octet-stream.")
        offset = _number(request.headers.get("Upload-Offset"), "Upload-Offset")
        session, resource, version = uploads.upload_session_append(
            session=self.session(), offset=offset, read=request._request.read
        )
        headers = {
            "Upload-Offset": str(session.offset),
            "Upload-Expires": http_date(session.expires_at.timestamp()),
        }
        if resource is not None:
            headers["Stockage-Resource"] = str(resource.pk)
            headers["Stockage-Version"] = str(version.number)
        return Response(status=204, headers=headers)

    @extend_schema(
        parameters=[PROJECT_SLUG, UPLOAD_ID, TUS_RESUMABLE],
        responses={
            204: None,
            412: OpenApiResponse(description="Tus-Resumable is missing or not 1.0.0"),
        },
    )
    def delete(self, request: Request, project_slug: str, upload_id) -> Response:
        uploads.upload_session_terminate(session=self.session())
        return Response(status=204)
