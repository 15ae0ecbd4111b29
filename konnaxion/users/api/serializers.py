from django.contrib.auth import authenticate
from rest_framework import serializers

from konnaxion.users.models import PersonalToken, User
from konnaxion.users.second_factor import CODE_MAX_LENGTH
from konnaxion.users.tokens import MAX_EXPIRY_DAYS, NAME_MAX_LENGTH


class UserSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ("id", "username", "name", "email", "is_staff", "date_joined")
        read_only_fields = fields


class PersonalTokenCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=NAME_MAX_LENGTH)
    expires_in_days = serializers.IntegerField(
        min_value=1, max_value=MAX_EXPIRY_DAYS, required=False, allow_null=True
    )
    read_only = serializers.BooleanField(default=False)


class TokenRequestSerializer(PersonalTokenCreateSerializer):
    username = serializers.CharField(max_length=User._meta.get_field("username").max_length)
    password = serializers.CharField(
        style={"input_type": "password"}, trim_whitespace=False, max_length=4096
    )
    name = serializers.CharField(max_length=NAME_MAX_LENGTH, default="API token")
    code = serializers.CharField(
        max_length=CODE_MAX_LENGTH,
        required=False,
        default="",
        allow_blank=True,
        help_text="Once the account has two-factor authentication: a code from the "
        "authenticator app, or an unused recovery code.",
    )

    def validate(self, attrs: dict) -> dict:
        request = self.context.get("request")
        user = authenticate(
            # Django's request, not DRF's wrapper: the sign-in lockout marks a refused request
            # on it, and its middleware answers 429 from that mark.
            request=getattr(request, "_request", request),
            username=attrs["username"],
            password=attrs["password"],
        )
        if user is None:
            raise serializers.ValidationError("Unable to sign in with these credentials.")
        attrs["user"] = user
        return attrs


class AccountExportSerializer(serializers.Serializer):
    """An export as the API shows it: `state` (none, pending, running, ready, expired, failed),
    `progress` in percent, and while it may be downloaded its `download_url` and `expires_at`."""

    state = serializers.CharField()
    progress = serializers.IntegerField()
    size = serializers.IntegerField(allow_null=True)
    created_at = serializers.DateTimeField(allow_null=True)
    expires_at = serializers.DateTimeField(allow_null=True)
    download_url = serializers.CharField(allow_null=True)


class PersonalTokenSerializer(serializers.ModelSerializer):
    """A token as its owner sees it again: never its key."""

    class Meta:
        model = PersonalToken
        fields = (
            "id",
            "name",
            "prefix",
            "read_only",
            "created_at",
            "last_used_at",
            "expires_at",
            "revoked_at",
        )
        read_only_fields = fields


class NewPersonalTokenSerializer(PersonalTokenSerializer):
    """A token just made: `token` is its key, shown this once."""

    token = serializers.CharField(read_only=True)

    class Meta(PersonalTokenSerializer.Meta):
        fields = ("token", *PersonalTokenSerializer.Meta.fields)
        read_only_fields = fields
