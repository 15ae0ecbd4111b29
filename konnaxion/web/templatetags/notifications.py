"""Template tags of the notification centre: the header's bell and the watch buttons."""

from __future__ import annotations

from django import template
from django.db.models import Model

from konnaxion.notifications.selectors import notifications_unread_count, watch_exists

register = template.Library()


@register.inclusion_tag("web/notifications/_bell.html", takes_context=True)
def notification_bell(context: template.Context) -> dict:
    """The bell with the unread count as the server sees it (the page's script then keeps it
    live); nothing for anonymous visitors."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"show": False}
    return {"show": True, "unread": notifications_unread_count(user=user)}


@register.inclusion_tag("web/notifications/_watch_form.html", takes_context=True)
def watch_button(context: template.Context, target: Model, target_type: str) -> dict:
    """Watch / stop watching `target` (a "document" or a "project") for signed-in visitors."""
    request = context.get("request")
    user = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    return {
        "show": signed_in,
        "target": target,
        "target_type": target_type,
        "watching": signed_in and watch_exists(user=user, target=target),
        "next": request.get_full_path() if request is not None else "",
        "csrf_token": context.get("csrf_token"),
    }
