from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from konnaxion.ekoh.api.serializers import IdentitySerializer
from konnaxion.ekoh.services.confidentiality import identity_for
from konnaxion.smart_vote.models import (
    EmergingExpert,
    IntegrationMapping,
    Vote,
    VoteModality,
    VoteResult,
)


@extend_schema_field(OpenApiTypes.ANY)
class RawValueField(serializers.JSONField):
    """A number (approval, rating) or an ordered list of option ids (ranking, preferential)."""


class VoteCastSerializer(serializers.Serializer):
    target_type = serializers.CharField(max_length=130)
    target_id = serializers.CharField(max_length=64)
    raw_value = RawValueField()
    modality = serializers.ChoiceField(choices=VoteModality.Name.choices, required=False)


class VoteSerializer(serializers.ModelSerializer):
    modality = serializers.CharField(source="modality.name")
    raw_value = RawValueField()

    class Meta:
        model = Vote
        fields = (
            "id",
            "target_type",
            "target_id",
            "modality",
            "raw_value",
            "weight",
            "weighted_value",
            "created_at",
            "updated_at",
        )


class VoteResultSerializer(serializers.ModelSerializer):
    class Meta:
        model = VoteResult
        fields = (
            "id",
            "target_type",
            "target_id",
            "sum_weighted_value",
            "sum_weight",
            "vote_count",
            "tallies",
            "updated_at",
        )


class VoteModalitySerializer(serializers.ModelSerializer):
    class Meta:
        model = VoteModality
        fields = ("id", "name", "parameters")


class IntegrationMappingSerializer(serializers.ModelSerializer):
    target_type = serializers.CharField(read_only=True)

    class Meta:
        model = IntegrationMapping
        fields = ("id", "target_type", "module_name", "context_type", "mapping_details")


class EmergingExpertSerializer(serializers.ModelSerializer):
    identity = serializers.SerializerMethodField()
    category = serializers.CharField(source="category.name")

    class Meta:
        model = EmergingExpert
        fields = ("id", "identity", "category", "detection_date", "score_delta")

    @extend_schema_field(IdentitySerializer(allow_null=True))
    def get_identity(self, expert: EmergingExpert):
        request = self.context.get("request")
        return identity_for(
            user=expert.user,
            viewer=getattr(request, "user", None),
            shown=getattr(expert, "holder_shown", True),
        )
