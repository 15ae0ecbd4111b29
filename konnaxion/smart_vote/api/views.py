import django_filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from konnaxion.smart_vote import selectors
from konnaxion.smart_vote.api.serializers import (
    EmergingExpertSerializer,
    IntegrationMappingSerializer,
    VoteCastSerializer,
    VoteModalitySerializer,
    VoteResultSerializer,
    VoteSerializer,
)
from konnaxion.smart_vote.models import (
    EmergingExpert,
    IntegrationMapping,
    Vote,
    VoteModality,
    VoteResult,
)
from konnaxion.smart_vote.services.voting import vote_cast


class VoteViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Cast a vote (voting again replaces it); list your own votes."""

    serializer_class = VoteSerializer
    filterset_fields = ("target_type", "target_id")
    queryset = Vote.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return selectors.votes_of(user=self.request.user)

    @extend_schema(request=VoteCastSerializer, responses={201: VoteSerializer})
    def create(self, request: Request) -> Response:
        serializer = VoteCastSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        vote = vote_cast(user=request.user, **serializer.validated_data)
        return Response(VoteSerializer(vote).data, status=status.HTTP_201_CREATED)


class VoteResultViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = VoteResultSerializer
    filterset_fields = ("target_type", "target_id")
    ordering_fields = ("sum_weighted_value", "vote_count", "updated_at")
    # The schema (and so `check --deploy`) is built without a database: the visibility rule
    # reads the integration mappings.
    queryset = VoteResult.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return selectors.vote_results_visible_to(user=self.request.user)


class VoteModalityViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = VoteModalitySerializer
    queryset = VoteModality.objects.all()


class IntegrationMappingViewSet(viewsets.ReadOnlyModelViewSet):
    """The votable target types other modules declared (managed in the admin)."""

    serializer_class = IntegrationMappingSerializer
    queryset = IntegrationMapping.objects.all()
    filterset_fields = ("module_name", "context_type")


class EmergingExpertFilter(django_filters.FilterSet):
    category_code = django_filters.CharFilter(field_name="category__code")
    since = django_filters.DateFilter(field_name="detection_date", lookup_expr="gte")

    class Meta:
        model = EmergingExpert
        fields = ("category", "category_code", "since")


class EmergingExpertViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = EmergingExpertSerializer
    filterset_class = EmergingExpertFilter

    def get_queryset(self):
        return selectors.emerging_experts_listed(viewer=self.request.user)
