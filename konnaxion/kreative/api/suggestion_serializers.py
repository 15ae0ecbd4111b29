from rest_framework import serializers

from konnaxion.kreative.services.intelligent_matching import PURPOSES, REASON_CODES


class SuggestionReasonSerializer(serializers.Serializer):
    """One reason as data: a stable code and the parameters that code comes with."""

    code = serializers.ChoiceField(choices=REASON_CODES)
    count = serializers.IntegerField(
        required=False,
        help_text="shared_*: tags shared; followed_by_people_you_follow, followers: people; "
        "collaborated: sessions together; well_rated: Smart Vote votes",
    )
    names = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        help_text="shared_*: the names of the rarest shared tags, at most three, rarest first",
    )
    more = serializers.IntegerField(required=False, help_text="shared_*: how many are not named")
    domain = serializers.CharField(required=False, help_text="strong_in: the EkoH domain")


class SuggestedPersonSerializer(serializers.Serializer):
    username = serializers.CharField()
    display_name = serializers.CharField(allow_blank=True)
    headline = serializers.CharField(allow_blank=True)
    score = serializers.FloatField()
    reasons = serializers.ListField(
        child=serializers.CharField(),
        help_text="The reasons as sentences in the request's language (Accept-Language or the "
        "language cookie), strongest first",
    )
    reasons_detail = SuggestionReasonSerializer(
        many=True, help_text="The same reasons as data, in the same order"
    )


class SuggestionListSerializer(serializers.Serializer):
    purpose = serializers.ChoiceField(choices=sorted(PURPOSES))
    signals = serializers.ListField(child=serializers.CharField())
    results = SuggestedPersonSerializer(many=True)


class SuggestionDismissalSerializer(serializers.Serializer):
    username = serializers.CharField(source="dismissed.username")
    count = serializers.IntegerField()
    dismissed_at = serializers.DateTimeField(source="created_at")
