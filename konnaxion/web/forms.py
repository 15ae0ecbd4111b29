"""Forms of the web front: they validate; services write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import UserCreationForm, UsernameField
from django.utils.translation import gettext_lazy as _

from konnaxion.users.models import User


class SignUpForm(UserCreationForm):
    """Username (unique regardless of case), email, and a password that passes every validator
    of AUTH_PASSWORD_VALIDATORS (checked against the unsaved user, so it may not resemble the
    username or email)."""

    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    class Meta:
        model = User
        fields = ("username", "email")
        field_classes = {"username": UsernameField}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].help_text = _(
            "Your public name, shown in the address of your profile: letters, digits and "
            "@ . + - _ only."
        )
