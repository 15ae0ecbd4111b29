"""The project's URLs plus stand-ins for pages built later and a view that fails, to test
the layout's optional navigation links and the HTML 500 page."""

from django.http import HttpResponse
from django.urls import include, path

from config.urls import handler500
from config.urls import urlpatterns as project_urlpatterns
from konnaxion.web.urls import urlpatterns as web_urlpatterns

__all__ = ["handler500", "urlpatterns"]


def placeholder(request, **kwargs):
    return HttpResponse("placeholder")


def crash(request):
    raise RuntimeError("boom")


future_pages = [
    path("connect/", placeholder, name="connect"),
    path("profile/<str:username>/", placeholder, name="profile"),
    path("test-crash/", crash),
]

urlpatterns = [
    *[p for p in project_urlpatterns if getattr(p, "namespace", None) != "web"],
    path("", include((web_urlpatterns + future_pages, "web"))),
]
