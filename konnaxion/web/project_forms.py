"""Forms of the /projects pages: they validate; keenKonnect's services write."""

from __future__ import annotations

from django import forms
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.translation import gettext_lazy as _

from konnaxion.ekoh.selectors import expertise_categories
from konnaxion.keenkonnect.models import Project, ProjectTeam
from konnaxion.tags.services import TAG_MAX_LENGTH

TAGS_MAX = 50

# The models' choice labels are English only; the pages show these.
STATUS_LABELS = {
    Project.Status.DRAFT: _("Draft"),
    Project.Status.ACTIVE: _("Active"),
    Project.Status.COMPLETED: _("Completed"),
    Project.Status.ARCHIVED: _("Archived"),
}
VISIBILITY_LABELS = {
    Project.Visibility.PUBLIC: _("Public"),
    Project.Visibility.MEMBERS: _("Members only"),
}
ROLE_LABELS = {
    ProjectTeam.Role.OWNER: _("Owner"),
    ProjectTeam.Role.COLLABORATOR: _("Collaborator"),
    ProjectTeam.Role.MENTOR: _("Mentor"),
}


class TagsField(forms.CharField):
    """Tag names separated by commas: "cnc, wood joinery" becomes ["cnc", "wood joinery"]."""

    def to_python(self, value: str | None) -> list[str]:
        text = super().to_python(value)
        return [name.strip() for name in text.split(",") if name.strip()]

    def validate(self, value: list[str]) -> None:
        if self.required and not value:
            raise forms.ValidationError(self.error_messages["required"], code="required")

    def run_validators(self, value: list[str]) -> None:
        if len(value) > TAGS_MAX:
            raise forms.ValidationError(
                _("At most %(count)s tags.") % {"count": TAGS_MAX}, code="too_many"
            )
        for name in value:
            # Replacing CharField's validators drops its NUL check: PostgreSQL refuses the byte.
            ProhibitNullCharactersValidator()(name)
            if len(name) > TAG_MAX_LENGTH:
                raise forms.ValidationError(
                    _("A tag has at most %(count)s characters.") % {"count": TAG_MAX_LENGTH},
                    code="too_long",
                )


class ProjectForm(forms.Form):
    """Create (and, with `status`, edit) a project."""

    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    category = forms.ModelChoiceField(
        label=_("Category"),
        queryset=expertise_categories(),
        required=False,
        empty_label=_("No category"),
        help_text=_("The field of knowledge the project belongs to."),
    )
    visibility = forms.ChoiceField(
        label=_("Visibility"),
        choices=list(VISIBILITY_LABELS.items()),
        initial=Project.Visibility.PUBLIC,
        help_text=_("Members-only projects are seen by their team alone."),
    )
    tags = TagsField(
        label=_("Tags"),
        required=False,
        help_text=_("Separated by commas, for example: woodwork, furniture"),
    )

    def clean_title(self) -> str:
        title = self.cleaned_data["title"].strip()
        if not title:
            raise forms.ValidationError(_("A project needs a title."), code="blank")
        return title


class ProjectEditForm(ProjectForm):
    status = forms.ChoiceField(label=_("Status"), choices=list(STATUS_LABELS.items()))
    links_allowed = forms.BooleanField(
        label=_("Allow share links and upload links"),
        required=False,
        help_text=_(
            "Admins of a document may then share it with anyone holding a link, and owners "
            "may make links through which outsiders send files. Turning this off stops every "
            "link of the project at once."
        ),
    )

    two_factor_required = forms.BooleanField(
        label=_("Require two-factor authentication of the members"),
        required=False,
        help_text=_(
            "Members without a second factor then lose access to the project and its documents "
            "until they set one up. You need one yourself to turn this on."
        ),
    )

    field_order = (
        "title",
        "description",
        "category",
        "status",
        "visibility",
        "links_allowed",
        "two_factor_required",
        "tags",
    )

    @classmethod
    def for_project(cls, project: Project) -> ProjectEditForm:
        return cls(
            initial={
                "title": project.title,
                "description": project.description,
                "category": project.category_id,
                "status": project.status,
                "visibility": project.visibility,
                "links_allowed": project.links_allowed,
                "two_factor_required": project.two_factor_required,
                "tags": ", ".join(tag.name for tag in project.tags.all()),
            },
            auto_id="edit_%s",
        )


class ProjectSearchForm(forms.Form):
    """The Browse tab's search box and filters; every field may stay empty."""

    q = forms.CharField(label=_("Title contains"), max_length=200, required=False)
    tag = forms.CharField(label=_("Tag"), max_length=TAG_MAX_LENGTH, required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), *STATUS_LABELS.items()],
    )


class MemberAddForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    role = forms.ChoiceField(
        label=_("Role"), choices=list(ROLE_LABELS.items()), initial=ProjectTeam.Role.COLLABORATOR
    )

    def clean_username(self) -> str:
        return self.cleaned_data["username"].strip()


class MemberRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=list(ROLE_LABELS.items()))
