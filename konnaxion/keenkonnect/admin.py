from typing import ClassVar

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from konnaxion.core.admin_base import ReadOnlyAdmin
from konnaxion.keenkonnect.models import (
    AuditEvent,
    DocumentAccess,
    DocumentCheckout,
    DocumentComment,
    DocumentPreview,
    DocumentVersion,
    Project,
    ProjectEvent,
    ProjectMessage,
    ProjectRating,
    ProjectResource,
    ProjectTask,
    ProjectTeam,
    ReceivedFile,
    RetentionPolicy,
    SearchWord,
    ShareLink,
    UploadLink,
    UploadSession,
)
from konnaxion.keenkonnect.services.intelligent_indexing import resources_reindex


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
    list_display = (
        "title",
        "project",
        "current_version",
        "index_state",
        "added_by",
        "trashed_at",
        "created_at",
    )
    search_fields = ("title", "description", "url", "project__title")
    list_filter = ("index_state", "created_at", "trashed_at")
    list_select_related = ("project", "added_by", "current_version")
    raw_id_fields = ("current_version",)
    readonly_fields = (
        "index_state",
        "index_reason",
        "indexed_version",
        "indexed_at",
        "language",
        "keywords",
        "auto_tags",
        "extracted_metadata",
    )
    exclude = ("search_vector", "extracted_text")
    actions = ("reindex",)

    @admin.action(description="Index the selected documents again")
    def reindex(self, request, queryset) -> None:
        queued = resources_reindex(resource_ids=list(queryset.values_list("pk", flat=True)))
        self.message_user(request, f"Queued {queued} documents for indexing.")


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


@admin.register(DocumentVersion)
class DocumentVersionAdmin(admin.ModelAdmin):
    """Versions are written by document_versioning only: the admin reads."""

    list_display = ("resource", "number", "original_name", "size", "uploaded_by", "created_at")
    search_fields = ("original_name", "sha256", "resource__title")
    list_filter = ("content_type", "pinned")
    list_select_related = ("resource", "uploaded_by")
    raw_id_fields = ("resource", "blob", "uploaded_by")


@admin.register(DocumentAccess)
class DocumentAccessAdmin(admin.ModelAdmin):
    list_display = ("resource", "user", "level")
    search_fields = ("resource__title", "user__username")
    list_filter = ("level",)
    list_select_related = ("resource", "user")
    raw_id_fields = ("resource", "user")


@admin.register(DocumentComment)
class DocumentCommentAdmin(admin.ModelAdmin):
    """Comments are written through the document page and the API (their events and mentions
    come with them): the admin reads them."""

    list_display = ("created_at", "resource", "version", "author", "parent", "resolved_at")
    search_fields = ("body", "resource__title", "author__username")
    list_filter = ("resolved_at", "deleted_at")
    list_select_related = ("resource", "version", "author", "parent")
    raw_id_fields = ("resource", "version", "parent", "author", "resolved_by", "mentions")
    readonly_fields = ("search_vector",)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("created_at", "project", "resource", "actor", "action")
    search_fields = ("project__title", "resource__title", "actor__username")
    list_filter = ("action",)
    list_select_related = ("project", "resource", "actor")
    raw_id_fields = ("project", "resource", "actor")


@admin.register(RetentionPolicy)
class RetentionPolicyAdmin(admin.ModelAdmin):
    list_display = ("project", "keep_last", "keep_days")
    search_fields = ("project__title",)
    list_filter = ("keep_days",)
    list_select_related = ("project",)


@admin.register(UploadSession)
class UploadSessionAdmin(admin.ModelAdmin):
    list_display = ("id", "project", "user", "offset", "length", "expires_at")
    search_fields = ("project__title", "user__username")
    list_filter = ("expires_at",)
    list_select_related = ("project", "user")
    exclude = ("parts",)


@admin.register(DocumentPreview)
class DocumentPreviewAdmin(admin.ModelAdmin):
    """Previews are written by intelligent_indexing only: the admin reads."""

    list_display = ("version", "size", "blob", "created_at")
    search_fields = ("version__resource__title", "version__original_name")
    list_filter = ("size",)
    list_select_related = ("version", "blob")
    raw_id_fields = ("version", "blob")

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(ProjectEvent)
class ProjectEventAdmin(admin.ModelAdmin):
    """The real-time event log, written by real_time_sync only: the admin reads."""

    list_display = ("project", "seq", "type", "resource_id", "version", "actor", "created_at")
    search_fields = ("project__title", "type", "actor__username")
    list_filter = ("type",)
    list_select_related = ("project", "actor")
    raw_id_fields = ("project", "actor")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(DocumentCheckout)
class DocumentCheckoutAdmin(admin.ModelAdmin):
    """Check-out locks, taken, ended and broken through document_checkout only (audited and
    announced there): the admin reads."""

    list_display = ("resource", "holder", "expires_at", "created_at")
    search_fields = ("resource__title", "holder__username", "note")
    list_filter = ("expires_at",)
    list_select_related = ("resource", "holder")
    raw_id_fields = ("resource", "holder")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class LinkAdmin(ReadOnlyAdmin):
    """Links are made, used and revoked through their services (audited there); only a digest
    of each token is stored, so the admin shows no address."""

    list_filter: ClassVar[tuple[str, ...]] = ("revoked_at", "expires_at")
    exclude = ("token_hash", "password_hash")

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ShareLink)
class ShareLinkAdmin(LinkAdmin):
    list_display = (
        "resource",
        "version_number",
        "created_by",
        "created_at",
        "expires_at",
        "revoked_at",
    )
    search_fields = ("resource__title", "created_by__username")
    list_select_related = ("resource", "created_by")
    raw_id_fields = ("resource", "created_by", "revoked_by")


@admin.register(UploadLink)
class UploadLinkAdmin(LinkAdmin):
    list_display = ("project", "label", "created_by", "created_at", "file_count", "revoked_at")
    search_fields = ("project__title", "label", "created_by__username")
    list_select_related = ("project", "created_by")
    raw_id_fields = ("project", "created_by", "revoked_by")


@admin.register(ReceivedFile)
class ReceivedFileAdmin(ReadOnlyAdmin):
    list_display = ("resource", "link_label", "uploader_name", "received_at")
    search_fields = ("resource__title", "link_label", "uploader_name")
    list_filter = ("received_at",)
    list_select_related = ("resource",)
    raw_id_fields = ("resource", "upload_link")


class DocumentsFoundIn(admin.SimpleListFilter):
    """How many documents a vocabulary word is in: one, a few, many."""

    title = _("found in")
    parameter_name = "documents"
    RANGES: ClassVar[dict[str, tuple[int, int | None]]] = {
        "one": (0, 1),
        "few": (2, 9),
        "many": (10, None),
    }

    def lookups(self, request, model_admin):
        return [
            ("one", _("one document or none")),
            ("few", _("2 to 9 documents")),
            ("many", _("10 documents or more")),
        ]

    def queryset(self, request, queryset):
        bounds = self.RANGES.get(self.value() or "")
        if bounds is None:
            return queryset
        low, high = bounds
        queryset = queryset.filter(documents__gte=low)
        return queryset if high is None else queryset.filter(documents__lte=high)


@admin.register(SearchWord)
class SearchWordAdmin(ReadOnlyAdmin):
    """The search's vocabulary ("did you mean"), kept by indexing and its weekly rebuild."""

    list_display = ("word", "documents")
    search_fields = ("word",)
    list_filter = (DocumentsFoundIn,)
    ordering = ("-documents", "word")
