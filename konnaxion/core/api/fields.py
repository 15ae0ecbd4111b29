"""Serializer fields shared by the API of every module."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from rest_framework import serializers


class UsernameField(serializers.SlugRelatedField):
    """An active account named by its username; a closed account is "no such user".

    A NUL byte is invalid input here as in any text field: the stock field would hand it to
    PostgreSQL, which refuses it (a 500 instead of a 400).
    """

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("slug_field", "username")
        if not kwargs.get("read_only"):
            kwargs.setdefault("queryset", get_user_model().objects.filter(is_active=True))
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, str) and "\x00" in data:
            self.fail("invalid")
        return super().to_internal_value(data)
