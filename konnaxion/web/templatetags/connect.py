"""Template helpers of /connect and /profile: translated choice labels."""

from __future__ import annotations

from django import template

from konnaxion.web.connect_forms import (
    OPPORTUNITY_STATUS_LABELS,
    OPPORTUNITY_TYPE_LABELS,
    PROFILE_ROLE_LABELS,
    SCOPE_LABELS,
)

register = template.Library()


@register.filter
def opportunity_type_label(value: str) -> str:
    return str(OPPORTUNITY_TYPE_LABELS.get(value, value))


@register.filter
def opportunity_status_label(value: str) -> str:
    return str(OPPORTUNITY_STATUS_LABELS.get(value, value))


@register.filter
def profile_role_label(value: str) -> str:
    return str(PROFILE_ROLE_LABELS.get(value, value))


@register.filter
def scope_label(value: str) -> str:
    return str(SCOPE_LABELS.get(value, value))
