"""Suggestion reasons as text, in the active language (the page's, or the API request's).

The ranking keeps reasons as data (`reasons.Reason`); this is the one place
that words them, with gettext and ngettext so that every language gets its own plural forms
(Arabic has six) and its own way of listing names.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.utils.translation import gettext_lazy, ngettext, ngettext_lazy, pgettext

from .reasons import Reason

# One sentence per code. The plural form follows the reason's "count".
SENTENCES = {
    "shared_skills": ngettext_lazy(
        "shares %(count)s skill: %(names)s", "shares %(count)s skills: %(names)s", "count"
    ),
    "shared_tags": ngettext_lazy(
        "shares %(count)s tag: %(names)s", "shares %(count)s tags: %(names)s", "count"
    ),
    "shared_styles": ngettext_lazy(
        "shares %(count)s style: %(names)s", "shares %(count)s styles: %(names)s", "count"
    ),
    "followed_by_people_you_follow": ngettext_lazy(
        "followed by %(count)s person you follow",
        "followed by %(count)s people you follow",
        "count",
    ),
    "follows_you": gettext_lazy("follows you"),
    "followers": ngettext_lazy(
        "followed by %(count)s person", "followed by %(count)s people", "count"
    ),
    "collaborated": ngettext_lazy(
        "collaborated with you in %(count)s session",
        "collaborated with you in %(count)s sessions",
        "count",
    ),
    "strong_in": gettext_lazy("strong in %(domain)s"),
    "well_rated": ngettext_lazy(
        "well rated in Smart Vote (%(count)s vote)",
        "well rated in Smart Vote (%(count)s votes)",
        "count",
    ),
    "mutual_connections": ngettext_lazy(
        "%(count)s mutual connection", "%(count)s mutual connections", "count"
    ),
    "wider_network": gettext_lazy("in your wider network"),
    "open_to_collaboration": gettext_lazy("open to collaboration"),
    "worked_with_your_collaborators": ngettext_lazy(
        "worked with %(count)s of your collaborators",
        "worked with %(count)s of your collaborators",
        "count",
    ),
    "worked_with_people_like_you": ngettext_lazy(
        "worked with %(count)s person with skills like yours",
        "worked with %(count)s people with skills like yours",
        "count",
    ),
    "complementary_skills": ngettext_lazy(
        "brings %(count)s skill you do not list: %(names)s",
        "brings %(count)s skills you do not list: %(names)s",
        "count",
    ),
}


def reason_text(reason: Reason) -> str:
    """One reason as a sentence, e.g. "shares 3 skills: cyanotype, risograph, etching".

    Raises KeyError for a code this version does not know (see `is_reason`)."""
    sentence = SENTENCES[reason["code"]]
    return str(
        sentence
        % {
            "count": reason.get("count", 0),
            "names": _names(reason),
            "domain": reason.get("domain", ""),
        }
    )


def reasons_text(reasons: Iterable[Reason]) -> list[str]:
    """Each reason as a sentence, in the same order."""
    return [reason_text(reason) for reason in reasons]


def is_reason(value: object) -> bool:
    """Whether `value` is a reason this version can word (stored lists may predate it)."""
    return isinstance(value, Mapping) and value.get("code") in SENTENCES


def _names(reason: Reason) -> str:
    """The named tags in the language's list style, then how many more there are."""
    listed = pgettext("list separator", ", ").join(reason.get("names", ()))
    more = reason.get("more", 0)
    if not more:
        return listed
    return ngettext("%(names)s and %(more)s more", "%(names)s and %(more)s more", more) % {
        "names": listed,
        "more": more,
    }
