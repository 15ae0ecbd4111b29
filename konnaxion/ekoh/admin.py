from django.contrib import admin

from konnaxion.ekoh.models import (
    ConfidentialitySetting,
    ContextAnalysisLog,
    ExpertiseCategory,
    ScoreConfiguration,
    ScoreHistory,
    UserEthicsScore,
    UserExpertiseScore,
)


@admin.register(ExpertiseCategory)
class ExpertiseCategoryAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "description")
    search_fields = ("code", "name", "description")
    list_filter = ("description",)


@admin.register(UserExpertiseScore)
class UserExpertiseScoreAdmin(admin.ModelAdmin):
    # Read-only: scores change through the EkoH services, which write their history.
    list_display = ("user", "category", "raw_score", "weighted_score", "updated_at")
    search_fields = ("user__username", "user__name", "category__name")
    list_filter = ("category",)
    list_select_related = ("user", "category")
    readonly_fields = ("user", "category", "raw_score", "weighted_score")


@admin.register(UserEthicsScore)
class UserEthicsScoreAdmin(admin.ModelAdmin):
    list_display = ("user", "ethical_score", "updated_at")
    search_fields = ("user__username", "user__name")
    list_filter = ("updated_at",)
    list_select_related = ("user",)
    readonly_fields = ("user", "ethical_score")


@admin.register(ScoreConfiguration)
class ScoreConfigurationAdmin(admin.ModelAdmin):
    list_display = ("weight_name", "field", "weight_value", "updated_at")
    search_fields = ("weight_name", "field")
    list_filter = ("weight_name",)


@admin.register(ContextAnalysisLog)
class ContextAnalysisLogAdmin(admin.ModelAdmin):
    list_display = ("entity_type", "entity_id", "field", "created_at")
    search_fields = ("entity_type", "entity_id", "field")
    list_filter = ("entity_type", "field", "created_at")


@admin.register(ConfidentialitySetting)
class ConfidentialitySettingAdmin(admin.ModelAdmin):
    list_display = ("user", "level", "updated_at")
    search_fields = ("user__username",)
    list_filter = ("level",)
    list_select_related = ("user",)


@admin.register(ScoreHistory)
class ScoreHistoryAdmin(admin.ModelAdmin):
    list_display = ("merit_score", "old_value", "new_value", "change_reason", "created_at")
    search_fields = ("merit_score__user__username", "change_reason")
    list_filter = ("created_at", "merit_score__category")
    list_select_related = ("merit_score__user", "merit_score__category")
