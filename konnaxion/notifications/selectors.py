"""Reads of notifications: only one's own, only while their target is still visible to them."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, Q, QuerySet

from konnaxion.core.visibility import visibility_declared, visible_to
from konnaxion.notifications.models import (
    Channel,
    Kind,
    Notification,
    NotificationPreference,
    NotificationSetting,
    Watch,
)
from konnaxion.notifications.texts import DEFAULT_CHANNELS
from konnaxion.users.models import User


def target_type_of(target: Model | type[Model]) -> ContentType:
    """The content type of `target`'s model, read from the database rather than from Django's
    per-process cache: a process outliving a database flush (the live server of the tests, which
    empty the database between cases) would otherwise write ids that no longer exist."""
    opts = target._meta
    content_type, _ = ContentType.objects.get_or_create(
        app_label=opts.app_label, model=opts.model_name
    )
    return content_type


def target_visible(*, user: User, target_type: ContentType, target_id: int) -> bool:
    """Whether `user` may see the object (through the owning module's rule, `core.visibility`;
    a model without a rule is seen by nobody here: fail closed)."""
    model = target_type.model_class()
    if model is None or not visibility_declared(model=model):
        return False
    return visible_to(model=model, user=user).filter(pk=target_id).exists()


def person_visible(*, viewer: User, person: User | None) -> bool:
    """Whether `person` exists for `viewer` (`users.user` rule: blocks either way, closed
    accounts). Nobody (`None`) is always fine."""
    if person is None:
        return True
    return visible_to(model=get_user_model(), user=viewer).filter(pk=person.pk).exists()


def notifications_visible_to(*, user: User) -> QuerySet[Notification]:
    """`user`'s notifications, newest first, without those whose target they may no longer see
    or whose actor no longer exists for them. Anonymous visitors have none."""
    if not user.is_authenticated or not user.is_active:
        return Notification.objects.none()
    own = Notification.objects.filter(recipient=user)
    type_ids = list(own.order_by().values_list("target_type_id", flat=True).distinct())
    allowed = Q(pk__in=[])
    for target_type in (ContentType.objects.get_for_id(pk) for pk in type_ids):
        model = target_type.model_class()
        if model is None or not visibility_declared(model=model):
            continue
        visible = visible_to(model=model, user=user).order_by().values("pk")
        allowed |= Q(target_type=target_type, target_id__in=visible)
    people = visible_to(model=get_user_model(), user=user).order_by().values("pk")
    return (
        own.filter(allowed)
        .filter(Q(actor__isnull=True) | Q(actor__in=people))
        .select_related("actor")
        .order_by("-created_at", "-id")
    )


def notifications_unread_count(*, user: User) -> int:
    return notifications_visible_to(user=user).filter(read_at__isnull=True).count()


def channels_of(*, user: User) -> dict[str, str]:
    """`user`'s email channel for every kind: their choice, else the kind's default."""
    chosen = dict(NotificationSetting.objects.filter(user=user).values_list("kind", "email"))
    return {kind: chosen.get(kind, DEFAULT_CHANNELS[Kind(kind)]) for kind in Kind.values}


def channels_for(*, users: Iterable[User], kind: str) -> dict[int, str]:
    """The email channel of `kind` for each of `users` (one query)."""
    ids = [user.pk for user in users]
    chosen = dict(
        NotificationSetting.objects.filter(user_id__in=ids, kind=kind).values_list(
            "user_id", "email"
        )
    )
    default = DEFAULT_CHANNELS[Kind(kind)]
    return {pk: chosen.get(pk, default) for pk in ids}


def digest_kinds_of(*, user: User) -> list[str]:
    return [kind for kind, channel in channels_of(user=user).items() if channel == Channel.DIGEST]


def watchers_of(*, targets: Iterable[Model]) -> QuerySet[User]:
    """People watching any of `targets` (a document and its project, say), each once."""
    condition = Q(pk__in=[])
    for target in targets:
        condition |= Q(target_type=target_type_of(target), target_id=target.pk)
    return User.objects.filter(pk__in=Watch.objects.filter(condition).values("user_id"))


def watch_exists(*, user: User, target: Model) -> bool:
    if not user.is_authenticated:
        return False
    return Watch.objects.filter(
        user=user, target_type=target_type_of(target), target_id=target.pk
    ).exists()


def watches_of(*, user: User) -> QuerySet[Watch]:
    return Watch.objects.filter(user=user).select_related("target_type").order_by("-created_at")


def notification_language_of(*, user: User) -> str:
    """The language `user`'s emails are written in (the site's default until they choose)."""
    preference = NotificationPreference.objects.filter(user=user).first()
    return preference.language if preference else settings.LANGUAGE_CODE
