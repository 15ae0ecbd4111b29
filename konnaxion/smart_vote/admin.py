from django.contrib import admin

from konnaxion.smart_vote.models import (
    EmergingExpert,
    IntegrationMapping,
    Vote,
    VoteModality,
    VoteResult,
)


@admin.register(Vote)
class VoteAdmin(admin.ModelAdmin):
    # Read-only: votes are cast through vote_cast, which keeps VoteResult equal to them.
    list_display = ("user", "target_type", "target_id", "modality", "weighted_value", "updated_at")
    search_fields = ("user__username", "target_type", "target_id")
    list_filter = ("target_type", "modality")
    list_select_related = ("user", "modality")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(VoteModality)
class VoteModalityAdmin(admin.ModelAdmin):
    list_display = ("name", "parameters")
    search_fields = ("name",)
    list_filter = ("name",)


@admin.register(EmergingExpert)
class EmergingExpertAdmin(admin.ModelAdmin):
    list_display = ("user", "category", "detection_date", "score_delta")
    search_fields = ("user__username", "category__name")
    list_filter = ("detection_date", "category")
    list_select_related = ("user", "category")


@admin.register(VoteResult)
class VoteResultAdmin(admin.ModelAdmin):
    list_display = ("target_type", "target_id", "sum_weighted_value", "vote_count", "updated_at")
    search_fields = ("target_type", "target_id")
    list_filter = ("target_type",)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(IntegrationMapping)
class IntegrationMappingAdmin(admin.ModelAdmin):
    list_display = ("module_name", "context_type", "mapping_details", "created_at")
    search_fields = ("module_name", "context_type")
    list_filter = ("module_name",)
