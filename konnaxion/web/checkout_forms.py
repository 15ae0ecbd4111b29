"""The check-out panel of a document page: its form and what it shows (docs/checkout.md)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from konnaxion.keenkonnect import selectors
from konnaxion.keenkonnect.models import AccessLevel, Project, ProjectResource, ProjectTeam
from konnaxion.users.models import User

# The durations offered, in hours; those past STOCKAGE_CHECKOUT_MAX_HOURS are left out.
DURATIONS = (1, 4, 8, 24, 72, 168)


def _duration_label(hours: int) -> str:
    if hours % 24 == 0:
        days = hours // 24
        return ngettext("%(count)s day", "%(count)s days", days) % {"count": days}
    return ngettext("%(count)s hour", "%(count)s hours", hours) % {"count": hours}


class CheckoutForm(forms.Form):
    """Check a document out: an optional note and how long."""

    note = forms.CharField(
        label=_("Check-out note (optional)"),
        required=False,
        max_length=500,
        widget=forms.TextInput(attrs={"dir": "auto"}),
    )
    hours = forms.TypedChoiceField(label=_("For"), coerce=int)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, auto_id="checkout_%s", **kwargs)
        maximum = settings.STOCKAGE_CHECKOUT_MAX_HOURS
        default = settings.STOCKAGE_CHECKOUT_DEFAULT_HOURS
        offered = sorted({h for h in DURATIONS if h <= maximum} | {default})
        self.fields["hours"].choices = [(h, _duration_label(h)) for h in offered]
        self.fields["hours"].initial = default


def checkout_panel(
    *, user: User | AnonymousUser, project: Project, document: ProjectResource
) -> dict[str, Any]:
    """What the panel shows `user`: the lock (None when there is none or it expired), whether
    they hold it, may lock (write level) or break it (project owner), and the form."""
    checkout = selectors.checkout_of(resource=document)
    is_owner = selectors.project_role_of(project=project, user=user) == ProjectTeam.Role.OWNER
    return {
        "lock": checkout,
        "is_holder": checkout is not None and checkout.holder_id == user.pk,
        "can_lock": document.my_level >= AccessLevel.WRITE,
        "can_break": checkout is not None and is_owner and checkout.holder_id != user.pk,
        "form": CheckoutForm(),
    }
