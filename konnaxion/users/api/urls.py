from django.urls import path

from konnaxion.users.api.views import (
    AccountExportDownloadView,
    AccountExportView,
    MeView,
    PersonalTokenDetailView,
    PersonalTokenListView,
    TokenView,
)

urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="auth-token"),
    path("auth/tokens/", PersonalTokenListView.as_view(), name="auth-tokens"),
    path(
        "auth/tokens/<int:token_id>/", PersonalTokenDetailView.as_view(), name="auth-token-detail"
    ),
    path("users/me/", MeView.as_view(), name="users-me"),
    path("account/export/", AccountExportView.as_view(), name="account-export"),
    path(
        "account/export/<int:pk>/download/",
        AccountExportDownloadView.as_view(),
        name="account-export-download",
    ),
]
