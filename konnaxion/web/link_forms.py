"""Forms of share links and upload links: the owners' forms, and the outsiders' password and
upload forms. They validate; keenKonnect's link services write."""

from __future__ import annotations

from datetime import datetime, time

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from konnaxion.keenkonnect.services.link_tokens import PASSWORD_MAX_LENGTH

EXPIRY_CHOICES = [
    ("", _("Never")),
    ("1", _("In 1 day")),
    ("7", _("In 7 days")),
    ("30", _("In 30 days")),
    ("date", _("On a date")),
]
LATEST = "latest"


class LinkSettingsForm(forms.Form):
    """Password and expiry, common to both kinds of link."""

    password = forms.CharField(
        label=_("Password (optional)"),
        required=False,
        max_length=PASSWORD_MAX_LENGTH,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Whoever opens the link must type it."),
    )
    expiry = forms.ChoiceField(label=_("Expires"), choices=EXPIRY_CHOICES, required=False)
    expiry_date = forms.DateField(
        label=_("Expiry date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("With “On a date”: the link stops working at the end of that day."),
    )

    def clean(self):
        data = super().clean()
        if data.get("expiry") == "date" and not data.get("expiry_date"):
            self.add_error("expiry_date", _("Choose the date."))
        return data

    def expiry_arguments(self) -> dict[str, object]:
        choice = self.cleaned_data.get("expiry") or ""
        if choice == "date":
            day = self.cleaned_data["expiry_date"]
            end = timezone.make_aware(datetime.combine(day, time.max))
            return {"expires_at": end}
        return {"expires_in_days": int(choice)} if choice else {}


class ShareLinkForm(LinkSettingsForm):
    version = forms.ChoiceField(label=_("Version"))
    max_downloads = forms.IntegerField(
        label=_("Download limit (optional)"), required=False, min_value=1, max_value=1_000_000
    )

    field_order = ("version", "password", "expiry", "expiry_date", "max_downloads")

    @classmethod
    def for_versions(cls, numbers: list[int], data=None) -> ShareLinkForm:
        form = cls(data, auto_id="share_%s", initial={"version": LATEST, "expiry": "7"})
        form.fields["version"].choices = [
            (LATEST, _("Always the latest version")),
            *((str(number), _("Version %(number)s") % {"number": number}) for number in numbers),
        ]
        return form

    def arguments(self) -> dict[str, object]:
        version = self.cleaned_data["version"]
        return {
            "version_number": None if version == LATEST else int(version),
            "password": self.cleaned_data["password"],
            "max_downloads": self.cleaned_data["max_downloads"],
            **self.expiry_arguments(),
        }


class UploadLinkForm(LinkSettingsForm):
    label = forms.CharField(
        label=_("Name of the link"),
        max_length=100,
        help_text=_("Shown to the people who send files, and beside each file received."),
    )
    max_files = forms.IntegerField(
        label=_("Most files (optional)"), required=False, min_value=1, max_value=10_000
    )

    field_order = ("label", "password", "expiry", "expiry_date", "max_files")

    @classmethod
    def empty(cls, data=None) -> UploadLinkForm:
        return cls(data, auto_id="upload_link_%s", initial={"expiry": "7"})

    def arguments(self) -> dict[str, object]:
        return {
            "label": self.cleaned_data["label"],
            "password": self.cleaned_data["password"],
            "max_files": self.cleaned_data["max_files"],
            **self.expiry_arguments(),
        }


class LinkPasswordForm(forms.Form):
    password = forms.CharField(
        label=_("Password"),
        max_length=PASSWORD_MAX_LENGTH,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class LinkUploadForm(forms.Form):
    """What an outsider sends through an upload link (the file itself is streamed apart)."""

    name = forms.CharField(
        label=_("Your name (optional)"),
        required=False,
        max_length=100,
        help_text=_("Shown beside the file to the people who receive it."),
    )
