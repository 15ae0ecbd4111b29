from django.contrib.auth import authenticate
from rest_framework import serializers

from konnaxion.users.models import User


class UserSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ("id", "username", "name", "email", "is_staff", "date_joined")
        read_only_fields = fields


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=User._meta.get_field("username").max_length)
    password = serializers.CharField(
        style={"input_type": "password"}, trim_whitespace=False, max_length=4096
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


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField()


class AccountExportSerializer(serializers.Serializer):
    """An export as the API shows it: `state` (none, pending, running, ready, expired, failed),
    `progress` in percent, and while it may be downloaded its `download_url` and `expires_at`."""

    state = serializers.CharField()
    progress = serializers.IntegerField()
    size = serializers.IntegerField(allow_null=True)
    created_at = serializers.DateTimeField(allow_null=True)
    expires_at = serializers.DateTimeField(allow_null=True)
    download_url = serializers.CharField(allow_null=True)
