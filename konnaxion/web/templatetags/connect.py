"""Template helpers of /connect and /profile: translated choice labels, picture addresses."""

from __future__ import annotations

from django import template
from django.conf import settings

from konnaxion.kreative.api.stored_files import artwork_media_url
from konnaxion.web.connect_forms import (
    OPPORTUNITY_STATUS_LABELS,
    OPPORTUNITY_TYPE_LABELS,
    PROFILE_ROLE_LABELS,
    SCOPE_LABELS,
)

register = template.Library()

# Grid cells are about 15rem wide: a 256-pixel picture is enough for them.
GRID_IMAGE_PIXELS = 256


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


@register.filter
def artwork_image_url(artwork) -> str:
    """The artwork's picture for a grid: its smallest derived size of at least 256 pixels
    (the original until the derived sizes exist), through the view that checks visibility."""
    sizes = sorted(px for px in settings.ARTWORK_RESOLUTIONS if px >= GRID_IMAGE_PIXELS)
    return artwork_media_url(artwork.pk, size=sizes[0] if sizes else None)
