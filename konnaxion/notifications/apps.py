from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "konnaxion.notifications"
    label = "notifications"
    verbose_name = "Notifications"
