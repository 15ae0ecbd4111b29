"""PNG previews of a version, through the same permission path as downloads."""

from __future__ import annotations

import re

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.views import APIView

from konnaxion.core.errors import NotFound, ValidationFailed
from konnaxion.keenkonnect.api.downloads import blob_response
from konnaxion.keenkonnect.api.resource_views import (
    PROJECT_SLUG,
    RESOURCE_ID,
    ProjectScoped,
    ReadableByVisitors,
)
from konnaxion.keenkonnect.selectors import preview_of


class ResourcePreviewView(ProjectScoped, APIView):
    """`?size=256|1024&version=N`: the PNG preview made when the version was indexed."""

    permission_classes = [ReadableByVisitors]

    def perform_content_negotiation(self, request, force=False):
        return JSONRenderer(), JSONRenderer.media_type

    @extend_schema(
        parameters=[
            PROJECT_SLUG,
            RESOURCE_ID,
            OpenApiParameter("size", int, enum=[256, 1024], description="longest side (256)"),
            OpenApiParameter("version", int, description="A version number (default: current)"),
        ],
        responses={
            (200, "image/png"): OpenApiTypes.BINARY,
            304: OpenApiResponse(description="Not modified (If-None-Match)"),
        },
    )
    def get(self, request: Request, project_slug: str, resource_id: int):
        size = request.query_params.get("size", "256")
        number = request.query_params.get("version")
        if size not in ("256", "1024"):
            raise ValidationFailed(details={"fields": {"size": "256 or 1024"}})
        if number is not None and (not re.fullmatch(r"\d{1,9}", number) or int(number) < 1):
            raise ValidationFailed(details={"fields": {"version": "a version number"}})
        resource = self.resource()
        preview = preview_of(
            resource=resource, size=int(size), version_number=int(number) if number else None
        )
        if preview is None:
            raise NotFound("No preview of this version (yet).", code="preview_not_available")
        response = blob_response(
            preview.blob,
            file_name=f"preview-{preview.size}.png",
            content_type="image/png",
            range_header=None,
            if_none_match=request.headers.get("If-None-Match"),
        )
        response["Content-Disposition"] = "inline"
        return response
