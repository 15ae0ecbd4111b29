from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "konnaxion.notifications"
    label = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        # Imported here: these load models, which the app registry allows only once ready.
        from konnaxion.notifications.services.leaving import (
            account_export_ready_notify,
            account_notifications_delete,
        )
        from konnaxion.users.leaving import (
            account_deletion_handler_register,
            account_export_listener_register,
        )

        account_deletion_handler_register(
            name="notifications", handler=account_notifications_delete
        )
        account_export_listener_register(name="notifications", listener=account_export_ready_notify)
