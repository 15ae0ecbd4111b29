"""The second factor asked outside allauth's pages, where a password alone would otherwise make
a credential (an API token): allauth.mfa's own authenticators and code checks.

A person has a second factor once an authenticator app (TOTP) or a security key (WebAuthn) is
enrolled. A code is then one of the app's current codes or an unused recovery code; a security
key gives no code to type, so its holder uses a recovery code here (or makes the token on the
web page, after signing in with the key).
"""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from django.db.models import QuerySet

from konnaxion.core.errors import ApplicationError
from konnaxion.users.models import User

MISSING = "missing"
INCORRECT = "incorrect"
# Longer than any code allauth makes; longer input is refused without being checked.
CODE_MAX_LENGTH = 64


class SecondFactorRequired(ApplicationError):
    """The person has a second factor and this request did not give a right code;
    `details.reason` is `missing` or `incorrect`."""

    code = "second_factor_required"
    status = 403
    message = (
        "This account has two-factor authentication: give a code from your authenticator app "
        "or an unused recovery code."
    )


def second_factors_of(*, user: User) -> QuerySet[Authenticator]:
    """`user`'s second factors: authenticator apps and security keys (recovery codes are not
    one on their own). Also the SQL of the rule, for queries that embed it (`Exists`)."""
    return Authenticator.objects.filter(
        user=user, type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
    )


def second_factor_enrolled(*, user: User) -> bool:
    return second_factors_of(user=user).exists()


def second_factor_verify(*, user: User, code: str) -> None:
    """Nothing when `user` has no second factor or `code` is right (a recovery code is then
    used up, a TOTP code may not be given again while it is valid). Raises
    SecondFactorRequired."""
    if not second_factor_enrolled(user=user):
        return
    code = code.strip()
    if not code:
        raise SecondFactorRequired(details={"reason": MISSING})
    if len(code) <= CODE_MAX_LENGTH:
        # allauth's checks lock a recovery code's row: two requests cannot both use one code.
        authenticators = (
            Authenticator.objects.filter(user=user)
            .exclude(type=Authenticator.Type.WEBAUTHN)
            .order_by("pk")
        )
        for authenticator in authenticators:
            if authenticator.wrap().validate_code(code):
                authenticator.record_usage()
                return
    raise SecondFactorRequired(
        "This code is not right: give a current code from your authenticator app or an unused "
        "recovery code.",
        details={"reason": INCORRECT},
    )
