from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from konnaxion.ekoh.models import (
    ConfidentialitySetting,
    ExpertiseCategory,
    ScoreConfiguration,
    ScoreHistory,
    UserExpertiseScore,
)
from konnaxion.ekoh.services.confidentiality import identity_for


class IdentitySerializer(serializers.Serializer):
    level = serializers.CharField()
    display_name = serializers.CharField()
    username = serializers.CharField(required=False)


class ExpertiseCategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = ExpertiseCategory
        fields = ("id", "code", "name", "description")


class UserExpertiseScoreSerializer(serializers.ModelSerializer):
    """A score with its holder shown as their confidentiality setting allows."""

    identity = serializers.SerializerMethodField()
    category = ExpertiseCategorySerializer()

    class Meta:
        model = UserExpertiseScore
        fields = ("id", "identity", "category", "raw_score", "weighted_score", "updated_at")

    @extend_schema_field(IdentitySerializer(allow_null=True))
    def get_identity(self, score: UserExpertiseScore):
        request = self.context.get("request")
        return identity_for(
            user=score.user,
            viewer=getattr(request, "user", None),
            shown=getattr(score, "holder_shown", True),
        )


class ScoreConfigurationSerializer(serializers.ModelSerializer):
    class Meta:
        model = ScoreConfiguration
        fields = ("id", "weight_name", "weight_value", "field")


class ScoreHistorySerializer(serializers.ModelSerializer):
    category = serializers.CharField(source="merit_score.category.name")

    class Meta:
        model = ScoreHistory
        fields = ("id", "category", "old_value", "new_value", "change_reason", "created_at")


class ConfidentialitySettingSerializer(serializers.ModelSerializer):
    level = serializers.ChoiceField(choices=ConfidentialitySetting.Level.choices)
    updated_at = serializers.DateTimeField(read_only=True, allow_null=True)

    class Meta:
        model = ConfidentialitySetting
        fields = ("level", "updated_at")


class VoterWeightSerializer(serializers.Serializer):
    category = serializers.IntegerField(allow_null=True)
    weight = serializers.DecimalField(max_digits=9, decimal_places=3)
