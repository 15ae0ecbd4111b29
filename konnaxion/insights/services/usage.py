"""Monthly active users and content created per domain, from the modules' own activity rows."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.apps import apps
from django.db import transaction
from django.db.models import QuerySet

from konnaxion.insights.models import DimDomain, UsageMauFact
from konnaxion.insights.services.partitions import date_id_of, month_add, partition_ensure

# domain -> (model, user field, time field): a user is active in a domain in a month when one
# of these rows of theirs was written (or changed) during it.
ACTIVITY = {
    "smart_vote": [("smart_vote.Vote", "user", "updated_at")],
    "ekoh": [("ekoh.ScoreHistory", "merit_score__user", "created_at")],
    "ethikos": [
        ("ethikos.EthikosTopic", "created_by", "created_at"),
        ("ethikos.EthikosStance", "user", "updated_at"),
        ("ethikos.EthikosArgument", "author", "created_at"),
        ("ethikos.CitizenSuggestion", "author", "created_at"),
        ("ethikos.ConsultationVote", "user", "updated_at"),
    ],
    "konnected": [
        ("konnected.Evaluation", "user", "created_at"),
        ("konnected.LearningProgress", "user", "updated_at"),
        ("konnected.CoCreationContribution", "user", "created_at"),
        ("konnected.ForumTopic", "creator", "created_at"),
        ("konnected.ForumPost", "author", "created_at"),
    ],
    "kreative": [
        ("kreative.KreativeArtwork", "artist", "created_at"),
        ("kreative.TraditionEntry", "submitted_by", "submitted_at"),
    ],
    "keenkonnect": [
        ("keenkonnect.Project", "creator", "created_at"),
        ("keenkonnect.ProjectMessage", "author", "created_at"),
        ("keenkonnect.ProjectResource", "added_by", "created_at"),
    ],
}
PROJECTS = {
    "keenkonnect": [("keenkonnect.Project", "created_at")],
    "konnected": [("konnected.CoCreationProject", "created_at")],
}
DOCUMENTS = {
    "kreative": [
        ("kreative.KreativeArtwork", "created_at"),
        ("kreative.TraditionEntry", "submitted_at"),
    ],
}


def _in_month(model_label: str, field: str, first: date, after: date) -> QuerySet[Any]:
    model = apps.get_model(model_label)
    return model._default_manager.filter(
        **{f"{field}__date__gte": first, f"{field}__date__lt": after}
    )


def _count(sources: list[tuple[str, str]], first: date, after: date) -> int:
    return sum(_in_month(label, field, first, after).count() for label, field in sources)


@transaction.atomic
def usage_mau_compute(*, month: date) -> list[UsageMauFact]:
    """Compute (or recompute) every domain's row for the month of `month`; idempotent."""
    first = date(month.year, month.month, 1)
    after = month_add(first, 1)
    partition_ensure(table="usage_mau_fact", day=first)
    rows = []
    for domain in DimDomain.objects.order_by("domain_code"):
        users: set[int] = set()
        for label, user_field, time_field in ACTIVITY.get(domain.domain_code, []):
            users.update(
                _in_month(label, time_field, first, after)
                .exclude(**{f"{user_field}__isnull": True})
                .values_list(user_field, flat=True)
                .distinct()
            )
        fact, _ = UsageMauFact.objects.update_or_create(
            month_id=date_id_of(first),
            domain=domain,
            defaults={
                "mau": len(users),
                "projects_created": _count(PROJECTS.get(domain.domain_code, []), first, after),
                "docs_uploaded": _count(DOCUMENTS.get(domain.domain_code, []), first, after),
            },
        )
        rows.append(fact)
    return rows
