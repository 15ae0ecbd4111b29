"""Forms of the Blueprints tab: they validate; Stockage's services write."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from konnaxion.keenkonnect import selectors
from konnaxion.keenkonnect.models import AccessLevel, ProjectResource, ProjectTeam
from konnaxion.keenkonnect.services import granular_permissions

MAX_VERSION = 2_147_483_647
DEFAULT_LEVEL = ""
LEVEL_LABELS = {
    "none": _("None: cannot see it"),
    "read": _("Read"),
    "write": _("Write"),
    "admin": _("Admin"),
}


class DiffForm(forms.Form):
    """Two versions of a document to compare, older first."""

    old = forms.TypedChoiceField(label=_("From version"), coerce=int)
    new = forms.TypedChoiceField(label=_("To version"), coerce=int)

    @classmethod
    def for_versions(cls, versions, data=None) -> DiffForm:
        numbers = [version.number for version in versions]
        initial = {}
        if len(numbers) >= 2:
            initial = {"old": numbers[1], "new": numbers[0]}
        form = cls(data, initial=initial, auto_id="diff_%s")
        choices = [(number, str(number)) for number in numbers]
        form.fields["old"].choices = choices
        form.fields["new"].choices = choices
        return form

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("old") is not None and cleaned.get("old") == cleaned.get("new"):
            raise forms.ValidationError(_("Choose two different versions."))
        return cleaned


class RestoreForm(forms.Form):
    version = forms.IntegerField(min_value=1, max_value=MAX_VERSION)
    comment = forms.CharField(required=False, max_length=10_000)


class PermissionsForm(forms.Form):
    """One level per team member who is not an owner (owners are always admin): the role's
    default, or an entry that overrides it (none hides the document from that member)."""

    def __init__(self, *args, members: list[ProjectTeam], entries: dict[str, str], **kwargs):
        super().__init__(*args, auto_id="access_%s", **kwargs)
        self.members = members
        choices = [(DEFAULT_LEVEL, _("Role's default")), *LEVEL_LABELS.items()]
        for membership in members:
            name = membership.user.username
            self.fields[f"level-{name}"] = forms.ChoiceField(
                label=name,
                choices=choices,
                required=False,
                initial=entries.get(name, DEFAULT_LEVEL),
            )

    @classmethod
    def for_resource(cls, resource: ProjectResource, data=None) -> PermissionsForm:
        members = [
            membership
            for membership in selectors.project_team_of(project=resource.project).order_by(
                "user__username"
            )
            if membership.role != ProjectTeam.Role.OWNER
        ]
        entries = {
            entry["user"]: entry["level"]
            for entry in granular_permissions.access_entries_of(resource=resource)
        }
        return cls(data, members=members, entries=entries)

    def rows(self):
        """(membership, bound field) pairs, in username order, for the template."""
        return [(m, self[f"level-{m.user.username}"]) for m in self.members]

    def entries(self) -> list[dict[str, str]]:
        """The entries to store: one per member whose level is not the role's default."""
        return [
            {"user": m.user.username, "level": level}
            for m in self.members
            if (level := self.cleaned_data.get(f"level-{m.user.username}")) != DEFAULT_LEVEL
        ]


LEVEL_NAMES = {level.value: LEVEL_LABELS[level.label] for level in AccessLevel}
