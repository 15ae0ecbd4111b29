from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from konnaxion.ethikos import selectors
from konnaxion.ethikos.api import serializers as s
from konnaxion.ethikos.models import ConsultationVote, EthikosArgument, EthikosStance
from konnaxion.ethikos.services import konsultations, korum


class EthikosCategoryViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = s.EthikosCategorySerializer

    def get_queryset(self):
        return selectors.categories_listed()


class EthikosTopicViewSet(
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Debates: any signed-in user opens one; its creator or a moderator closes it."""

    serializer_class = s.EthikosTopicSerializer
    filterset_fields = ("status", "category")
    ordering_fields = ("start_date", "created_at")

    def get_queryset(self):
        return selectors.topics_listed()

    def perform_create(self, serializer) -> None:
        topic = korum.topic_create(created_by=self.request.user, **serializer.validated_data)
        serializer.instance = selectors.topics_listed().get(pk=topic.pk)

    @extend_schema(request=s.TopicStatusSerializer, responses=s.EthikosTopicSerializer)
    @action(detail=True, methods=["post"], url_path="status")
    def set_status(self, request: Request, pk=None) -> Response:
        serializer = s.TopicStatusSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        korum.topic_status_set(
            topic=self.get_object(), actor=request.user, **serializer.validated_data
        )
        topic = selectors.topics_listed().get(pk=pk)
        return Response(s.EthikosTopicSerializer(topic).data)


class EthikosStanceViewSet(mixins.CreateModelMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Your stances: POST sets (or replaces) your stance on an open topic."""

    serializer_class = s.EthikosStanceSerializer
    filterset_fields = ("topic",)
    queryset = EthikosStance.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return selectors.stances_of(user=self.request.user)

    def perform_create(self, serializer) -> None:
        serializer.instance = korum.stance_set(user=self.request.user, **serializer.validated_data)


class EthikosArgumentViewSet(
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Threaded arguments; an argument reported by enough users is hidden from others."""

    serializer_class = s.EthikosArgumentSerializer
    filterset_fields = ("topic", "parent", "side")
    queryset = EthikosArgument.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return selectors.arguments_visible_to(user=self.request.user)

    def perform_create(self, serializer) -> None:
        argument = korum.argument_post(author=self.request.user, **serializer.validated_data)
        serializer.instance = self.get_queryset().get(pk=argument.pk)

    @extend_schema(request=s.ArgumentReportSerializer, responses={204: None})
    @action(detail=True, methods=["post"])
    def report(self, request: Request, pk=None) -> Response:
        serializer = s.ArgumentReportSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        korum.argument_report(
            argument=self.get_object(), reporter=request.user, **serializer.validated_data
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class ConsultationViewSet(
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Consultations: moderators open and close them; everyone signed in reads them."""

    serializer_class = s.ConsultationSerializer
    filterset_fields = ("status", "category")
    ordering_fields = ("open_date", "close_date")

    def get_queryset(self):
        return selectors.consultations_listed()

    def perform_create(self, serializer) -> None:
        consultation = konsultations.consultation_create(
            created_by=self.request.user, **serializer.validated_data
        )
        serializer.instance = selectors.consultations_listed().get(pk=consultation.pk)

    @extend_schema(request=None, responses=s.ConsultationResultSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk=None) -> Response:
        result = konsultations.consultation_close_now(
            consultation=self.get_object(), actor=request.user
        )
        return Response(s.ConsultationResultSerializer(result).data)


class CitizenSuggestionViewSet(
    mixins.CreateModelMixin, mixins.ListModelMixin, viewsets.GenericViewSet
):
    serializer_class = s.CitizenSuggestionSerializer
    filterset_fields = ("consultation",)

    def get_queryset(self):
        return selectors.suggestions_listed()

    def perform_create(self, serializer) -> None:
        serializer.instance = konsultations.suggestion_submit(
            author=self.request.user, **serializer.validated_data
        )


class ConsultationVoteViewSet(
    mixins.CreateModelMixin, mixins.ListModelMixin, viewsets.GenericViewSet
):
    """Your consultation votes: POST votes -1/0/+1 (again replaces it) while it is open."""

    serializer_class = s.ConsultationVoteSerializer
    filterset_fields = ("consultation",)
    queryset = ConsultationVote.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return selectors.consultation_votes_of(user=self.request.user)

    def perform_create(self, serializer) -> None:
        serializer.instance = konsultations.consultation_vote_cast(
            user=self.request.user, **serializer.validated_data
        )


class ConsultationResultViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = s.ConsultationResultSerializer
    filterset_fields = ("consultation",)

    def get_queryset(self):
        return selectors.consultation_results()


class ImpactTrackViewSet(mixins.CreateModelMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = s.ImpactTrackSerializer
    filterset_fields = ("consultation", "status")

    def get_queryset(self):
        return selectors.impact_tracks_listed()

    def perform_create(self, serializer) -> None:
        data = dict(serializer.validated_data)
        serializer.instance = konsultations.impact_track_add(
            actor=self.request.user,
            consultation=data.pop("consultation"),
            action=data["action"],
            status=data.get("status", "planned"),
            on=data.get("date"),
        )
