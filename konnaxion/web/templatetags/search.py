"""Template helpers of the search pages."""

from __future__ import annotations

import html
import re

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

MARKS = re.compile(r"(</?mark>)")


@register.filter
def highlighted(snippet: str | None) -> SafeString:
    """A search snippet (escaped text, matches in <mark>) as HTML where nothing but balanced
    <mark> elements can be markup: every other part is escaped again from its plain text."""
    parts, open_mark = [], False
    for part in MARKS.split(snippet or ""):
        if part == "<mark>" and not open_mark:
            parts.append(part)
            open_mark = True
        elif part == "</mark>" and open_mark:
            parts.append(part)
            open_mark = False
        else:
            parts.append(escape(html.unescape(part)))
    if open_mark:
        parts.append("</mark>")
    return mark_safe("".join(parts))  # noqa: S308 - built from escaped parts above
