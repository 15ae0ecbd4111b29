"""The diff of two versions of a document, and the picture of what changed between two images."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from konnaxion.keenkonnect.api.downloads import blob_response
from konnaxion.keenkonnect.api.resource_views import (
    PROJECT_SLUG,
    RESOURCE_ID,
    ProjectScoped,
    ReadableByVisitors,
)
from konnaxion.keenkonnect.services import document_versioning

VERSIONS = [
    OpenApiParameter("from", int, required=True, description="The older version number"),
    OpenApiParameter("to", int, required=True, description="The newer version number"),
]


class VersionPairSerializer(serializers.Serializer):
    from_number = serializers.IntegerField(min_value=1, max_value=999_999_999)
    to_number = serializers.IntegerField(min_value=1, max_value=999_999_999)

    def to_internal_value(self, data):
        renamed = {"from_number": data.get("from"), "to_number": data.get("to")}
        if data.get("page") is not None:
            renamed["page"] = data.get("page")  # only HighlightQuerySerializer reads it
        return super().to_internal_value(renamed)


class HighlightQuerySerializer(VersionPairSerializer):
    page = serializers.IntegerField(min_value=1, max_value=999_999_999, required=False)


def version_pair(request: Request) -> dict[str, int]:
    serializer = VersionPairSerializer(data=request.query_params)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class ResourceDiffView(ProjectScoped, APIView):
    """What changed between two versions, by type: text page by page for PDFs, dimensions,
    EXIF and changed regions for images, geometry and scene contents for 3D models."""

    permission_classes = [ReadableByVisitors]

    @extend_schema(
        parameters=[PROJECT_SLUG, RESOURCE_ID, *VERSIONS],
        responses={200: OpenApiResponse(OpenApiTypes.OBJECT, description="see docs/analysis.md")},
    )
    def get(self, request: Request, project_slug: str, resource_id: int) -> Response:
        diff = document_versioning.version_diff(resource=self.resource(), **version_pair(request))
        return Response(diff)


class ResourceDiffHighlightView(ProjectScoped, APIView):
    """A PNG of the newer image with the changed regions outlined; with `page`, of that changed
    page of the newer PDF (both pages rendered and compared)."""

    permission_classes = [ReadableByVisitors]

    def perform_content_negotiation(self, request, force=False):
        # The picture is sent whatever `Accept` says; errors are always JSON.
        return JSONRenderer(), JSONRenderer.media_type

    @extend_schema(
        parameters=[
            PROJECT_SLUG,
            RESOURCE_ID,
            *VERSIONS,
            OpenApiParameter(
                "page",
                int,
                required=False,
                description="PDFs: a changed page of the newer version (its `new_page`)",
            ),
        ],
        responses={
            (200, "image/png"): OpenApiTypes.BINARY,
            304: OpenApiResponse(description="Not modified (If-None-Match)"),
        },
    )
    def get(self, request: Request, project_slug: str, resource_id: int):
        query = HighlightQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        pair = query.validated_data
        blob = document_versioning.version_diff_highlight(resource=self.resource(), **pair)
        page = f"-page{pair['page']}" if "page" in pair else ""
        return blob_response(
            blob,
            file_name=f"changes-v{pair['from_number']}-v{pair['to_number']}{page}.png",
            content_type="image/png",
            range_header=request.headers.get("Range"),
            if_none_match=request.headers.get("If-None-Match"),
        )
