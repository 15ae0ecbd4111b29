"""allauth's forms as the site words them (ACCOUNT_FORMS)."""

from __future__ import annotations

from typing import Any

from allauth.account.forms import LoginForm
from django.utils.translation import gettext_lazy as _


class SignInForm(LoginForm):
    """allauth's sign-in form, its `login` field labelled for what it takes: either name."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        login = self.fields["login"]
        login.label = _("Username or email address")
        login.widget.attrs.update({"autocomplete": "username", "placeholder": ""})
