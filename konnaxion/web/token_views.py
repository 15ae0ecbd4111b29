"""The API tokens page (/accounts/tokens/): a person's personal tokens, a form making one, and
revocation. Thin adapters over konnaxion/users/tokens.py.

A new token's key is never stored: it is shown once, on the page answering the form that made
it, with a button that copies it.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from konnaxion.core.errors import ApplicationError
from konnaxion.users import selectors, tokens

EXPIRY_CHOICES = [
    ("30", gettext_lazy("In 30 days")),
    ("90", gettext_lazy("In 90 days")),
    ("365", gettext_lazy("In a year")),
    ("", gettext_lazy("Never")),
]


class PersonalTokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=tokens.NAME_MAX_LENGTH,
        help_text=gettext_lazy("What the token is for, such as the script that uses it."),
    )
    expiry = forms.ChoiceField(
        label=gettext_lazy("Expires"), choices=EXPIRY_CHOICES, required=False, initial="90"
    )
    read_only = forms.BooleanField(
        label=gettext_lazy("Read-only"),
        required=False,
        help_text=gettext_lazy("The token may read and listen, never change anything."),
    )

    def expires_in_days(self) -> int | None:
        expiry = self.cleaned_data.get("expiry")
        return int(expiry) if expiry else None


def _page(
    request: HttpRequest,
    form: PersonalTokenForm,
    *,
    new_key: str = "",
    status: int = 200,
) -> HttpResponse:
    context = {
        "form": form,
        "tokens": selectors.personal_tokens_of(owner=request.user),
        "new_key": new_key,
        "now": timezone.now(),
    }
    return render(request, "web/accounts/tokens.html", context, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
@login_required
def account_tokens(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _page(request, PersonalTokenForm())
    form = PersonalTokenForm(request.POST)
    if form.is_valid():
        try:
            made = tokens.personal_token_create(
                owner=request.user,
                name=form.cleaned_data["name"],
                expires_in_days=form.expires_in_days(),
                read_only=form.cleaned_data["read_only"],
            )
        except ApplicationError as refusal:
            if refusal.code == "token_limit_reached":
                form.add_error(None, _("You have too many active tokens; revoke some first."))
            else:
                form.add_error(None, refusal.message)
        else:
            return _page(request, PersonalTokenForm(), new_key=made.key, status=201)
    return _page(request, form, status=400)


@require_POST
@login_required
def account_token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    try:
        token = tokens.personal_token_revoke(owner=request.user, token_id=token_id)
    except ApplicationError:
        messages.error(request, _("There is no such token."))
    else:
        messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
    return redirect("web:account_tokens")
