from konnaxion.notifications.models.notifications import (
    Channel,
    Kind,
    Notification,
    NotificationPreference,
    NotificationSetting,
    Watch,
)

__all__ = [
    "Channel",
    "Kind",
    "Notification",
    "NotificationPreference",
    "NotificationSetting",
    "Watch",
]
