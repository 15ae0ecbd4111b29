"""Template helpers of check-out locks: the panel of a document page, the badge of a list row."""

from __future__ import annotations

from typing import Any

from django import template

from konnaxion.keenkonnect import selectors
from konnaxion.keenkonnect.models import DocumentCheckout, ProjectResource
from konnaxion.web.checkout_forms import checkout_panel

register = template.Library()


@register.simple_tag(takes_context=True)
def checkout_context(context: template.Context) -> dict[str, Any]:
    """The document page's panel (`checkout_panel`) and where the page stands in the project's
    event stream (read before the lock, so an event between the two is replayed)."""
    project, document = context["project"], context["document"]
    seq = selectors.project_latest_event_seq(project=project)
    panel = checkout_panel(user=context["request"].user, project=project, document=document)
    return {**panel, "event_seq": seq}


@register.filter
def active_checkout(document: ProjectResource) -> DocumentCheckout | None:
    """The document's unexpired lock (loaded with it by the selector), or None."""
    return selectors.checkout_of(resource=document)
