"""Analytic facts written by other modules' services (explicit calls, never signals)."""

from __future__ import annotations

import hashlib
import hmac
import uuid
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import DatabaseError, transaction
from django.utils import timezone

from konnaxion.insights.models import DimDomain, SmartVoteFact
from konnaxion.insights.services.partitions import date_id_of, partition_ensure

QUESTION_NAMESPACE = uuid.UUID("6f1c4d1e-8a53-4c55-9d0e-4b3c2a1f0e71")


def _user_hash_key() -> bytes:
    # A key of its own, derived from the secret key: the hash cannot be rebuilt from user ids
    # without the secret, and it differs from every other HMAC the platform makes.
    return hmac.new(
        settings.SECRET_KEY.encode(), b"konnaxion.insights.user_hash", hashlib.sha256
    ).digest()


def user_hash(*, user_id: int) -> uuid.UUID:
    """The anonymised identifier of a user in fact tables: an HMAC-SHA256 of the id, as a UUID."""
    digest = hmac.new(_user_hash_key(), str(user_id).encode(), hashlib.sha256).digest()
    return uuid.UUID(bytes=digest[:16])


def question_id_of(*, target_type: str, target_id: str) -> uuid.UUID:
    """A stable UUID for a vote target (uuid5 of "<target_type>#<target_id>")."""
    return uuid.uuid5(QUESTION_NAMESPACE, f"{target_type}#{target_id}")


def smart_vote_fact_record(
    *,
    user_id: int,
    target_type: str,
    target_id: str,
    vote_value: Decimal,
    weighted_value: Decimal,
    score_normalised: Decimal,
    on: date | None = None,
) -> SmartVoteFact:
    """Append one smart_vote_fact row (call it inside the vote's transaction).

    The domain is the target type's module when it is one of dim_domain's codes. When the
    month's partition is missing (the beat task has not run), it is created and the row retried.
    """
    on = on or timezone.now().date()
    module_name = target_type.partition(".")[0]
    fact = SmartVoteFact(
        date_id=date_id_of(on),
        domain=DimDomain.objects.filter(domain_code=module_name).first(),
        target_type=target_type,
        question_id=question_id_of(target_type=target_type, target_id=target_id),
        user_hash=user_hash(user_id=user_id),
        vote_value=vote_value,
        weighted_value=weighted_value,
        score_normalised=score_normalised,
    )
    try:
        with transaction.atomic():
            fact.save(force_insert=True)
    except DatabaseError:
        # No partition for this month yet ("no partition of relation found for row").
        partition_ensure(table="smart_vote_fact", day=on)
        with transaction.atomic():
            fact.save(force_insert=True)
    return fact
