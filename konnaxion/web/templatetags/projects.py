"""Template helpers of the /projects pages: translated choice labels and page links."""

from __future__ import annotations

from django import template
from django.http import QueryDict

from konnaxion.web.project_forms import ROLE_LABELS, STATUS_LABELS, VISIBILITY_LABELS

register = template.Library()


@register.filter
def status_label(value: str) -> str:
    return str(STATUS_LABELS.get(value, value))


@register.filter
def visibility_label(value: str) -> str:
    return str(VISIBILITY_LABELS.get(value, value))


@register.filter
def role_label(value: str) -> str:
    return str(ROLE_LABELS.get(value, value))


@register.simple_tag(takes_context=True)
def query_with(context: template.Context, **changes: object) -> str:
    """The current query string with `changes` applied (`?tab=browse&q=lamp&page=2`)."""
    request = context.get("request")
    query: QueryDict = request.GET.copy() if request else QueryDict(mutable=True)
    for name, value in changes.items():
        query[name] = str(value)
    return f"?{query.urlencode()}"
