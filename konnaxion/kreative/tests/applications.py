"""Helpers of the application tests: a call taking applications, applicants with artworks."""

from __future__ import annotations

from rest_framework.test import APIClient

from konnaxion.kreative.tests.factories import (
    KreativeArtworkFactory,
    opportunity_for,
    profile_for,
)
from konnaxion.users.tests.factories import UserFactory, token_for


def client_for(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_for(user)}")
    return client


def call_for(poster=None, **fields):
    """An open call taking applications here (no apply_url)."""
    fields.setdefault("type", "call")
    fields.setdefault("title", "Open call: prints")
    fields.setdefault("apply_url", "")
    fields.setdefault("accepts_applications", True)
    return opportunity_for(posted_by=poster or UserFactory(), **fields)


def applicant_with_artworks(count: int = 2, **profile):
    """A person with a public profile and `count` artworks of their own."""
    person = UserFactory(name="Ada Lovelace-Printer")
    profile.setdefault("region", "Brittany")
    profile_for(person, **profile)
    artworks = [KreativeArtworkFactory(artist=person) for _ in range(count)]
    return person, artworks
