"""One version of a document under /api/projects/<slug>/resources/<id>/versions/<n>/: read it,
or set its label and note (docs/version-labels.md)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from konnaxion.core.errors import NotFound
from konnaxion.keenkonnect import selectors
from konnaxion.keenkonnect.api import resource_serializers as s
from konnaxion.keenkonnect.api.resource_views import (
    MAX_ID,
    PROJECT_SLUG,
    RESOURCE_ID,
    ProjectScoped,
    ReadableByVisitors,
)
from konnaxion.keenkonnect.models import AccessLevel, DocumentVersion
from konnaxion.keenkonnect.services import granular_permissions
from konnaxion.keenkonnect.services.version_labels import version_annotate

NUMBER = OpenApiParameter("number", int, OpenApiParameter.PATH)


class VersionDetailView(ProjectScoped, APIView):
    """A version of a document (read level); PATCH sets its label and note (write level)."""

    permission_classes = [ReadableByVisitors]

    def version(self, number: int) -> DocumentVersion:
        version = (
            selectors.versions_of(resource=self.resource()).filter(number=number).first()
            if number <= MAX_ID
            else None
        )
        if version is None:
            raise NotFound("No such version.")
        return version

    @extend_schema(
        parameters=[PROJECT_SLUG, RESOURCE_ID, NUMBER], responses=s.DocumentVersionSerializer
    )
    def get(self, request: Request, project_slug: str, resource_id: int, number: int) -> Response:
        return Response(s.DocumentVersionSerializer(self.version(number)).data)

    @extend_schema(
        parameters=[PROJECT_SLUG, RESOURCE_ID, NUMBER],
        request=s.VersionAnnotateSerializer,
        responses={
            200: s.DocumentVersionSerializer,
            409: OpenApiResponse(description="`label_taken`: another version has this label"),
        },
    )
    def patch(self, request: Request, project_slug: str, resource_id: int, number: int) -> Response:
        resource = self.resource()
        granular_permissions.ensure_level(resource=resource, needed=AccessLevel.WRITE)
        if number > MAX_ID:
            raise NotFound("No such version.")
        serializer = s.VersionAnnotateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        version_annotate(
            resource=resource,
            number=number,
            actor=request.user,
            **serializer.validated_data,
        )
        return Response(s.DocumentVersionSerializer(self.version(number)).data)
