"""The shared tag vocabulary: tags are created by name, reused ignoring case."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from konnaxion.core.errors import ValidationFailed
from konnaxion.tags.models import Tag

TAG_MAX_LENGTH = 64


def tag_name_normalise(name: str) -> str:
    """`name` with surrounding whitespace removed and inner runs of whitespace made one space."""
    return " ".join(str(name).split())


def tags_get_or_create(*, names: list[str]) -> list[Tag]:
    """The tags named `names` (in order, without duplicates), created when missing.

    Reuse ignores case; concurrent callers creating the same name get the same row.
    Raises ValidationFailed for a blank or too long name.
    """
    wanted: dict[str, str] = {}
    for raw in names:
        name = tag_name_normalise(raw)
        if not name or len(name) > TAG_MAX_LENGTH:
            raise ValidationFailed(
                f"Tag names must be 1 to {TAG_MAX_LENGTH} characters.",
                details={"fields": {"tags": [str(raw)[:80]]}},
            )
        wanted.setdefault(name.lower(), name)
    tags = []
    for key, name in wanted.items():
        tags.append(_tag_get_or_create(key=key, name=name))
    return tags


def _tag_get_or_create(*, key: str, name: str) -> Tag:
    existing = Tag.objects.filter(name__iexact=key).first()
    if existing:
        return existing
    try:
        with transaction.atomic():
            return Tag.objects.create(name=name)
    except IntegrityError:
        # Another writer created it between our read and our insert.
        return Tag.objects.get(name__iexact=key)
