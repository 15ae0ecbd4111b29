"""Notifications as sentences in the active language, from their kind and params.

Sentences are chosen when a notification is displayed (a page, the API, a socket, an email),
never when it is stored, so each reader gets their own language.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext, gettext_lazy, pgettext_lazy

from konnaxion.notifications.models import Channel, Kind, Notification

SENTENCES = {
    Kind.PROJECT_INVITED: gettext_lazy("{actor} added you to the project “{project}”."),
    Kind.ROOM_INVITED: gettext_lazy("{actor} invited you to the room “{room}”."),
    Kind.VERSION_ADDED: gettext_lazy("{actor} uploaded version {version} of “{document}”."),
    Kind.COMMENT_ADDED: gettext_lazy("{actor} commented on “{document}”."),
    Kind.MENTIONED: gettext_lazy("{actor} mentioned you in “{title}”."),
    Kind.PERMISSION_CHANGED: gettext_lazy("{actor} changed your access to “{document}”: {level}."),
    Kind.LOCK_BROKEN: gettext_lazy("{actor} broke your lock on “{document}”."),
    Kind.SHARE_LINK_USED: gettext_lazy(
        "Your share link to “{document}” was opened for the first time."
    ),
    Kind.UPLOAD_LINK_RECEIVED: gettext_lazy("Your upload link “{link}” received a file: {file}."),
    Kind.ACCOUNT_EXPORT_READY: gettext_lazy("The export of your data is ready to download."),
    # A person matching a saved search of People (the person is the actor).
    Kind.SAVED_SEARCH_MATCH: gettext_lazy("{actor} matches your saved search “{search}”."),
    Kind.SAVED_SEARCH_DAILY: gettext_lazy("{actor} matches your saved search “{search}”."),
    Kind.OPPORTUNITY_CLOSING_SOON: gettext_lazy(
        "“{opportunity}”, which you saved or started applying to, closes soon "
        "(deadline: {deadline})."
    ),
    Kind.APPLICATION_RECEIVED: gettext_lazy("{actor} applied to “{opportunity}”."),
    Kind.APPLICATION_STATUS_CHANGED: gettext_lazy(
        "Your application to “{opportunity}” is now: {status}."
    ),
    Kind.APPLICATION_DECIDED: gettext_lazy(
        "A decision was made on your application to “{opportunity}”: {status}."
    ),
    Kind.JUROR_INVITED: gettext_lazy("{actor} invited you to the jury of “{opportunity}”."),
}

# Application statuses named in `application_*` params, worded for the reader.
APPLICATION_STATUSES = {
    "draft": pgettext_lazy("application status", "draft"),
    "submitted": pgettext_lazy("application status", "submitted"),
    "in_review": pgettext_lazy("application status", "in review"),
    "shortlisted": pgettext_lazy("application status", "shortlisted"),
    "accepted": pgettext_lazy("application status", "accepted"),
    "declined": pgettext_lazy("application status", "declined"),
    "withdrawn": pgettext_lazy("application status", "withdrawn"),
}

# A saved search's match that is an opportunity (its params carry `opportunity`).
SAVED_SEARCH_OPPORTUNITY = gettext_lazy(
    "New opportunity “{opportunity}” matches your saved search “{search}”."
)

# `upload_link_received` told to the watchers of the project rather than to the link's creator
# (their params carry `project`, not the link's label).
UPLOAD_RECEIVED_FOR_WATCHERS = gettext_lazy("A file was received by link in “{project}”: {file}.")

SAVED_SEARCH_KINDS = (Kind.SAVED_SEARCH_MATCH, Kind.SAVED_SEARCH_DAILY)

# Access levels named in `permission_changed` params, worded for the reader.
LEVELS = {
    "none": pgettext_lazy("access level", "no access"),
    "read": pgettext_lazy("access level", "read"),
    "write": pgettext_lazy("access level", "write"),
    "admin": pgettext_lazy("access level", "admin"),
}

# The email channel of a kind for someone who never chose: at once for what asks for an
# answer or concerns something of one's own (an invitation, a mention, a broken lock), the
# daily digest for the rest.
DEFAULT_CHANNELS = {
    Kind.PROJECT_INVITED: Channel.IMMEDIATE,
    Kind.ROOM_INVITED: Channel.IMMEDIATE,
    Kind.VERSION_ADDED: Channel.DIGEST,
    Kind.COMMENT_ADDED: Channel.DIGEST,
    Kind.MENTIONED: Channel.IMMEDIATE,
    Kind.PERMISSION_CHANGED: Channel.DIGEST,
    Kind.LOCK_BROKEN: Channel.IMMEDIATE,
    Kind.SHARE_LINK_USED: Channel.DIGEST,
    Kind.UPLOAD_LINK_RECEIVED: Channel.DIGEST,
    # Asked for a moment ago, and its link expires: told at once.
    Kind.ACCOUNT_EXPORT_READY: Channel.IMMEDIATE,
    # The saved search's owner chose: at once, or the daily digest.
    Kind.SAVED_SEARCH_MATCH: Channel.IMMEDIATE,
    Kind.SAVED_SEARCH_DAILY: Channel.DIGEST,
    # A deadline days away: told at once.
    Kind.OPPORTUNITY_CLOSING_SOON: Channel.IMMEDIATE,
    # A poster hears of each new application in the digest; an applicant of each step at once
    # (their own application), and a juror of the invitation (it asks for work).
    Kind.APPLICATION_RECEIVED: Channel.DIGEST,
    Kind.APPLICATION_STATUS_CHANGED: Channel.IMMEDIATE,
    Kind.APPLICATION_DECIDED: Channel.IMMEDIATE,
    Kind.JUROR_INVITED: Channel.IMMEDIATE,
}


class _Params(dict[str, str]):
    """A missing parameter renders as nothing rather than failing the whole page."""

    def __missing__(self, key: str) -> str:
        return ""


def actor_name(notification: Notification) -> str:
    actor = notification.actor
    if actor is None:
        return gettext("Someone")
    if actor.is_former_member:
        return gettext("A former member")
    return actor.name or actor.username


def notification_text(notification: Notification) -> str:
    """The notification as one sentence in the active language."""
    values = _Params({key: str(value) for key, value in (notification.params or {}).items()})
    values["actor"] = actor_name(notification)
    if notification.kind == Kind.PERMISSION_CHANGED:
        values["level"] = str(LEVELS.get(values["level"], values["level"]))
    if "status" in values:
        values["status"] = str(APPLICATION_STATUSES.get(values["status"], values["status"]))
    sentence = SENTENCES.get(Kind(notification.kind)) if notification.kind in Kind.values else None
    if sentence is None:
        return gettext("Something happened.")
    if notification.kind == Kind.UPLOAD_LINK_RECEIVED and "project" in values:
        sentence = UPLOAD_RECEIVED_FOR_WATCHERS
    if notification.kind in SAVED_SEARCH_KINDS and "opportunity" in values:
        sentence = SAVED_SEARCH_OPPORTUNITY
    return str(sentence).format_map(values)


def notification_as_dict(notification: Notification) -> dict[str, Any]:
    """What a client is told of one notification (the API and the socket)."""
    return {
        "id": notification.pk,
        "kind": notification.kind,
        "text": notification_text(notification),
        "url": notification.url,
        "actor": notification.actor.username if notification.actor else None,
        "created_at": notification.created_at.isoformat(),
        "read": notification.read_at is not None,
    }
