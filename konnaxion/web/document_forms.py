"""Forms of the document page's editing: the document's title and description, a version's
label and note. They validate the shape; Stockage's services decide the rest."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from konnaxion.core.errors import ValidationFailed
from konnaxion.keenkonnect.models import ProjectResource
from konnaxion.keenkonnect.models.documents import (
    VERSION_LABEL_MAX_LENGTH,
    VERSION_NOTE_MAX_LENGTH,
)
from konnaxion.keenkonnect.services.secure_document_storage import document_tags_clean

MAX_DESCRIPTION = 10_000


class DocumentEditForm(forms.Form):
    """A document's title (required) and description, as the API's PATCH takes them."""

    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=MAX_DESCRIPTION,
        widget=forms.Textarea(attrs={"rows": 4, "dir": "auto"}),
    )

    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        max_length=2_000,
        help_text=_("Separated by commas, at most 20."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, auto_id="edit_%s", **kwargs)
        self.fields["title"].widget.attrs["dir"] = "auto"
        self.fields["tags"].widget.attrs["dir"] = "auto"

    @classmethod
    def for_resource(cls, resource: ProjectResource, data=None) -> DocumentEditForm:
        initial = {
            "title": resource.title,
            "description": resource.description,
            "tags": ", ".join(resource.tags),
        }
        return cls(data, initial=initial)

    def clean_tags(self) -> list[str]:
        names = [name for name in self.cleaned_data["tags"].split(",") if name.strip()]
        try:
            return document_tags_clean(tags=names)
        except ValidationFailed as refusal:
            raise forms.ValidationError(
                _("Each tag has 1 to 64 characters; at most 20 tags.")
            ) from refusal


class VersionLabelForm(forms.Form):
    """A version's label and note; empty clears them."""

    label = forms.CharField(
        label=_("Label"),
        required=False,
        max_length=VERSION_LABEL_MAX_LENGTH,
        help_text=_(
            "A short name, such as “Rev B - sent to fabricator”. "
            "Labelled versions are never deleted by retention."
        ),
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        strip=False,
        max_length=VERSION_NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
    )

    def __init__(self, *args, number: int, **kwargs):
        super().__init__(*args, auto_id=f"version{number}_%s", **kwargs)
        self.number = number
        self.fields["label"].widget.attrs["dir"] = "auto"
