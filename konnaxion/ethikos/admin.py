from django.contrib import admin

from konnaxion.core.admin_base import ReadOnlyAdmin
from konnaxion.ethikos.models import (
    CitizenSuggestion,
    Consultation,
    ConsultationResult,
    ConsultationVote,
    EthikosArgument,
    EthikosArgumentReport,
    EthikosCategory,
    EthikosStance,
    EthikosTopic,
    ImpactTrack,
)


@admin.register(EthikosCategory)
class EthikosCategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "description")
    search_fields = ("name",)
    list_filter = ("name",)


@admin.register(EthikosTopic)
class EthikosTopicAdmin(admin.ModelAdmin):
    list_display = ("title", "category", "status", "start_date", "end_date", "created_by")
    search_fields = ("title", "created_by__username")
    list_filter = ("status", "category")
    list_select_related = ("category", "created_by")
    raw_id_fields = ("created_by",)


@admin.register(EthikosStance)
class EthikosStanceAdmin(ReadOnlyAdmin):
    list_display = ("topic", "user", "value", "updated_at")
    search_fields = ("topic__title", "user__username")
    list_filter = ("value",)
    list_select_related = ("topic", "user")


@admin.register(EthikosArgument)
class EthikosArgumentAdmin(admin.ModelAdmin):
    list_display = ("id", "topic", "author", "side", "is_hidden", "created_at")
    search_fields = ("content", "author__username", "topic__title")
    list_filter = ("side", "is_hidden")
    list_select_related = ("topic", "author")
    raw_id_fields = ("topic", "author", "parent")


@admin.register(EthikosArgumentReport)
class EthikosArgumentReportAdmin(ReadOnlyAdmin):
    list_display = ("argument", "reporter", "reason", "created_at")
    search_fields = ("reporter__username", "reason")
    list_filter = ("created_at",)
    list_select_related = ("argument", "reporter")


@admin.register(Consultation)
class ConsultationAdmin(admin.ModelAdmin):
    list_display = ("title", "status", "open_date", "close_date", "category")
    search_fields = ("title",)
    list_filter = ("status", "category")
    list_select_related = ("category",)
    raw_id_fields = ("created_by",)


@admin.register(CitizenSuggestion)
class CitizenSuggestionAdmin(admin.ModelAdmin):
    list_display = ("id", "consultation", "author", "created_at")
    search_fields = ("content", "author__username")
    list_filter = ("consultation",)
    list_select_related = ("consultation", "author")
    raw_id_fields = ("consultation", "author")


@admin.register(ConsultationVote)
class ConsultationVoteAdmin(ReadOnlyAdmin):
    list_display = ("consultation", "user", "raw_value", "weight", "weighted_value")
    search_fields = ("user__username", "consultation__title")
    list_filter = ("raw_value",)
    list_select_related = ("consultation", "user")


@admin.register(ConsultationResult)
class ConsultationResultAdmin(ReadOnlyAdmin):
    list_display = ("consultation", "computed_at")
    search_fields = ("consultation__title",)
    list_filter = ("computed_at",)
    list_select_related = ("consultation",)


@admin.register(ImpactTrack)
class ImpactTrackAdmin(admin.ModelAdmin):
    list_display = ("consultation", "action", "status", "date")
    search_fields = ("action", "consultation__title")
    list_filter = ("status",)
    list_select_related = ("consultation",)
    raw_id_fields = ("consultation", "created_by")
