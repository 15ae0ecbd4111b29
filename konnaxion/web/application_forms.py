"""Forms of the application pages: they validate; the application services write."""

from __future__ import annotations

from collections.abc import Iterable

from django import forms
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from konnaxion.kreative.models import (
    ApplicationQuestion,
    KreativeArtwork,
    OpportunityApplication,
    ReviewCriterion,
)
from konnaxion.kreative.models.applications import SCORE_MAX, SCORE_MIN

Status = OpportunityApplication.Status
# The models' choice labels are English only; the pages show these.
APPLICATION_STATUS_LABELS = {
    Status.DRAFT: _("Draft"),
    Status.SUBMITTED: _("Submitted"),
    Status.IN_REVIEW: _("In review"),
    Status.SHORTLISTED: _("Shortlisted"),
    Status.ACCEPTED: _("Accepted"),
    Status.DECLINED: _("Declined"),
    Status.WITHDRAWN: _("Withdrawn"),
}
FEE_STATUS_LABELS = {
    OpportunityApplication.FeeStatus.UNPAID: _("Unpaid"),
    OpportunityApplication.FeeStatus.PAID: _("Paid"),
    OpportunityApplication.FeeStatus.WAIVED: _("Waived"),
}
QUESTION_KIND_LABELS = {
    ApplicationQuestion.Kind.TEXT: _("Text"),
    ApplicationQuestion.Kind.CHOICE: _("Choice"),
    ApplicationQuestion.Kind.FILE: _("File"),
}
CRITERIA_ROWS = 4


class ApplicationForm(forms.Form):
    """A draft: the statement, the applicant's artworks with their positions (blank: not sent)
    and the answers; files arrive through the upload handler."""

    statement = forms.CharField(
        label=_("Statement"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )

    def __init__(
        self,
        *args,
        artworks: Iterable[KreativeArtwork] = (),
        questions: Iterable[ApplicationQuestion] = (),
        **kwargs,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.artworks = list(artworks)
        self.questions = list(questions)
        for artwork in self.artworks:
            self.fields[f"artwork_{artwork.pk}"] = forms.IntegerField(
                label=_("Position of “%(title)s”") % {"title": artwork.title},
                min_value=1,
                max_value=20,
                required=False,
                help_text=_("1 comes first; leave empty not to send it"),
            )
        for question in self.questions:
            name = f"question_{question.pk}"
            # The poster's words, isolated so that they keep their direction in any page.
            label = format_html(
                "<bdi>{}</bdi>{}", question.label, " *" if question.required else ""
            )
            if question.kind == ApplicationQuestion.Kind.CHOICE:
                self.fields[name] = forms.ChoiceField(
                    label=label,
                    required=False,
                    widget=forms.RadioSelect,
                    choices=[
                        (option, format_html("<bdi>{}</bdi>", option))
                        for option in question.options
                    ],
                )
            elif question.kind == ApplicationQuestion.Kind.FILE:
                self.fields[name] = forms.FileField(
                    label=label,
                    required=False,
                    help_text=_("A PDF, PNG or JPG file"),
                    widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.png,.jpg"}),
                )
            else:
                self.fields[name] = forms.CharField(
                    label=label, required=False, widget=forms.Textarea(attrs={"rows": 3})
                )

    def chosen_artworks(self) -> list[int]:
        """The artworks' ids in the positions given (ties by title order)."""
        chosen = [
            (self.cleaned_data[f"artwork_{artwork.pk}"], index, artwork.pk)
            for index, artwork in enumerate(self.artworks)
            if self.cleaned_data.get(f"artwork_{artwork.pk}")
        ]
        return [pk for _position, _index, pk in sorted(chosen)]

    def text_answers(self) -> dict[int, str]:
        return {
            question.pk: self.cleaned_data.get(f"question_{question.pk}") or ""
            for question in self.questions
            if question.kind != ApplicationQuestion.Kind.FILE
        }

    def clean_statement(self) -> str:
        statement = self.cleaned_data["statement"]
        if "\x00" in statement:
            raise forms.ValidationError(_("This text contains a forbidden character."))
        return statement


class QuestionForm(forms.Form):
    label = forms.CharField(label=_("Question"), max_length=300)
    kind = forms.ChoiceField(label=_("Answer"), choices=list(QUESTION_KIND_LABELS.items()))
    options = forms.CharField(
        label=_("Options"),
        required=False,
        max_length=2000,
        help_text=_("For a choice: the options, separated by commas"),
    )
    required = forms.BooleanField(label=_("Required"), required=False)

    def clean_options(self) -> list[str]:
        return [o.strip() for o in self.cleaned_data["options"].split(",") if o.strip()]


class JurorForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)


class RoundForm(forms.Form):
    """A round's name, blindness and up to CRITERIA_ROWS criteria (blank rows are skipped)."""

    name = forms.CharField(label=_("Round name"), max_length=120)
    blind = forms.BooleanField(
        label=_("Blind review"),
        required=False,
        help_text=_("Jurors do not see who applied"),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for row in range(1, CRITERIA_ROWS + 1):
            self.fields[f"criterion_{row}"] = forms.CharField(
                label=_("Criterion %(number)s") % {"number": row},
                max_length=120,
                required=row == 1,
            )
            self.fields[f"weight_{row}"] = forms.IntegerField(
                label=_("Weight of criterion %(number)s") % {"number": row},
                min_value=1,
                max_value=100,
                initial=1,
                required=False,
            )

    def criteria(self) -> list[dict]:
        return [
            {
                "label": self.cleaned_data[f"criterion_{row}"],
                "weight": self.cleaned_data.get(f"weight_{row}") or 1,
            }
            for row in range(1, CRITERIA_ROWS + 1)
            if self.cleaned_data.get(f"criterion_{row}")
        ]


class ScoreForm(forms.Form):
    """A juror's score (1-5) and comment per criterion of the current round."""

    def __init__(self, *args, criteria: Iterable[ReviewCriterion] = (), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        values = [(str(v), str(v)) for v in range(SCORE_MIN, SCORE_MAX + 1)]
        for criterion in self.criteria:
            self.fields[f"score_{criterion.pk}"] = forms.TypedChoiceField(
                label=_("%(criterion)s (weight %(weight)s)")
                % {"criterion": criterion.label, "weight": criterion.weight},
                choices=values,
                coerce=int,
                widget=forms.RadioSelect,
            )
            self.fields[f"comment_{criterion.pk}"] = forms.CharField(
                label=_("Comment on %(criterion)s") % {"criterion": criterion.label},
                required=False,
                max_length=5000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def scores(self) -> list[dict]:
        return [
            {
                "criterion": criterion.pk,
                "value": self.cleaned_data[f"score_{criterion.pk}"],
                "comment": self.cleaned_data.get(f"comment_{criterion.pk}") or "",
            }
            for criterion in self.criteria
        ]


class FeeForm(forms.Form):
    fee_status = forms.ChoiceField(label=_("Entry fee"), choices=list(FEE_STATUS_LABELS.items()))
