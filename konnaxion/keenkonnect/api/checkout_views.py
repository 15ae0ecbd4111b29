"""Check-out locks of Stockage documents: /api/projects/<slug>/resources/<id>/lock/.

POST locks (or renews one's own lock); DELETE checks in (the holder), or with `?force=1` breaks
someone else's lock (project owners). Docs: docs/checkout.md.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from konnaxion.core.errors import ValidationFailed
from konnaxion.keenkonnect.api import resource_serializers as s
from konnaxion.keenkonnect.api.resource_views import (
    LOCKED,
    PROJECT_SLUG,
    RESOURCE_ID,
    ProjectScoped,
)
from konnaxion.keenkonnect.services import document_checkout

FORCE = OpenApiParameter(
    "force",
    str,
    description="`1`: break someone else's lock (project owners; audited as `lock_break`)",
    enum=["0", "1"],
)
NOT_CHECKED_OUT = OpenApiResponse(description="`not_checked_out`: there is no lock to end")


class CheckoutView(ProjectScoped, APIView):
    """A document's check-out lock."""

    @extend_schema(
        parameters=[PROJECT_SLUG, RESOURCE_ID],
        request=s.CheckoutRequestSerializer,
        responses={200: s.CheckoutSerializer, 423: LOCKED},
    )
    def post(self, request: Request, project_slug: str, resource_id: int) -> Response:
        serializer = s.CheckoutRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        checkout = document_checkout.checkout_acquire(
            resource=self.resource(),
            actor=request.user,
            note=serializer.validated_data.get("note", ""),
            hours=serializer.validated_data.get("hours"),
        )
        return Response(s.CheckoutSerializer(checkout).data)

    @extend_schema(
        parameters=[PROJECT_SLUG, RESOURCE_ID, FORCE],
        responses={204: None, 409: NOT_CHECKED_OUT, 423: LOCKED},
    )
    def delete(self, request: Request, project_slug: str, resource_id: int) -> Response:
        force = request.query_params.get("force", "0")
        if force not in ("0", "1"):
            raise ValidationFailed(details={"fields": {"force": "0 or 1"}})
        if force == "1":
            document_checkout.checkout_break(resource=self.resource(), actor=request.user)
        else:
            document_checkout.checkout_release(resource=self.resource(), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
