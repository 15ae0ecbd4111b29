"""Template helpers of the application pages: translated status and fee labels."""

from __future__ import annotations

from django import template

from konnaxion.web.application_forms import APPLICATION_STATUS_LABELS, FEE_STATUS_LABELS

register = template.Library()


@register.filter
def application_status_label(value: str) -> str:
    return str(APPLICATION_STATUS_LABELS.get(value, value))


@register.filter
def fee_status_label(value: str) -> str:
    return str(FEE_STATUS_LABELS.get(value, value))
