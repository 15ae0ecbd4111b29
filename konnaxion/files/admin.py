from django.contrib import admin
from django.http import HttpRequest

from konnaxion.files.models import Blob


@admin.register(Blob)
class BlobAdmin(admin.ModelAdmin):
    """Stored blobs are written by the storage services only: the admin reads."""

    list_display = ("sha256", "size", "content_type", "key_id", "created_at")
    search_fields = ("sha256",)
    list_filter = ("content_type", "key_id")
    readonly_fields = (
        "sha256",
        "size",
        "content_type",
        "storage_name",
        "key_id",
        "created_at",
        "last_stored_at",
    )
    exclude = ("wrapped_key",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Blob | None = None) -> bool:
        return False
