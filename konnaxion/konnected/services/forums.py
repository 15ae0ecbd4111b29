"""Learning forums: topics and posts."""

from __future__ import annotations

from django.db import transaction

from konnaxion.core.errors import ValidationFailed
from konnaxion.konnected.models import ForumPost, ForumTopic
from konnaxion.users.models import User


@transaction.atomic
def forum_topic_create(*, creator: User, title: str, category: str = "") -> ForumTopic:
    """Open a discussion thread. Raises ValidationFailed."""
    if not title.strip():
        raise ValidationFailed(details={"fields": {"title": "blank"}})
    return ForumTopic.objects.create(creator=creator, title=title.strip(), category=category)


@transaction.atomic
def forum_post_create(*, topic: ForumTopic, author: User, content: str) -> ForumPost:
    """Post in a thread. Raises ValidationFailed."""
    if not content.strip():
        raise ValidationFailed(details={"fields": {"content": "blank"}})
    return ForumPost.objects.create(topic=topic, author=author, content=content.strip())
