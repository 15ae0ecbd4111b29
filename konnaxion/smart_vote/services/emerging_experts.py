"""Detection of emerging experts: a weighted score that rose fast over the recent window."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from konnaxion.ekoh.models import ScoreHistory, UserExpertiseScore
from konnaxion.smart_vote.models import EmergingExpert


def emerging_experts_detect(*, today: date | None = None) -> list[EmergingExpert]:
    """Flag every score that rose by EMERGING_EXPERT_THRESHOLD over EMERGING_EXPERT_WINDOW_DAYS.

    The baseline is the score at the window's start: the last change before it, else the value
    before the first change inside it. Scores starting from 0 are not judged (no baseline).
    Idempotent for one day: a user and category are flagged once per detection date.
    """
    now = timezone.now()
    today = today or timezone.localdate(now)
    cutoff = now - timedelta(days=settings.EMERGING_EXPERT_WINDOW_DAYS)
    threshold = Decimal(str(settings.EMERGING_EXPERT_THRESHOLD))

    before = ScoreHistory.objects.filter(merit_score=OuterRef("pk"), created_at__lte=cutoff)
    inside = ScoreHistory.objects.filter(merit_score=OuterRef("pk"), created_at__gt=cutoff)
    scores = (
        UserExpertiseScore.objects.filter(history__created_at__gt=cutoff)
        .distinct()
        .annotate(
            value_before=Subquery(before.order_by("-created_at", "-id").values("new_value")[:1]),
            value_at_window_start=Subquery(
                inside.order_by("created_at", "id").values("old_value")[:1]
            ),
        )
    )
    flagged = []
    with transaction.atomic():
        for score in scores:
            baseline = (
                score.value_before
                if score.value_before is not None
                else score.value_at_window_start
            )
            if not baseline or baseline <= 0:
                continue
            delta = score.weighted_score - baseline
            if delta / baseline >= threshold:
                expert, _ = EmergingExpert.objects.get_or_create(
                    user_id=score.user_id,
                    category_id=score.category_id,
                    detection_date=today,
                    defaults={"score_delta": delta},
                )
                flagged.append(expert)
    return flagged
