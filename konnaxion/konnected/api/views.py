from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from konnaxion.konnected import selectors
from konnaxion.konnected.api import serializers as s
from konnaxion.konnected.models import (
    Evaluation,
    KnowledgeRecommendation,
    LearningProgress,
    PeerValidation,
)
from konnaxion.konnected.services import certification, cocreation, forums, knowledge

CREATE_LIST = (mixins.CreateModelMixin, mixins.ListModelMixin, viewsets.GenericViewSet)
CREATE_READ = (
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
)


class OwnRowsMixin:
    """Lists only the caller's rows (the schema generator sees an empty queryset)."""

    model = None

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.model.objects.none()
        return self.selector(user=self.request.user)


class CertificationPathViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = s.CertificationPathSerializer

    def get_queryset(self):
        return selectors.certification_paths_listed()


class EvaluationViewSet(OwnRowsMixin, *CREATE_LIST):
    """Your quiz attempts: POST answers, scored on the server (retry after a cooldown)."""

    serializer_class = s.EvaluationSerializer
    filterset_fields = ("path", "passed")
    model = Evaluation
    selector = staticmethod(selectors.evaluations_of)

    @extend_schema(request=s.EvaluationSubmitSerializer, responses={201: s.EvaluationSerializer})
    def create(self, request: Request) -> Response:
        serializer = s.EvaluationSubmitSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        evaluation = certification.evaluation_submit(user=request.user, **serializer.validated_data)
        evaluation = selectors.evaluations_of(user=request.user).get(pk=evaluation.pk)
        return Response(s.EvaluationSerializer(evaluation).data, status=status.HTTP_201_CREATED)


class PeerValidationViewSet(OwnRowsMixin, *CREATE_LIST):
    """Validations you gave or received; POST validates someone else's evaluation."""

    serializer_class = s.PeerValidationSerializer
    filterset_fields = ("evaluation", "decision")
    model = PeerValidation
    selector = staticmethod(selectors.peer_validations_involving)

    def perform_create(self, serializer) -> None:
        serializer.instance = certification.peer_validation_record(
            peer=self.request.user, **serializer.validated_data
        )


class InteropMappingViewSet(viewsets.ReadOnlyModelViewSet):
    """External identifiers of certifications (managed in the admin)."""

    serializer_class = s.InteropMappingSerializer
    filterset_fields = ("local_certification", "external_system")

    def get_queryset(self):
        return selectors.interop_mappings_listed()


class KnowledgeResourceViewSet(*CREATE_READ):
    serializer_class = s.KnowledgeResourceSerializer
    filterset_fields = ("type",)
    ordering_fields = ("created_at", "title")

    def get_queryset(self):
        return selectors.knowledge_resources_listed()

    def perform_create(self, serializer) -> None:
        serializer.instance = knowledge.knowledge_resource_create(
            author=self.request.user, **serializer.validated_data
        )


class KnowledgeRecommendationViewSet(OwnRowsMixin, *CREATE_LIST):
    """Resources recommended to you; POST recommends a resource to another user."""

    serializer_class = s.KnowledgeRecommendationSerializer
    filterset_fields = ("resource",)
    model = KnowledgeRecommendation
    selector = staticmethod(selectors.recommendations_of)

    def perform_create(self, serializer) -> None:
        serializer.instance = knowledge.knowledge_recommendation_create(
            recommended_by=self.request.user, **serializer.validated_data
        )


class LearningProgressViewSet(OwnRowsMixin, *CREATE_LIST):
    """Your progress; POST sets your progress on a resource (0-100)."""

    serializer_class = s.LearningProgressSerializer
    filterset_fields = ("resource",)
    model = LearningProgress
    selector = staticmethod(selectors.learning_progress_of)

    def perform_create(self, serializer) -> None:
        serializer.instance = knowledge.learning_progress_set(
            user=self.request.user, **serializer.validated_data
        )


class PortfolioViewSet(viewsets.ModelViewSet):
    """Portfolios: everyone signed in reads them; owners edit their own."""

    serializer_class = s.PortfolioSerializer
    filterset_fields = ("user__username",)

    def get_queryset(self):
        return selectors.portfolios_listed()

    def perform_create(self, serializer) -> None:
        serializer.instance = knowledge.portfolio_create(
            user=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer) -> None:
        serializer.instance = knowledge.portfolio_update(
            portfolio=serializer.instance, actor=self.request.user, **serializer.validated_data
        )

    def perform_destroy(self, instance) -> None:
        knowledge.portfolio_delete(portfolio=instance, actor=self.request.user)


class CoCreationProjectViewSet(*CREATE_READ):
    serializer_class = s.CoCreationProjectSerializer
    filterset_fields = ("status",)

    def get_queryset(self):
        return selectors.cocreation_projects_listed()

    def perform_create(self, serializer) -> None:
        serializer.instance = cocreation.cocreation_project_create(
            owner=self.request.user, **serializer.validated_data
        )

    @extend_schema(request=s.StatusSerializer, responses=s.CoCreationProjectSerializer)
    @action(detail=True, methods=["post"], url_path="status")
    def set_status(self, request: Request, pk=None) -> Response:
        serializer = s.StatusSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        project = cocreation.cocreation_project_status_set(
            project=self.get_object(), actor=request.user, **serializer.validated_data
        )
        return Response(s.CoCreationProjectSerializer(project).data)


class CoCreationContributionViewSet(*CREATE_READ):
    serializer_class = s.CoCreationContributionSerializer
    filterset_fields = ("project", "status")

    def get_queryset(self):
        return selectors.contributions_listed()

    def perform_create(self, serializer) -> None:
        serializer.instance = cocreation.contribution_submit(
            user=self.request.user, **serializer.validated_data
        )

    @extend_schema(
        request=s.ContributionReviewSerializer, responses=s.CoCreationContributionSerializer
    )
    @action(detail=True, methods=["post"])
    def review(self, request: Request, pk=None) -> Response:
        serializer = s.ContributionReviewSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        contribution = cocreation.contribution_review(
            contribution=self.get_object(), actor=request.user, **serializer.validated_data
        )
        return Response(s.CoCreationContributionSerializer(contribution).data)


class ForumTopicViewSet(*CREATE_READ):
    serializer_class = s.ForumTopicSerializer
    filterset_fields = ("category",)

    def get_queryset(self):
        return selectors.forum_topics_listed()

    def perform_create(self, serializer) -> None:
        topic = forums.forum_topic_create(creator=self.request.user, **serializer.validated_data)
        serializer.instance = selectors.forum_topics_listed().get(pk=topic.pk)


class ForumPostViewSet(*CREATE_LIST):
    serializer_class = s.ForumPostSerializer
    filterset_fields = ("topic",)

    def get_queryset(self):
        return selectors.forum_posts_listed()

    def perform_create(self, serializer) -> None:
        serializer.instance = forums.forum_post_create(
            author=self.request.user, **serializer.validated_data
        )
