"""Celery tasks of Kreative."""

from celery import shared_task

from konnaxion.kreative.models import KreativeArtwork
from konnaxion.kreative.services.artworks import artwork_derive_images
from konnaxion.kreative.services.collaboration_workspace import workspaces_end_idle
from konnaxion.kreative.services.intelligent_matching import (
    suggestions_precompute_active,
    suggestions_refresh_user,
)
from konnaxion.kreative.services.opportunity_announcement import opportunities_close_expired
from konnaxion.kreative.services.partner_recommendation import endorsements_publish_due
from konnaxion.kreative.services.saved_searches import (
    opportunities_closing_soon_remind,
    saved_searches_alert_all,
)
from konnaxion.users.models import User


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=3, ignore_result=True)
def artwork_derive_images_task(artwork_id: int) -> None:
    """Make the derived sizes of an image artwork (idempotent; gone artworks are skipped)."""
    artwork = KreativeArtwork.objects.filter(
        pk=artwork_id, media_type=KreativeArtwork.MediaType.IMAGE
    ).first()
    if artwork is not None:
        artwork_derive_images(artwork=artwork)


@shared_task(ignore_result=True)
def opportunities_close_expired_task() -> int:
    """Close open opportunities whose deadline has passed (beat; idempotent)."""
    return opportunities_close_expired()


@shared_task(ignore_result=True)
def endorsements_publish_due_task() -> int:
    """Publish endorsements whose double-blind period is over (beat; idempotent)."""
    return endorsements_publish_due()


@shared_task(ignore_result=True)
def workspaces_end_idle_task() -> int:
    """End the collaboration sessions nobody has been connected to for 30 minutes (beat;
    idempotent)."""
    return len(workspaces_end_idle())


@shared_task(ignore_result=True)
def suggestions_refresh_task(user_id: int) -> int:
    """Recompute a user's people suggestions after their tags or follows changed (idempotent)."""
    if not User.objects.filter(pk=user_id, is_active=True).exists():
        return 0
    return suggestions_refresh_user(user_id=user_id)


@shared_task(ignore_result=True)
def suggestions_precompute_active_task() -> int:
    """Precompute the people suggestions of recently active users (beat; idempotent)."""
    return suggestions_precompute_active()


@shared_task(ignore_result=True)
def saved_searches_alert_task() -> int:
    """Tell the owners of alerting saved searches of their new matches (beat; idempotent)."""
    return saved_searches_alert_all()


@shared_task(ignore_result=True)
def opportunities_closing_soon_task() -> int:
    """Remind people of the saved opportunities whose deadline is near (beat; idempotent)."""
    return opportunities_closing_soon_remind()
