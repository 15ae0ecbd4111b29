"""Forms of the search pages: the global /search/ page and a project's document search. They
validate what the API's search validates; konnaxion/core/search.py does the searching."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

KIND_LABELS = {
    "document": _("Blueprints"),
    "profile": _("Profiles"),
    "opportunity": _("Opportunities"),
    "comment": _("Comments on blueprints"),
    "project": _("Projects"),
}
FILE_TYPE_CHOICES = [
    ("", _("Any type")),
    ("pdf", "PDF"),
    ("png", "PNG"),
    ("jpg", "JPEG"),
    ("gltf", "glTF"),
    ("glb", "GLB"),
    ("stl", "STL"),
]


class DateInput(forms.DateInput):
    input_type = "date"


class DocumentSearchForm(forms.Form):
    """Words in websearch syntax and the document filters; `q` alone is required."""

    q = forms.CharField(
        label=_("Search for"),
        max_length=200,
        help_text=_(
            'Quote a phrase ("oak pegs"), write or between alternatives, -word to leave out.'
        ),
    )
    type = forms.ChoiceField(label=_("File type"), choices=FILE_TYPE_CHOICES, required=False)
    tags = forms.CharField(
        label=_("Tags"), max_length=500, required=False, help_text=_("Separated by commas.")
    )
    uploader = forms.CharField(label=_("Uploaded by"), max_length=150, required=False)
    date_from = forms.DateField(label=_("Changed from"), required=False, widget=DateInput)
    date_to = forms.DateField(label=_("Changed until"), required=False, widget=DateInput)

    def clean(self) -> dict:
        data = super().clean()
        for name in ("q", "tags", "uploader"):
            if "\x00" in (data.get(name) or ""):
                self.add_error(name, _("This contains a character that is not allowed."))
        if not (data.get("q") or "").strip() and "q" not in self.errors:
            self.add_error("q", _("Give words to search for."))
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("This date is before the first one."))
        return data


class SearchForm(DocumentSearchForm):
    """The global search: the kinds of results too; document filters leave the other kinds out."""

    kind = forms.MultipleChoiceField(
        label=_("Show"),
        choices=list(KIND_LABELS.items()),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    field_order = ["q", "kind", "type", "tags", "uploader", "date_from", "date_to"]
