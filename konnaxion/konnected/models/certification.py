from django.conf import settings
from django.db import models
from django.db.models import F, Q


class CertificationPath(models.Model):
    """A certification: its quiz is a list of {"question", "options", "answer"} (answer = the
    index of the right option), never shown to learners with its answers."""

    name = models.CharField(max_length=200, unique=True)
    description = models.TextField(blank=True)
    quiz = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("name",)
        constraints = [
            models.CheckConstraint(condition=~Q(name=""), name="certification_path_name_not_blank")
        ]

    def __str__(self) -> str:
        return self.name


class Evaluation(models.Model):
    """One attempt of a user at a path's quiz: raw_score is the percentage of right answers and
    `passed` is raw_score >= CERT_PASS_PERCENT at the time of the attempt."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="evaluations"
    )
    path = models.ForeignKey(
        CertificationPath, on_delete=models.CASCADE, related_name="evaluations"
    )
    raw_score = models.DecimalField(max_digits=5, decimal_places=2)
    passed = models.BooleanField()
    metadata = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-created_at", "-id")
        indexes = [models.Index(fields=["user", "path", "-created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(raw_score__gte=0) & Q(raw_score__lte=100),
                name="evaluation_raw_score_range",
            ),
            # The target of PeerValidation's composite foreign key (evaluation, evaluated_user).
            models.UniqueConstraint(fields=["id", "user"], name="evaluation_id_user_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} on {self.path_id}: {self.raw_score}"


class PeerValidation(models.Model):
    """A peer's decision on an evaluation. `evaluated_user` copies the evaluation's user (a
    composite foreign key keeps them equal, migration 0002) so the database can refuse a user
    validating their own evaluation."""

    class Decision(models.TextChoices):
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"

    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, related_name="peer_validations"
    )
    evaluated_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    peer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="peer_validations"
    )
    decision = models.CharField(max_length=8, choices=Decision.choices)
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-created_at", "-id")
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "peer"], name="peer_validation_evaluation_peer_unique"
            ),
            models.CheckConstraint(
                condition=~Q(peer=F("evaluated_user")), name="peer_validation_peer_not_evaluated"
            ),
            models.CheckConstraint(
                condition=Q(decision__in=["approved", "rejected"]),
                name="peer_validation_decision_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.peer_id} {self.decision} {self.evaluation_id}"


class InteropMapping(models.Model):
    """The identifier of a certification in an external learning system."""

    local_certification = models.ForeignKey(
        CertificationPath, on_delete=models.CASCADE, related_name="interop_mappings"
    )
    external_system = models.CharField(max_length=100)
    external_id = models.CharField(max_length=200)

    class Meta:
        ordering = ("external_system", "external_id")
        constraints = [
            models.UniqueConstraint(
                fields=["external_system", "external_id"], name="interop_mapping_external_unique"
            ),
            models.UniqueConstraint(
                fields=["local_certification", "external_system"],
                name="interop_mapping_local_system_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.external_system}:{self.external_id}"
