from rest_framework import serializers

from konnaxion.kreative.matching import PURPOSES


class SuggestedPersonSerializer(serializers.Serializer):
    username = serializers.CharField()
    display_name = serializers.CharField(allow_blank=True)
    headline = serializers.CharField(allow_blank=True)
    score = serializers.FloatField()
    reasons = serializers.ListField(child=serializers.CharField())


class SuggestionListSerializer(serializers.Serializer):
    purpose = serializers.ChoiceField(choices=sorted(PURPOSES))
    signals = serializers.ListField(child=serializers.CharField())
    results = SuggestedPersonSerializer(many=True)


class SuggestionDismissalSerializer(serializers.Serializer):
    username = serializers.CharField(source="dismissed.username")
    count = serializers.IntegerField()
    dismissed_at = serializers.DateTimeField(source="created_at")
