"""People suggestions under /api/connect/suggestions/ (intelligent_matching)."""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from konnaxion.kreative.api import suggestion_serializers as s
from konnaxion.kreative.services import intelligent_matching
from konnaxion.kreative.services.intelligent_matching import MAX_TOP_N

USERNAME = r"[\w.@+-]+"


class _OneObjectSchema(AutoSchema):
    """`list` answers one object (purpose, signals, results), not an array of them."""

    def _is_list_view(self, serializer=None) -> bool:
        return False


class SuggestionViewSet(viewsets.ViewSet):
    """Ranked people to follow or collaborate with, each with the reasons; dismiss one."""

    schema = _OneObjectSchema()
    lookup_field = "username"
    lookup_value_regex = USERNAME

    @extend_schema(
        parameters=[
            OpenApiParameter("top_n", int, description=f"How many people, 1..{MAX_TOP_N}"),
            OpenApiParameter("purpose", str, enum=["follow", "collaborate"]),
            OpenApiParameter(
                "signals", str, description="Comma-separated optional signals: ekoh, smart_vote"
            ),
        ],
        responses={200: s.SuggestionListSerializer},
    )
    def list(self, request: Request) -> Response:
        top_n, purpose, signals = intelligent_matching.suggestion_request_clean(
            top_n=request.query_params.get("top_n"),
            purpose=request.query_params.get("purpose"),
            signals=request.query_params.get("signals"),
        )
        people = intelligent_matching.suggestions_list(
            viewer=request.user, top_n=top_n, purpose=purpose, signals=signals
        )
        body = {"purpose": purpose, "signals": sorted(signals), "results": people}
        return Response(s.SuggestionListSerializer(body).data)

    @extend_schema(request=None, responses={200: s.SuggestionDismissalSerializer})
    @action(detail=True, methods=["post"])
    def dismiss(self, request: Request, username: str | None = None) -> Response:
        dismissal = intelligent_matching.suggestion_dismiss(viewer=request.user, username=username)
        return Response(s.SuggestionDismissalSerializer(dismissal).data, status=status.HTTP_200_OK)
