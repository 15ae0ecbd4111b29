"""The account page (/accounts/) and the development mailbox (/dev/mail/). allauth's own pages
(sign-in, sign-up, email, password, two factors, sessions) are mounted in config/urls.py."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from konnaxion.web.dev_mailbox import mailbox_folder, mailbox_get, mailbox_list


@require_GET
@login_required
def account(request: HttpRequest) -> HttpResponse:
    """One's account: its address and whether it is verified, and links to each section."""
    primary_email = EmailAddress.objects.filter(user=request.user, primary=True).first()
    has_second_factor = (
        Authenticator.objects.filter(user=request.user)
        .exclude(type=Authenticator.Type.RECOVERY_CODES)
        .exists()
    )
    return render(
        request,
        "web/account/index.html",
        {"primary_email": primary_email, "has_second_factor": has_second_factor},
    )


def _require_dev_mailbox(request: HttpRequest) -> None:
    """The mailbox exists for staff of a DEBUG run only; anyone else is told nothing is here."""
    if not (settings.DEBUG and request.user.is_staff and mailbox_folder() is not None):
        raise Http404


@require_GET
def dev_mailbox(request: HttpRequest) -> HttpResponse:
    _require_dev_mailbox(request)
    return render(
        request,
        "web/dev/mail_list.html",
        {"mails": mailbox_list(), "folder": mailbox_folder()},
    )


@require_GET
def dev_mail(request: HttpRequest, name: str, index: int) -> HttpResponse:
    _require_dev_mailbox(request)
    mail = mailbox_get(name, index)
    if mail is None:
        raise Http404
    return render(request, "web/dev/mail_detail.html", {"mail": mail})
