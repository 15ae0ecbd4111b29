from django.contrib.auth.signals import user_logged_in
from drf_spectacular.utils import extend_schema
from rest_framework import permissions
from rest_framework.authtoken.models import Token
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from konnaxion.users.api.serializers import TokenRequestSerializer, TokenSerializer, UserSerializer


class TokenView(APIView):
    """Exchange a username and password for an API token (`Authorization: Token <key>`).

    Failures count towards the sign-in lockout (konnaxion/users/sign_in.py): past the limit the
    answer is 429 `too_many_attempts` with `Retry-After`.
    """

    authentication_classes = ()
    permission_classes = (permissions.AllowAny,)
    throttle_scope = "auth"

    @extend_schema(request=TokenRequestSerializer, responses=TokenSerializer)
    def post(self, request: Request) -> Response:
        serializer = TokenRequestSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        user = serializer.validated_data["user"]
        token, _ = Token.objects.get_or_create(user=user)
        # A token sign-in is a sign-in: it updates last_login and forgets the username's failed
        # attempts, as the web sign-in does.
        user_logged_in.send(sender=type(user), request=request._request, user=user)
        return Response(TokenSerializer({"token": token.key}).data)


class MeView(APIView):
    """The signed-in user."""

    @extend_schema(responses=UserSerializer)
    def get(self, request: Request) -> Response:
        return Response(UserSerializer(request.user).data)
