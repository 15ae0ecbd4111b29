"""Forms of /connect and /profile/<user>: they validate; Kreative's services write."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from konnaxion.kreative.models import Opportunity, ProfessionalProfile
from konnaxion.tags.services import TAG_MAX_LENGTH
from konnaxion.web.project_forms import TagsField

# The models' choice labels are English only; the pages show these.
PROFILE_ROLE_LABELS = {
    ProfessionalProfile.Role.CREATOR: _("Creator"),
    ProfessionalProfile.Role.DIFFUSER: _("Diffuser"),
}
PROFILE_VISIBILITY_LABELS = {
    ProfessionalProfile.Visibility.PUBLIC: _("Public: everyone"),
    ProfessionalProfile.Visibility.MEMBERS: _("Members: signed-in people"),
    ProfessionalProfile.Visibility.HIDDEN: _("Hidden: only me"),
}
OPPORTUNITY_TYPE_LABELS = {
    Opportunity.Type.RESIDENCY: _("Residency"),
    Opportunity.Type.EXHIBITION: _("Exhibition"),
    Opportunity.Type.CALL: _("Call"),
    Opportunity.Type.JOB: _("Job"),
}
OPPORTUNITY_STATUS_LABELS = {
    Opportunity.Status.OPEN: _("Open"),
    Opportunity.Status.CLOSED: _("Closed"),
    Opportunity.Status.FILLED: _("Filled"),
}
SCOPE_LABELS = {
    Opportunity.EligibilityScope.INTERNATIONAL: _("International"),
    Opportunity.EligibilityScope.NATIONAL: _("National"),
    Opportunity.EligibilityScope.REGIONAL: _("Regional"),
    Opportunity.EligibilityScope.LOCAL: _("Local"),
}
MAX_LINKS = 10


def _no_nul(value: str) -> str:
    # PostgreSQL text cannot hold NUL characters.
    if "\x00" in value:
        raise forms.ValidationError(_("This text contains a forbidden character."))
    return value


class PeopleSearchForm(forms.Form):
    """The People tab's search box and filters; every field may stay empty."""

    q = forms.CharField(label=_("Search people"), max_length=200, required=False)
    skills = TagsField(label=_("Skills"), required=False, help_text=_("Separated by commas"))
    styles = TagsField(label=_("Styles"), required=False, help_text=_("Separated by commas"))
    region = forms.CharField(label=_("Region"), max_length=120, required=False)
    role = forms.ChoiceField(
        label=_("Role"), required=False, choices=[("", _("Any role")), *PROFILE_ROLE_LABELS.items()]
    )
    open = forms.BooleanField(label=_("Open to collaboration only"), required=False)

    def clean(self) -> dict:
        cleaned = super().clean()
        for name in ("q", "region"):
            _no_nul(cleaned.get(name) or "")
        return cleaned


class OpportunitySearchForm(forms.Form):
    """The Opportunities tab's filters, the same as the API's."""

    q = forms.CharField(label=_("Search opportunities"), max_length=200, required=False)
    type = forms.ChoiceField(
        label=_("Type"),
        required=False,
        choices=[("", _("Any type")), *OPPORTUNITY_TYPE_LABELS.items()],
    )
    tags = TagsField(label=_("Tags"), required=False, help_text=_("Separated by commas"))
    region = forms.CharField(label=_("Region"), max_length=120, required=False)
    remote = forms.ChoiceField(
        label=_("Remote"),
        required=False,
        choices=[("", _("Remote or on site")), ("1", _("Remote only")), ("0", _("On site only"))],
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), *OPPORTUNITY_STATUS_LABELS.items()],
    )
    deadline_before = forms.DateField(
        label=_("Deadline before"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    no_entry_fee = forms.BooleanField(label=_("No entry fee"), required=False)
    saved = forms.BooleanField(label=_("Saved by me"), required=False)
    ordering = forms.ChoiceField(
        label=_("Order"),
        required=False,
        choices=[("", _("Newest first")), ("deadline", _("Deadline soonest"))],
    )

    def clean(self) -> dict:
        cleaned = super().clean()
        for name in ("q", "region"):
            _no_nul(cleaned.get(name) or "")
        return cleaned


class OpportunityForm(forms.Form):
    """Post (and edit) an opportunity; attachments are read by the upload handler."""

    type = forms.ChoiceField(label=_("Type"), choices=list(OPPORTUNITY_TYPE_LABELS.items()))
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 5}))
    organisation = forms.CharField(label=_("Organisation"), max_length=200, required=False)
    region = forms.CharField(label=_("Region"), max_length=120, required=False)
    city = forms.CharField(label=_("City"), max_length=120, required=False)
    country = forms.CharField(label=_("Country"), max_length=120, required=False)
    remote = forms.BooleanField(label=_("Remote"), required=False)
    starts_on = forms.DateField(
        label=_("Starts on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    ends_on = forms.DateField(
        label=_("Ends on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    deadline = forms.DateTimeField(
        label=_("Deadline"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"],
    )
    eligibility_scope = forms.ChoiceField(
        label=_("Eligibility"),
        choices=list(SCOPE_LABELS.items()),
        initial=Opportunity.EligibilityScope.INTERNATIONAL,
    )
    eligibility = forms.CharField(
        label=_("Who may apply"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    entry_fee = forms.DecimalField(
        label=_("Entry fee"), min_value=0, max_digits=10, decimal_places=2, initial=0
    )
    compensation = forms.DecimalField(
        label=_("Compensation"), min_value=0, max_digits=12, decimal_places=2, required=False
    )
    currency = forms.CharField(
        label=_("Currency"), max_length=3, required=False, help_text=_("For example EUR or USD")
    )
    apply_url = forms.URLField(
        label=_("Apply at (https URL)"), max_length=500, required=False, assume_scheme="https"
    )
    apply_instructions = forms.CharField(
        label=_("How to apply"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    accepts_applications = forms.BooleanField(
        label=_("Take applications here"),
        required=False,
        help_text=_("Applicants apply on this site; you review them with a jury."),
    )
    eligible_regions = TagsField(
        label=_("Open to regions or countries"),
        required=False,
        help_text=_("Separated by commas; empty: everywhere. Matched against profiles."),
    )
    eligible_roles = TagsField(
        label=_("Open to roles or skills"),
        required=False,
        help_text=_("Separated by commas (creator, diffuser or skills); empty: anyone."),
    )
    requires_open_to_collaboration = forms.BooleanField(
        label=_("Only people open to collaboration"), required=False
    )
    tags = TagsField(label=_("Tags"), required=False, help_text=_("Separated by commas"))

    def clean(self) -> dict:
        cleaned = super().clean()
        for value in cleaned.values():
            if isinstance(value, str):
                _no_nul(value)
        if cleaned.get("entry_fee") is None and "entry_fee" not in self.errors:
            cleaned["entry_fee"] = 0
        return cleaned

    @classmethod
    def for_opportunity(cls, opportunity: Opportunity) -> OpportunityForm:
        listed = ("tags", "eligible_regions", "eligible_roles")
        initial = {
            name: getattr(opportunity, name) for name in cls.base_fields if name not in listed
        }
        initial["tags"] = ", ".join(tag.name for tag in opportunity.tags.all())
        initial["eligible_regions"] = ", ".join(opportunity.eligible_regions)
        initial["eligible_roles"] = ", ".join(opportunity.eligible_roles)
        return cls(initial=initial, auto_id="edit_%s")


class ProfileForm(forms.Form):
    """Every field of one's own profile; links are one "label | https://..." per line."""

    display_name = forms.CharField(label=_("Display name"), max_length=150, required=False)
    headline = forms.CharField(label=_("Headline"), max_length=200, required=False)
    bio = forms.CharField(
        label=_("About"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    role = forms.ChoiceField(label=_("Role"), choices=list(PROFILE_ROLE_LABELS.items()))
    skills = TagsField(label=_("Skills"), required=False, help_text=_("Separated by commas"))
    styles = TagsField(label=_("Styles"), required=False, help_text=_("Separated by commas"))
    region = forms.CharField(label=_("Region"), max_length=120, required=False)
    city = forms.CharField(label=_("City"), max_length=120, required=False)
    languages = TagsField(
        label=_("Languages"), required=False, help_text=_("Language codes, for example: en, fr")
    )
    links = forms.CharField(
        label=_("Links"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line: label | https://address"),
    )
    avatar = forms.FileField(
        label=_("Avatar"),
        required=False,
        help_text=_("A PNG, JPEG or WebP image"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}),
    )
    open_to_collaboration = forms.BooleanField(label=_("Open to collaboration"), required=False)
    visibility = forms.ChoiceField(
        label=_("Who sees my profile"), choices=list(PROFILE_VISIBILITY_LABELS.items())
    )
    discoverable = forms.BooleanField(
        label=_("Suggest me to other people"), required=False, initial=True
    )

    def clean_links(self) -> list[dict[str, str]]:
        links = []
        for line in self.cleaned_data["links"].splitlines():
            if not line.strip():
                continue
            label, separator, url = line.rpartition("|")
            if not separator:
                label, url = url, url
            links.append({"label": label.strip(), "url": url.strip()})
        if len(links) > MAX_LINKS:
            raise forms.ValidationError(_("At most %(count)s links.") % {"count": MAX_LINKS})
        for link in links:
            if not link["url"].startswith("https://"):
                raise forms.ValidationError(_("Each link needs an https:// address."))
        return links

    def clean(self) -> dict:
        cleaned = super().clean()
        for value in cleaned.values():
            if isinstance(value, str):
                _no_nul(value)
        return cleaned

    @classmethod
    def for_profile(cls, profile: ProfessionalProfile) -> ProfileForm:
        initial = {
            name: getattr(profile, name)
            for name in (
                "display_name",
                "headline",
                "bio",
                "role",
                "region",
                "city",
                "open_to_collaboration",
                "visibility",
                "discoverable",
            )
        }
        initial |= {
            "skills": ", ".join(tag.name for tag in profile.skills.all()),
            "styles": ", ".join(tag.name for tag in profile.styles.all()),
            "languages": ", ".join(profile.languages),
            "links": "\n".join(f"{link['label']} | {link['url']}" for link in profile.links),
        }
        return cls(initial=initial)


class EndorsementForm(forms.Form):
    """Endorse someone for one engagement shared with them (`engagement` is "session:<id>" or
    "project:<slug>", among the choices the page offers)."""

    engagement = forms.ChoiceField(label=_("Engagement"))
    rating = forms.TypedChoiceField(
        label=_("Rating"), coerce=int, choices=[(n, str(n)) for n in range(5, 0, -1)]
    )
    skills = forms.MultipleChoiceField(
        label=_("Skills you saw at work"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, engagements: list[tuple[str, str]], skills: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["engagement"].choices = engagements
        self.fields["skills"].choices = [(name, name) for name in skills]

    def clean_comment(self) -> str:
        return _no_nul(self.cleaned_data["comment"])


class ReplyForm(forms.Form):
    reply = forms.CharField(
        label=_("Your reply"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean_reply(self) -> str:
        return _no_nul(self.cleaned_data["reply"].strip())


class TagFilterForm(forms.Form):
    tag = forms.CharField(label=_("Tag"), max_length=TAG_MAX_LENGTH, required=False)
