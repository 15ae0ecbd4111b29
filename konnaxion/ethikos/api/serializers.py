from rest_framework import serializers

from konnaxion.ekoh.models import ExpertiseCategory
from konnaxion.ethikos.models import (
    CitizenSuggestion,
    Consultation,
    ConsultationResult,
    ConsultationVote,
    EthikosArgument,
    EthikosCategory,
    EthikosStance,
    EthikosTopic,
    ImpactTrack,
)


class EthikosCategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = EthikosCategory
        fields = ("id", "name", "description")


class EthikosTopicSerializer(serializers.ModelSerializer):
    created_by = serializers.CharField(source="created_by.username", read_only=True)
    stance_count = serializers.IntegerField(read_only=True, default=0)

    class Meta:
        model = EthikosTopic
        fields = (
            "id",
            "title",
            "description",
            "category",
            "created_by",
            "status",
            "start_date",
            "end_date",
            "stance_count",
            "created_at",
        )
        read_only_fields = ("status", "created_at")
        extra_kwargs = {"start_date": {"required": False}}


class TopicStatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=EthikosTopic.Status.choices)


class EthikosStanceSerializer(serializers.ModelSerializer):
    topic = serializers.PrimaryKeyRelatedField(queryset=EthikosTopic.objects.all())
    value = serializers.IntegerField(min_value=-3, max_value=3)

    class Meta:
        model = EthikosStance
        fields = ("id", "topic", "value", "created_at", "updated_at")
        read_only_fields = ("created_at", "updated_at")
        # Setting a stance again replaces it: the unique pair is not a validation error.
        validators: list = []


class EthikosArgumentSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.username", read_only=True)
    topic = serializers.PrimaryKeyRelatedField(queryset=EthikosTopic.objects.all())
    parent = serializers.PrimaryKeyRelatedField(
        queryset=EthikosArgument.objects.all(), required=False, allow_null=True
    )

    class Meta:
        model = EthikosArgument
        fields = ("id", "topic", "parent", "author", "content", "side", "is_hidden", "created_at")
        read_only_fields = ("is_hidden", "created_at")
        validators: list = []


class ArgumentReportSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")


class ConsultationSerializer(serializers.ModelSerializer):
    category = serializers.PrimaryKeyRelatedField(
        queryset=ExpertiseCategory.objects.all(), required=False, allow_null=True
    )
    suggestion_count = serializers.IntegerField(read_only=True, default=0)

    class Meta:
        model = Consultation
        fields = (
            "id",
            "title",
            "description",
            "category",
            "open_date",
            "close_date",
            "status",
            "suggestion_count",
            "created_at",
        )
        read_only_fields = ("status", "created_at")


class CitizenSuggestionSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.username", read_only=True)
    consultation = serializers.PrimaryKeyRelatedField(queryset=Consultation.objects.all())

    class Meta:
        model = CitizenSuggestion
        fields = ("id", "consultation", "author", "content", "created_at")
        read_only_fields = ("created_at",)


class ConsultationVoteSerializer(serializers.ModelSerializer):
    consultation = serializers.PrimaryKeyRelatedField(queryset=Consultation.objects.all())
    raw_value = serializers.IntegerField(min_value=-1, max_value=1)

    class Meta:
        model = ConsultationVote
        fields = (
            "id",
            "consultation",
            "raw_value",
            "weight",
            "weighted_value",
            "created_at",
            "updated_at",
        )
        read_only_fields = ("weight", "weighted_value", "created_at", "updated_at")
        validators: list = []


class ConsultationResultSerializer(serializers.ModelSerializer):
    class Meta:
        model = ConsultationResult
        fields = ("id", "consultation", "results_data", "computed_at")


class ImpactTrackSerializer(serializers.ModelSerializer):
    consultation = serializers.PrimaryKeyRelatedField(queryset=Consultation.objects.all())

    class Meta:
        model = ImpactTrack
        fields = ("id", "consultation", "action", "status", "date")
        extra_kwargs = {"date": {"required": False}}
