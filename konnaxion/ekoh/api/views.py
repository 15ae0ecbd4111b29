import django_filters
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from konnaxion.core.errors import NotFound, ValidationFailed
from konnaxion.ekoh import selectors
from konnaxion.ekoh.api.serializers import (
    ConfidentialitySettingSerializer,
    ExpertiseCategorySerializer,
    ScoreConfigurationSerializer,
    ScoreHistorySerializer,
    UserExpertiseScoreSerializer,
    VoterWeightSerializer,
)
from konnaxion.ekoh.models import (
    ConfidentialitySetting,
    ExpertiseCategory,
    ScoreConfiguration,
    ScoreHistory,
    UserExpertiseScore,
)
from konnaxion.ekoh.services.confidentiality import confidentiality_set, level_of
from konnaxion.ekoh.services.expertise import voter_weight


class ExpertiseCategoryViewSet(viewsets.ReadOnlyModelViewSet):
    """The 26 ISCED-F 2013 domains."""

    serializer_class = ExpertiseCategorySerializer
    queryset = ExpertiseCategory.objects.all()
    search_fields = ("name", "code")
    ordering_fields = ("code", "name")

    def get_queryset(self):
        return selectors.expertise_categories()


class ScoreFilter(django_filters.FilterSet):
    category = django_filters.ModelChoiceFilter(queryset=ExpertiseCategory.objects.all())
    category_code = django_filters.CharFilter(field_name="category__code")
    min_weighted_score = django_filters.NumberFilter(field_name="weighted_score", lookup_expr="gte")

    class Meta:
        model = UserExpertiseScore
        fields = ("category", "category_code", "min_weighted_score")


class UserExpertiseScoreViewSet(viewsets.ReadOnlyModelViewSet):
    """Expertise scores, holders shown according to their confidentiality setting."""

    serializer_class = UserExpertiseScoreSerializer
    queryset = UserExpertiseScore.objects.none()
    filterset_class = ScoreFilter
    ordering_fields = ("weighted_score", "raw_score", "updated_at")
    ordering = ("-weighted_score", "id")

    def get_queryset(self):
        return selectors.expertise_scores_listed(viewer=self.request.user)


class ScoreConfigurationViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ScoreConfigurationSerializer
    queryset = ScoreConfiguration.objects.all()
    filterset_fields = ("weight_name", "field")


class ScoreHistoryViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The signed-in user's own score history."""

    serializer_class = ScoreHistorySerializer
    queryset = ScoreHistory.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return selectors.score_history_of(user=self.request.user)


class ConfidentialityView(APIView):
    """The signed-in user's confidentiality level (public, pseudonym, anonymous)."""

    @extend_schema(responses=ConfidentialitySettingSerializer)
    def get(self, request: Request) -> Response:
        setting = ConfidentialitySetting.objects.filter(user=request.user).first()
        if setting is None:
            return Response({"level": level_of(request.user), "updated_at": None})
        return Response(ConfidentialitySettingSerializer(setting).data)

    @extend_schema(
        request=ConfidentialitySettingSerializer, responses=ConfidentialitySettingSerializer
    )
    def put(self, request: Request) -> Response:
        serializer = ConfidentialitySettingSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        setting = confidentiality_set(user=request.user, level=serializer.validated_data["level"])
        return Response(ConfidentialitySettingSerializer(setting).data)


class VoterWeightView(APIView):
    """The signed-in user's voting weight in a domain (see docs/data-model.md)."""

    @extend_schema(
        parameters=[OpenApiParameter("category", int, required=False)],
        responses=VoterWeightSerializer,
    )
    def get(self, request: Request) -> Response:
        raw = request.query_params.get("category")
        category = None
        if raw:
            if not raw.isdigit():
                raise ValidationFailed(details={"fields": {"category": "an id"}})
            category = ExpertiseCategory.objects.filter(pk=int(raw)).first()
            if category is None:
                raise NotFound("No such category.")
        weight = voter_weight(user=request.user, category=category)
        data = {"category": category and category.pk, "weight": weight}
        return Response(VoterWeightSerializer(data).data)
