"""Forms of the account area's leaving pages: the person confirms who they are (password, and
a code of their second factor if they enrolled one) before their account is closed or deleted."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from konnaxion.users.models import User
from konnaxion.users.second_factor import (
    SecondFactorRequired,
    second_factor_enrolled,
    second_factor_verify,
)


class LeaveConfirmForm(forms.Form):
    """Deactivation's confirmation: the password, and a TOTP or recovery code when a second
    factor is enrolled (checked by allauth.mfa's own validation)."""

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    code = forms.CharField(
        label=_("A code from your authenticator app, or a recovery code"),
        required=False,
        max_length=64,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text"}),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.needs_code = second_factor_enrolled(user=user)
        if not self.needs_code:
            del self.fields["code"]

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("This password is not right."), code="wrong_password")
        return password

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        # The code is checked only once the password is right: a guessed code uses none up.
        if self.needs_code and "password" in cleaned:
            code = (cleaned.get("code") or "").strip().replace(" ", "")
            try:
                second_factor_verify(user=self.user, code=code)
            except SecondFactorRequired:
                self.add_error("code", _("This code is not right."))
        return cleaned


class DeleteConfirmForm(LeaveConfirmForm):
    """Deletion's confirmation: also the username, typed out."""

    username = forms.CharField(label=_("Type your username to confirm"), max_length=150)

    field_order = ["username", "password", "code"]

    def clean_username(self) -> str:
        username = self.cleaned_data["username"].strip()
        if username != self.user.username:
            raise forms.ValidationError(_("This is not your username."), code="username_mismatch")
        return username
