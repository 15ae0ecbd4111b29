from django.contrib import admin, messages

from konnaxion.core.errors import ApplicationError
from konnaxion.kreative.models import (
    ArtworkDerivative,
    ArtworkTag,
    Block,
    CollabChatMessage,
    CollabDocument,
    CollabSession,
    CollabSessionParticipant,
    Endorsement,
    Follow,
    Gallery,
    GalleryArtwork,
    KreativeArtwork,
    Opportunity,
    OpportunityAttachment,
    PortfolioArtwork,
    PortfolioProject,
    PrecomputedSuggestions,
    ProfessionalProfile,
    SavedOpportunity,
    SuggestionDismissal,
    SuggestionImpression,
    TraditionEntry,
)
from konnaxion.kreative.services.traditions import tradition_entry_approve


class ArtworkTagInline(admin.TabularInline):
    model = ArtworkTag
    extra = 0
    autocomplete_fields = ("tag",)


class ArtworkDerivativeInline(admin.TabularInline):
    """Made by the derivation task only: the admin reads."""

    model = ArtworkDerivative
    extra = 0
    fields = readonly_fields = ("size", "blob")

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(KreativeArtwork)
class KreativeArtworkAdmin(admin.ModelAdmin):
    list_display = ("title", "artist", "media_type", "nsfw", "year", "created_at")
    search_fields = ("title", "description", "artist__username", "medium", "style")
    list_filter = ("media_type", "nsfw", "created_at")
    list_select_related = ("artist",)
    inlines = (ArtworkTagInline, ArtworkDerivativeInline)
    # Files are stored, checked and derived by the artwork service only.
    readonly_fields = ("media", "media_name", "media_type", "content_type")


@admin.register(ArtworkDerivative)
class ArtworkDerivativeAdmin(admin.ModelAdmin):
    """Made by the derivation task only: the admin reads."""

    list_display = ("artwork", "size", "blob")
    search_fields = ("artwork__title",)
    list_filter = ("size",)
    list_select_related = ("artwork", "blob")
    readonly_fields = ("artwork", "size", "blob")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


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
    readonly_fields = (
        "media",
        "media_name",
        "media_content_type",
        "approved",
        "approved_by",
        "approved_at",
    )
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


# Kontact -------------------------------------------------------------------------------------


@admin.register(CollabSessionParticipant)
class CollabSessionParticipantAdmin(admin.ModelAdmin):
    list_display = ("session", "user", "role", "joined_at")
    search_fields = ("session__name", "user__username")
    list_filter = ("role",)
    raw_id_fields = ("session", "user")


@admin.register(ProfessionalProfile)
class ProfessionalProfileAdmin(admin.ModelAdmin):
    list_display = ("user", "display_name", "role", "region", "visibility", "discoverable")
    search_fields = ("user__username", "display_name", "headline", "region", "city")
    list_filter = ("role", "visibility", "discoverable", "open_to_collaboration")
    raw_id_fields = ("user",)
    readonly_fields = ("avatar",)  # re-encoded and stored by the profile service only
    filter_horizontal = ("skills", "styles")


@admin.register(PortfolioArtwork)
class PortfolioArtworkAdmin(admin.ModelAdmin):
    list_display = ("profile", "artwork", "order", "pinned")
    search_fields = ("profile__user__username", "artwork__title")
    list_filter = ("pinned",)
    raw_id_fields = ("profile", "artwork")


@admin.register(PortfolioProject)
class PortfolioProjectAdmin(admin.ModelAdmin):
    list_display = ("profile", "project", "order")
    search_fields = ("profile__user__username", "project__title")
    list_filter = ("project__status",)
    raw_id_fields = ("profile", "project")


@admin.register(Follow)
class FollowAdmin(admin.ModelAdmin):
    list_display = ("follower", "followee", "created_at")
    search_fields = ("follower__username", "followee__username")
    list_filter = ("created_at",)
    raw_id_fields = ("follower", "followee")


@admin.register(Block)
class BlockAdmin(admin.ModelAdmin):
    list_display = ("blocker", "blocked", "created_at")
    search_fields = ("blocker__username", "blocked__username")
    list_filter = ("created_at",)
    raw_id_fields = ("blocker", "blocked")


@admin.register(Opportunity)
class OpportunityAdmin(admin.ModelAdmin):
    list_display = ("title", "type", "status", "organisation", "deadline", "posted_by")
    search_fields = ("title", "organisation", "description", "posted_by__username")
    list_filter = ("type", "status", "remote", "eligibility_scope")
    raw_id_fields = ("posted_by",)
    filter_horizontal = ("tags",)


@admin.register(OpportunityAttachment)
class OpportunityAttachmentAdmin(admin.ModelAdmin):
    list_display = ("name", "opportunity", "content_type", "size")
    search_fields = ("name", "opportunity__title")
    list_filter = ("content_type",)
    raw_id_fields = ("opportunity", "blob")


@admin.register(SavedOpportunity)
class SavedOpportunityAdmin(admin.ModelAdmin):
    list_display = ("user", "opportunity", "created_at")
    search_fields = ("user__username", "opportunity__title")
    list_filter = ("created_at",)
    raw_id_fields = ("user", "opportunity")


@admin.register(Endorsement)
class EndorsementAdmin(admin.ModelAdmin):
    list_display = ("author", "subject", "rating", "published_at", "engagement_ended_at")
    search_fields = ("author__username", "subject__username", "comment")
    list_filter = ("rating", "published_at")
    raw_id_fields = ("author", "subject", "session", "project")
    filter_horizontal = ("skills",)


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


@admin.register(SuggestionDismissal)
class SuggestionDismissalAdmin(admin.ModelAdmin):
    list_display = ("viewer", "dismissed", "count", "created_at")
    search_fields = ("viewer__username", "dismissed__username")
    list_filter = ("created_at",)
    raw_id_fields = ("viewer", "dismissed")


@admin.register(SuggestionImpression)
class SuggestionImpressionAdmin(admin.ModelAdmin):
    list_display = ("viewer", "shown", "count", "last_shown_at")
    search_fields = ("viewer__username", "shown__username")
    list_filter = ("last_shown_at",)
    raw_id_fields = ("viewer", "shown")


@admin.register(PrecomputedSuggestions)
class PrecomputedSuggestionsAdmin(admin.ModelAdmin):
    list_display = ("viewer", "purpose", "signals_key", "computed_at")
    search_fields = ("viewer__username",)
    list_filter = ("purpose", "computed_at")
    raw_id_fields = ("viewer",)


# The applications' and saved searches' admins register themselves on import.
from konnaxion.kreative import admin_applications  # noqa: E402, F401
