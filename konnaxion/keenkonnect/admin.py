from django.contrib import admin

from konnaxion.keenkonnect.models import (
    Blob,
    Project,
    ProjectMessage,
    ProjectRating,
    ProjectResource,
    ProjectTask,
    ProjectTeam,
)


class ProjectTeamInline(admin.TabularInline):
    model = ProjectTeam
    extra = 0
    raw_id_fields = ("user",)


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ("title", "slug", "creator", "status", "visibility", "category", "created_at")
    search_fields = ("title", "slug", "description", "creator__username")
    list_filter = ("status", "visibility", "category")
    list_select_related = ("creator", "category")
    readonly_fields = ("slug",)
    inlines = (ProjectTeamInline,)


@admin.register(ProjectTeam)
class ProjectTeamAdmin(admin.ModelAdmin):
    list_display = ("project", "user", "role", "joined_at")
    search_fields = ("project__title", "user__username")
    list_filter = ("role",)
    list_select_related = ("project", "user")


@admin.register(ProjectResource)
class ProjectResourceAdmin(admin.ModelAdmin):
    list_display = ("title", "project", "url", "added_by", "created_at")
    search_fields = ("title", "description", "url", "project__title")
    list_filter = ("created_at",)
    list_select_related = ("project", "added_by")


@admin.register(ProjectTask)
class ProjectTaskAdmin(admin.ModelAdmin):
    list_display = ("title", "project", "status", "assignee", "due_date")
    search_fields = ("title", "description", "project__title", "assignee__username")
    list_filter = ("status", "due_date")
    list_select_related = ("project", "assignee")


@admin.register(ProjectMessage)
class ProjectMessageAdmin(admin.ModelAdmin):
    list_display = ("project", "author", "created_at")
    search_fields = ("content", "project__title", "author__username")
    list_filter = ("created_at",)
    list_select_related = ("project", "author")


@admin.register(ProjectRating)
class ProjectRatingAdmin(admin.ModelAdmin):
    list_display = ("project", "user", "value", "updated_at")
    search_fields = ("project__title", "user__username", "review")
    list_filter = ("value",)
    list_select_related = ("project", "user")


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

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
