from django.urls import path

from konnaxion.users.api.views import MeView, TokenView

urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="auth-token"),
    path("users/me/", MeView.as_view(), name="users-me"),
]
