"""What the pages say when a service refuses someone whose email address is not verified
(`email_unverified`, konnaxion/users/selectors.py): the reason, and where to get a new link."""

from __future__ import annotations

from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _


def email_unverified_message() -> SafeString:
    """The refusal in the visitor's language, linking to the page that sends the link again."""
    return format_html(
        '{} <a href="{}">{}</a>',
        _("Verify your email address first: follow the link in the mail we sent you."),
        reverse("account_email"),
        _("Send the verification link again"),
    )
