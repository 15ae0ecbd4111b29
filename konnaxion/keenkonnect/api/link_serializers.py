"""Serializers of share links and upload links. A link's token appears in `url` once, in the
answer to its creation; lists never show it (only its digest is stored)."""

from __future__ import annotations

from django.utils import timezone
from rest_framework import serializers

from konnaxion.keenkonnect.models import ShareLink, UploadLink
from konnaxion.keenkonnect.services.link_tokens import EXPIRY_DAYS, PASSWORD_MAX_LENGTH

LINK_STATES = ("active", "expired", "revoked", "limit_reached")


def link_state(link: ShareLink | UploadLink) -> str:
    if link.revoked_at is not None:
        return "revoked"
    if link.expires_at is not None and link.expires_at <= timezone.now():
        return "expired"
    if isinstance(link, ShareLink):
        limit, used = link.max_downloads, link.download_count
    else:
        limit, used = link.max_files, link.file_count
    if limit is not None and used >= limit:
        return "limit_reached"
    return "active"


class LinkStateField(serializers.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=LINK_STATES, source="*", read_only=True, **kwargs)

    def to_representation(self, value):
        return link_state(value)


class ShareLinkSerializer(serializers.ModelSerializer):
    version = serializers.IntegerField(
        source="version_number", read_only=True, allow_null=True, help_text="null: the latest"
    )
    created_by = serializers.CharField(source="created_by.username", read_only=True)
    has_password = serializers.BooleanField(read_only=True)
    state = LinkStateField()

    class Meta:
        model = ShareLink
        fields = (
            "id",
            "version",
            "has_password",
            "expires_at",
            "max_downloads",
            "download_count",
            "view_count",
            "first_used_at",
            "last_used_at",
            "created_by",
            "created_at",
            "revoked_at",
            "state",
        )
        read_only_fields = fields


class NewShareLinkSerializer(ShareLinkSerializer):
    url = serializers.URLField(read_only=True, help_text="Shown this once: only a digest is kept.")

    class Meta(ShareLinkSerializer.Meta):
        fields = (*ShareLinkSerializer.Meta.fields, "url")
        read_only_fields = fields


class LinkSettingsSerializer(serializers.Serializer):
    password = serializers.CharField(
        required=False, allow_blank=True, max_length=PASSWORD_MAX_LENGTH, write_only=True
    )
    expires_in_days = serializers.ChoiceField(choices=EXPIRY_DAYS, required=False)
    expires_at = serializers.DateTimeField(required=False)


class ShareLinkCreateSerializer(LinkSettingsSerializer):
    version = serializers.IntegerField(
        required=False, min_value=1, max_value=2_147_483_647, help_text="omit: the latest"
    )
    max_downloads = serializers.IntegerField(required=False, min_value=1, max_value=1_000_000)


class UploadLinkSerializer(serializers.ModelSerializer):
    created_by = serializers.CharField(source="created_by.username", read_only=True)
    has_password = serializers.BooleanField(read_only=True)
    state = LinkStateField()

    class Meta:
        model = UploadLink
        fields = (
            "id",
            "label",
            "has_password",
            "expires_at",
            "max_files",
            "file_count",
            "first_used_at",
            "last_used_at",
            "created_by",
            "created_at",
            "revoked_at",
            "state",
        )
        read_only_fields = fields


class NewUploadLinkSerializer(UploadLinkSerializer):
    url = serializers.URLField(read_only=True, help_text="Shown this once: only a digest is kept.")

    class Meta(UploadLinkSerializer.Meta):
        fields = (*UploadLinkSerializer.Meta.fields, "url")
        read_only_fields = fields


class UploadLinkCreateSerializer(LinkSettingsSerializer):
    label = serializers.CharField(max_length=100)
    max_files = serializers.IntegerField(required=False, min_value=1, max_value=10_000)
