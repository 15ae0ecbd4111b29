from django.contrib import admin

from konnaxion.notifications.models import Notification, NotificationSetting, Watch


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """Read-only: notifications are written by the services that notify."""

    list_display = ("recipient", "kind", "actor", "created_at", "read_at", "emailed_at")
    list_filter = ("kind", "created_at")
    search_fields = ("recipient__username",)
    raw_id_fields = ("recipient", "actor")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(NotificationSetting)
class NotificationSettingAdmin(admin.ModelAdmin):
    list_display = ("user", "kind", "email")
    list_filter = ("kind", "email")
    raw_id_fields = ("user",)


@admin.register(Watch)
class WatchAdmin(admin.ModelAdmin):
    list_display = ("user", "target_type", "target_id", "created_at")
    raw_id_fields = ("user",)
