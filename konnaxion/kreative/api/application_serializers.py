"""API shapes of applications and their review (opportunity_announcement).

Who applied is shown through `applicant_of`: a juror of a blind round reads "Applicant <id>"
and nothing else that names the person (no username, no name, no avatar, no profile link, no
artwork file name)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from konnaxion.kreative.application_selectors import identity_hidden
from konnaxion.kreative.models import (
    ApplicationAnswer,
    ApplicationArtwork,
    ApplicationAttachment,
    ApplicationQuestion,
    OpportunityApplication,
    OpportunityJuror,
    ReviewCriterion,
    ReviewRound,
    ReviewScore,
)
from konnaxion.kreative.models.applications import SCORE_MAX, SCORE_MIN

Status = OpportunityApplication.Status


def applicant_of(application: OpportunityApplication, viewer: Any) -> dict[str, Any]:
    """`{"label", "username", "name"}`: the label alone for a juror of a blind round."""
    if identity_hidden(application=application, viewer=viewer):
        return {"label": application.blind_label, "username": None, "name": None}
    person = application.applicant
    return {
        "label": person.name or person.username,
        "username": person.username,
        "name": person.name or None,
    }


class ApplicantSerializer(serializers.Serializer):
    label = serializers.CharField()
    username = serializers.CharField(allow_null=True)
    name = serializers.CharField(allow_null=True)


class QuestionSerializer(serializers.ModelSerializer):
    class Meta:
        model = ApplicationQuestion
        fields = ("id", "label", "kind", "options", "required")


class QuestionInputSerializer(serializers.Serializer):
    label = serializers.CharField(max_length=300)
    kind = serializers.ChoiceField(choices=ApplicationQuestion.Kind.choices, default="text")
    options = serializers.ListField(
        child=serializers.CharField(max_length=200), max_length=30, required=False, default=list
    )
    required = serializers.BooleanField(default=False)


class QuestionsSetSerializer(serializers.Serializer):
    questions = QuestionInputSerializer(many=True, max_length=30)


class ApplicationArtworkSerializer(serializers.ModelSerializer):
    artwork = serializers.IntegerField(source="artwork_id")
    title = serializers.CharField(source="artwork.title")
    media_type = serializers.CharField(source="artwork.media_type")
    media_url = serializers.SerializerMethodField()

    class Meta:
        model = ApplicationArtwork
        fields = ("artwork", "title", "media_type", "media_url", "order")

    def get_media_url(self, entry: ApplicationArtwork) -> str:
        """The file, through the application's access rule (no artist name in it)."""
        return reverse("application-artwork-media", args=[entry.application_id, entry.artwork_id])


class ApplicationAttachmentSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = ApplicationAttachment
        fields = ("id", "name", "content_type", "size", "url")

    def get_url(self, attachment: ApplicationAttachment) -> str:
        return reverse("application-attachment", args=[attachment.application_id, attachment.pk])


class AnswerSerializer(serializers.ModelSerializer):
    label = serializers.CharField(source="question.label")
    kind = serializers.CharField(source="question.kind")

    class Meta:
        model = ApplicationAnswer
        fields = ("question", "label", "kind", "text", "attachment")


class AnswerInputSerializer(serializers.Serializer):
    question = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    text = serializers.CharField(max_length=10000, allow_blank=True, default="")


class ApplicationListSerializer(serializers.ModelSerializer):
    opportunity_title = serializers.CharField(source="opportunity.title", read_only=True)
    applicant = serializers.SerializerMethodField()
    entry_fee = serializers.DecimalField(
        source="opportunity.entry_fee", max_digits=10, decimal_places=2, read_only=True
    )
    currency = serializers.CharField(source="opportunity.currency", read_only=True)

    class Meta:
        model = OpportunityApplication
        fields = (
            "id",
            "opportunity",
            "opportunity_title",
            "applicant",
            "status",
            "fee_status",
            "entry_fee",
            "currency",
            "submitted_at",
            "decided_at",
            "created_at",
            "updated_at",
        )

    @extend_schema_field(ApplicantSerializer)
    def get_applicant(self, application: OpportunityApplication) -> dict[str, Any]:
        return applicant_of(application, self.context["request"].user)


class ScoreSummarySerializer(serializers.Serializer):
    average = serializers.FloatField(allow_null=True)
    minimum = serializers.FloatField(allow_null=True)
    maximum = serializers.FloatField(allow_null=True)
    std_dev = serializers.FloatField(allow_null=True)
    count = serializers.IntegerField()
    jurors = serializers.IntegerField()


class ReviewedApplicationSerializer(ApplicationListSerializer):
    """An application in the poster's or a juror's list: the poster also reads its results in
    the current round, a juror how many criteria they scored."""

    summary = serializers.SerializerMethodField()
    scored_by_me = serializers.SerializerMethodField()

    class Meta(ApplicationListSerializer.Meta):
        fields = (*ApplicationListSerializer.Meta.fields, "summary", "scored_by_me")

    @extend_schema_field(ScoreSummarySerializer(allow_null=True))
    def get_summary(self, application: OpportunityApplication) -> dict[str, Any] | None:
        summary = self.context.get("summaries", {}).get(application.pk)
        return None if summary is None else ScoreSummarySerializer(summary).data

    def get_scored_by_me(self, application: OpportunityApplication) -> int:
        return self.context.get("scored_by_me", {}).get(application.pk, 0)


class ApplicationSerializer(ApplicationListSerializer):
    artworks = ApplicationArtworkSerializer(many=True, read_only=True)
    attachments = ApplicationAttachmentSerializer(many=True, read_only=True)
    answers = AnswerSerializer(many=True, read_only=True)

    class Meta(ApplicationListSerializer.Meta):
        fields = (
            *ApplicationListSerializer.Meta.fields,
            "statement",
            "artworks",
            "attachments",
            "answers",
        )


class ApplicationWriteSerializer(serializers.Serializer):
    statement = serializers.CharField(max_length=20000, allow_blank=True, required=False)
    artworks = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**31 - 1),
        max_length=20,
        required=False,
        help_text="Your own artworks' ids, in the order shown",
    )
    answers = AnswerInputSerializer(many=True, required=False, max_length=30)

    def validate_answers(self, answers: list[dict[str, Any]]) -> dict[int, str]:
        return {answer["question"]: answer["text"] for answer in answers}


class AttachmentUploadSerializer(serializers.Serializer):
    files = serializers.ListField(child=serializers.FileField(), max_length=10)


class FeeSerializer(serializers.Serializer):
    fee_status = serializers.ChoiceField(choices=OpportunityApplication.FeeStatus.choices)


class DecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=[Status.ACCEPTED, Status.DECLINED])


class ScoreSerializer(serializers.ModelSerializer):
    criterion_label = serializers.CharField(source="criterion.label")
    juror = serializers.CharField(source="juror.username")

    class Meta:
        model = ReviewScore
        fields = ("criterion", "criterion_label", "juror", "value", "comment", "updated_at")


class ScoreInputSerializer(serializers.Serializer):
    criterion = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    value = serializers.IntegerField(min_value=SCORE_MIN, max_value=SCORE_MAX)
    comment = serializers.CharField(max_length=5000, allow_blank=True, default="")


class ScoresSetSerializer(serializers.Serializer):
    scores = ScoreInputSerializer(many=True, max_length=12)


class JurorInviteSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)


class JurorSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username")

    class Meta:
        model = OpportunityJuror
        fields = ("username", "created_at")


class CriterionSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReviewCriterion
        fields = ("id", "label", "weight")


class CriterionInputSerializer(serializers.Serializer):
    label = serializers.CharField(max_length=120)
    weight = serializers.IntegerField(min_value=1, max_value=100, default=1)


class RoundSerializer(serializers.ModelSerializer):
    criteria = CriterionSerializer(many=True, read_only=True)

    class Meta:
        model = ReviewRound
        fields = ("id", "number", "name", "blind", "criteria", "created_at")


class RoundCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=120)
    blind = serializers.BooleanField(default=False)
    criteria = CriterionInputSerializer(many=True, max_length=12)
