from rest_framework import serializers

from konnaxion.core.api.fields import UsernameField
from konnaxion.konnected.models import (
    CertificationPath,
    CoCreationContribution,
    CoCreationProject,
    Evaluation,
    ForumPost,
    ForumTopic,
    InteropMapping,
    KnowledgeRecommendation,
    KnowledgeResource,
    LearningProgress,
    PeerValidation,
    Portfolio,
)


class QuizQuestionSerializer(serializers.Serializer):
    question = serializers.CharField()
    options = serializers.ListField(child=serializers.CharField())


class CertificationPathSerializer(serializers.ModelSerializer):
    # The questions without their answers.
    quiz = QuizQuestionSerializer(many=True, read_only=True)

    class Meta:
        model = CertificationPath
        fields = ("id", "name", "description", "quiz")


class EvaluationSubmitSerializer(serializers.Serializer):
    path = serializers.PrimaryKeyRelatedField(queryset=CertificationPath.objects.all())
    answers = serializers.ListField(
        child=serializers.IntegerField(min_value=0, max_value=1000), max_length=500
    )


class EvaluationSerializer(serializers.ModelSerializer):
    approvals = serializers.IntegerField(read_only=True, default=0)

    class Meta:
        model = Evaluation
        fields = ("id", "path", "raw_score", "passed", "approvals", "created_at")


class PeerValidationSerializer(serializers.ModelSerializer):
    peer = serializers.CharField(source="peer.username", read_only=True)
    evaluation = serializers.PrimaryKeyRelatedField(queryset=Evaluation.objects.all())

    class Meta:
        model = PeerValidation
        fields = ("id", "evaluation", "peer", "decision", "comment", "created_at")
        read_only_fields = ("created_at",)
        validators: list = []


class InteropMappingSerializer(serializers.ModelSerializer):
    class Meta:
        model = InteropMapping
        fields = ("id", "local_certification", "external_system", "external_id")


class KnowledgeResourceSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.username", read_only=True, default=None)

    class Meta:
        model = KnowledgeResource
        fields = ("id", "title", "type", "url", "author", "created_at")
        read_only_fields = ("created_at",)


class KnowledgeRecommendationSerializer(serializers.ModelSerializer):
    user = UsernameField(write_only=True)
    resource = serializers.PrimaryKeyRelatedField(queryset=KnowledgeResource.objects.all())
    recommended_by = serializers.CharField(
        source="recommended_by.username", read_only=True, default=None
    )

    class Meta:
        model = KnowledgeRecommendation
        fields = ("id", "user", "resource", "recommended_by", "recommended_at")
        read_only_fields = ("recommended_at",)
        validators: list = []


class LearningProgressSerializer(serializers.ModelSerializer):
    resource = serializers.PrimaryKeyRelatedField(queryset=KnowledgeResource.objects.all())
    progress_percent = serializers.IntegerField(min_value=0, max_value=100)

    class Meta:
        model = LearningProgress
        fields = ("id", "resource", "progress_percent", "updated_at")
        read_only_fields = ("updated_at",)
        validators: list = []


class PortfolioSerializer(serializers.ModelSerializer):
    user = serializers.CharField(source="user.username", read_only=True)
    items = serializers.PrimaryKeyRelatedField(
        queryset=KnowledgeResource.objects.all(), many=True, required=False
    )

    class Meta:
        model = Portfolio
        fields = ("id", "user", "title", "description", "items", "created_at")
        read_only_fields = ("created_at",)


class CoCreationProjectSerializer(serializers.ModelSerializer):
    owner = serializers.CharField(source="owner.username", read_only=True)

    class Meta:
        model = CoCreationProject
        fields = ("id", "title", "description", "owner", "status", "created_at")
        read_only_fields = ("status", "created_at")


class StatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=CoCreationProject.Status.choices)


class ContributionReviewSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=[
            CoCreationContribution.Status.ACCEPTED.value,
            CoCreationContribution.Status.REJECTED.value,
        ]
    )


class CoCreationContributionSerializer(serializers.ModelSerializer):
    user = serializers.CharField(source="user.username", read_only=True)
    project = serializers.PrimaryKeyRelatedField(queryset=CoCreationProject.objects.all())

    class Meta:
        model = CoCreationContribution
        fields = ("id", "project", "user", "content", "status", "created_at")
        read_only_fields = ("status", "created_at")


class ForumTopicSerializer(serializers.ModelSerializer):
    creator = serializers.CharField(source="creator.username", read_only=True)
    post_count = serializers.IntegerField(read_only=True, default=0)

    class Meta:
        model = ForumTopic
        fields = ("id", "title", "category", "creator", "post_count", "created_at")
        read_only_fields = ("created_at",)


class ForumPostSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.username", read_only=True)
    topic = serializers.PrimaryKeyRelatedField(queryset=ForumTopic.objects.all())

    class Meta:
        model = ForumPost
        fields = ("id", "topic", "author", "content", "created_at")
        read_only_fields = ("created_at",)
