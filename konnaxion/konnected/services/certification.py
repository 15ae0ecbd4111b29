"""CertifiKation: quiz attempts scored on the server, retry cooldown, peer validation."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone

from konnaxion.core.errors import Conflict, ValidationFailed
from konnaxion.konnected.models import CertificationPath, Evaluation, PeerValidation
from konnaxion.users.models import User


def quiz_score(*, path: CertificationPath, answers: list[int]) -> Decimal:
    """The percentage (two decimals) of `answers` matching the quiz. Raises ValidationFailed."""
    quiz = path.quiz or []
    if not quiz:
        raise ValidationFailed("This path has no quiz.", code="no_quiz")
    if len(answers) != len(quiz):
        raise ValidationFailed(
            f"Answer all {len(quiz)} questions.",
            details={"fields": {"answers": f"{len(quiz)} answers expected"}},
        )
    right = sum(
        1
        for question, answer in zip(quiz, answers, strict=True)
        if question.get("answer") == answer
    )
    return (Decimal(right) * 100 / len(quiz)).quantize(Decimal("0.01"))


@transaction.atomic
def evaluation_submit(*, user: User, path: CertificationPath, answers: list[int]) -> Evaluation:
    """Score the user's answers; passed at CERT_PASS_PERCENT or more.

    A new attempt within QUIZ_RETRY_COOLDOWN_MIN minutes of the previous one is refused
    (Conflict `retry_cooldown`); the user's row is locked so concurrent attempts count as one.
    """
    score = quiz_score(path=path, answers=answers)
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()
    now = timezone.now()
    last = (
        Evaluation.objects.filter(user=user, path=path)
        .order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    cooldown = timedelta(minutes=settings.QUIZ_RETRY_COOLDOWN_MIN)
    if last is not None and now - last < cooldown:
        retry_at = last + cooldown
        raise Conflict(
            "Wait before retrying this quiz.",
            code="retry_cooldown",
            details={"retry_at": retry_at.isoformat()},
        )
    return Evaluation.objects.create(
        user=user,
        path=path,
        raw_score=score,
        passed=score >= settings.CERT_PASS_PERCENT,
        metadata={"answers": answers, "questions": len(path.quiz)},
    )


@transaction.atomic
def peer_validation_record(
    *, evaluation: Evaluation, peer: User, decision: str, comment: str = ""
) -> PeerValidation:
    """Record a peer's decision (approved / rejected) on someone else's evaluation, once.

    Raises ValidationFailed (own evaluation, unknown decision), Conflict (already decided).
    """
    if evaluation.user_id == peer.pk:
        raise ValidationFailed("You cannot validate your own evaluation.", code="own_evaluation")
    if decision not in PeerValidation.Decision.values:
        raise ValidationFailed(details={"fields": {"decision": "approved or rejected"}})
    try:
        with transaction.atomic():
            return PeerValidation.objects.create(
                evaluation=evaluation,
                evaluated_user_id=evaluation.user_id,
                peer=peer,
                decision=decision,
                comment=comment,
            )
    except IntegrityError as error:
        raise Conflict(
            "You already validated this evaluation.", code="already_validated"
        ) from error
