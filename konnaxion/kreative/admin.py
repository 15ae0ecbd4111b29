from django.contrib import admin, messages

from konnaxion.core.errors import ApplicationError
from konnaxion.kreative.models import (
    ArtworkTag,
    CollabChatMessage,
    CollabDocument,
    CollabSession,
    Gallery,
    GalleryArtwork,
    KreativeArtwork,
    Tag,
    TraditionEntry,
)
from konnaxion.kreative.services.traditions import tradition_entry_approve


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ("name", "created_at")
    search_fields = ("name",)
    list_filter = ("created_at",)


class ArtworkTagInline(admin.TabularInline):
    model = ArtworkTag
    extra = 0
    autocomplete_fields = ("tag",)


@admin.register(KreativeArtwork)
class KreativeArtworkAdmin(admin.ModelAdmin):
    list_display = ("title", "artist", "media_type", "nsfw", "year", "created_at")
    search_fields = ("title", "description", "artist__username", "medium", "style")
    list_filter = ("media_type", "nsfw", "created_at")
    list_select_related = ("artist",)
    inlines = (ArtworkTagInline,)
    readonly_fields = ("media_type", "content_type", "derivatives")


@admin.register(ArtworkTag)
class ArtworkTagAdmin(admin.ModelAdmin):
    list_display = ("artwork", "tag")
    search_fields = ("artwork__title", "tag__name")
    list_filter = ("tag",)
    list_select_related = ("artwork", "tag")


class GalleryArtworkInline(admin.TabularInline):
    model = GalleryArtwork
    extra = 0
    ordering = ("order",)


@admin.register(Gallery)
class GalleryAdmin(admin.ModelAdmin):
    list_display = ("title", "created_by", "theme", "created_at")
    search_fields = ("title", "description", "theme", "created_by__username")
    list_filter = ("theme", "created_at")
    list_select_related = ("created_by",)
    inlines = (GalleryArtworkInline,)


@admin.register(GalleryArtwork)
class GalleryArtworkAdmin(admin.ModelAdmin):
    list_display = ("gallery", "order", "artwork")
    search_fields = ("gallery__title", "artwork__title")
    list_filter = ("gallery",)
    list_select_related = ("gallery", "artwork")


@admin.register(TraditionEntry)
class TraditionEntryAdmin(admin.ModelAdmin):
    list_display = ("title", "region", "submitted_by", "approved", "approved_by", "submitted_at")
    search_fields = ("title", "description", "region", "submitted_by__username")
    list_filter = ("approved", "region", "submitted_at")
    list_select_related = ("submitted_by", "approved_by")
    readonly_fields = ("approved", "approved_by", "approved_at")
    actions = ("approve",)

    @admin.action(description="Approve the selected entries")
    def approve(self, request, queryset) -> None:
        for entry in queryset.filter(approved=False):
            try:
                tradition_entry_approve(entry=entry, moderator=request.user)
            except ApplicationError as error:
                self.message_user(request, f"{entry}: {error.message}", messages.ERROR)


@admin.register(CollabSession)
class CollabSessionAdmin(admin.ModelAdmin):
    list_display = ("name", "host", "session_type", "started_at", "ended_at", "final_artwork")
    search_fields = ("name", "host__username")
    list_filter = ("session_type", "started_at")
    list_select_related = ("host", "final_artwork")


@admin.register(CollabDocument)
class CollabDocumentAdmin(admin.ModelAdmin):
    """The server copy of a room's document: read-only here, rooms write it."""

    list_display = ("session", "version", "updated_at")
    search_fields = ("session__name",)
    list_filter = ("updated_at",)
    list_select_related = ("session",)
    readonly_fields = ("session", "state", "version", "updated_at")


@admin.register(CollabChatMessage)
class CollabChatMessageAdmin(admin.ModelAdmin):
    list_display = ("session", "author", "created_at", "body")
    search_fields = ("body", "author__username", "session__name")
    list_filter = ("created_at",)
    list_select_related = ("session", "author")
    raw_id_fields = ("session", "author")
