"""DRF's throttles, identifying anonymous callers by the one client address of the platform."""

from __future__ import annotations

from rest_framework import throttling

from konnaxion.core.client_address import client_address


class ClientAddressIdent:
    """DRF reads X-Forwarded-For whole when `NUM_PROXIES` is unset, so a client could pick a
    new identity per request; the address comes from `client_address` instead."""

    def get_ident(self, request) -> str:
        return client_address(request)


class AnonRateThrottle(ClientAddressIdent, throttling.AnonRateThrottle):
    pass


class UserRateThrottle(ClientAddressIdent, throttling.UserRateThrottle):
    pass


class ScopedRateThrottle(ClientAddressIdent, throttling.ScopedRateThrottle):
    pass


class ClientRateThrottle(ClientAddressIdent, throttling.SimpleRateThrottle):
    """A rate per client address (signed in or not) for pages outside the API, such as the
    public pages of share and upload links; `scope` names the rate in the throttle settings."""

    def __init__(self, scope: str) -> None:
        self.scope = scope
        super().__init__()

    def get_cache_key(self, request, view) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
