"""The project's URLs plus test-only views where a fault test strikes mid-request."""

from collections.abc import Callable

from django.db import transaction
from django.urls import path
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from config.urls import urlpatterns as project_urlpatterns
from konnaxion.users.models import User

# Called between the two writes of `two_writes`; a test replaces it to inject its fault.
between_writes: list[Callable[[], None]] = []


def _two_rows_create(*, prefix: str) -> None:
    """A service writing two rows in one transaction, with a hook between the writes."""
    with transaction.atomic():
        User.objects.create(username=f"{prefix}-first")
        for hook in between_writes:
            hook()
        User.objects.create(username=f"{prefix}-second")


@api_view(["POST"])
@permission_classes([AllowAny])
def two_writes(request):
    _two_rows_create(prefix=str(request.data.get("prefix", "fault")))
    return Response({"written": 2}, status=201)


urlpatterns = [path("api/test-two-writes/", two_writes), *project_urlpatterns]
