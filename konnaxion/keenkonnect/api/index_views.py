"""Indexing again: POST /api/projects/<slug>/resources/<id>/reindex/ (docs/indexing-failures.md)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from konnaxion.keenkonnect.api.resource_views import PROJECT_SLUG, RESOURCE_ID, ProjectScoped
from konnaxion.keenkonnect.services.index_retry import resource_index_retry

QUEUED = inline_serializer(
    "ReindexQueued",
    fields={
        "id": serializers.IntegerField(),
        "index_state": serializers.ChoiceField(choices=["pending"]),
    },
)


class ResourceReindexView(ProjectScoped, APIView):
    """Queue the indexing of the document's current version again, typically after it failed
    (admin level; 404 for those who cannot read the document, 403 below admin)."""

    @extend_schema(parameters=[PROJECT_SLUG, RESOURCE_ID], request=None, responses={202: QUEUED})
    def post(self, request: Request, project_slug: str, resource_id: int) -> Response:
        resource = resource_index_retry(resource=self.resource(), actor=request.user)
        return Response(
            {"id": resource.pk, "index_state": resource.index_state},
            status=status.HTTP_202_ACCEPTED,
        )
