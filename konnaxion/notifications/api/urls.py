"""Notifications routes, mounted at /api/."""

from django.urls import path

from konnaxion.notifications.api import views

urlpatterns = [
    path("notifications/", views.NotificationListView.as_view(), name="notifications"),
    path(
        "notifications/unread-count/",
        views.UnreadCountView.as_view(),
        name="notifications-unread-count",
    ),
    path(
        "notifications/<int:notification_id>/read/",
        views.NotificationReadView.as_view(),
        name="notification-read",
    ),
    path("notifications/read-all/", views.ReadAllView.as_view(), name="notifications-read-all"),
    path("notifications/settings/", views.SettingsView.as_view(), name="notifications-settings"),
    path("watches/", views.WatchListView.as_view(), name="watches"),
    path("watches/<int:watch_id>/", views.WatchDetailView.as_view(), name="watch"),
]
