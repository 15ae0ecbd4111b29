"""Admin of the applications and juries of the Opportunities board, and of saved searches."""

from django.contrib import admin

from konnaxion.kreative.models import (
    ApplicationAnswer,
    ApplicationArtwork,
    ApplicationAttachment,
    ApplicationQuestion,
    OpportunityApplication,
    OpportunityJuror,
    OpportunityReminder,
    ReviewCriterion,
    ReviewRound,
    ReviewScore,
    SavedSearch,
    SavedSearchAlert,
)


@admin.register(ApplicationQuestion)
class ApplicationQuestionAdmin(admin.ModelAdmin):
    list_display = ("label", "opportunity", "kind", "required", "order")
    search_fields = ("label", "opportunity__title")
    list_filter = ("kind", "required")
    raw_id_fields = ("opportunity",)


@admin.register(OpportunityApplication)
class OpportunityApplicationAdmin(admin.ModelAdmin):
    list_display = ("opportunity", "applicant", "status", "fee_status", "submitted_at")
    search_fields = ("opportunity__title", "applicant__username", "statement")
    list_filter = ("status", "fee_status")
    raw_id_fields = ("opportunity", "applicant")


@admin.register(ApplicationArtwork)
class ApplicationArtworkAdmin(admin.ModelAdmin):
    list_display = ("application", "artwork", "order")
    search_fields = ("application__opportunity__title", "artwork__title")
    list_filter = ("order",)
    raw_id_fields = ("application", "artwork")


@admin.register(ApplicationAttachment)
class ApplicationAttachmentAdmin(admin.ModelAdmin):
    list_display = ("name", "application", "content_type", "size")
    search_fields = ("name", "application__opportunity__title")
    list_filter = ("content_type",)
    raw_id_fields = ("application", "blob")


@admin.register(ApplicationAnswer)
class ApplicationAnswerAdmin(admin.ModelAdmin):
    list_display = ("application", "question")
    search_fields = ("text", "question__label")
    list_filter = ("question__kind",)
    raw_id_fields = ("application", "question", "attachment")


@admin.register(OpportunityJuror)
class OpportunityJurorAdmin(admin.ModelAdmin):
    list_display = ("opportunity", "user", "created_at")
    search_fields = ("opportunity__title", "user__username")
    list_filter = ("created_at",)
    raw_id_fields = ("opportunity", "user")


@admin.register(ReviewRound)
class ReviewRoundAdmin(admin.ModelAdmin):
    list_display = ("opportunity", "number", "name", "blind", "created_at")
    search_fields = ("name", "opportunity__title")
    list_filter = ("blind",)
    raw_id_fields = ("opportunity",)
    filter_horizontal = ("applications",)


@admin.register(ReviewCriterion)
class ReviewCriterionAdmin(admin.ModelAdmin):
    list_display = ("label", "round", "weight", "order")
    search_fields = ("label", "round__name")
    list_filter = ("weight",)
    raw_id_fields = ("round",)


@admin.register(ReviewScore)
class ReviewScoreAdmin(admin.ModelAdmin):
    list_display = ("application", "criterion", "juror", "value", "updated_at")
    search_fields = ("juror__username", "criterion__label", "comment")
    list_filter = ("value",)
    raw_id_fields = ("application", "criterion", "juror")


@admin.register(SavedSearch)
class SavedSearchAdmin(admin.ModelAdmin):
    list_display = ("name", "owner", "kind", "alert", "last_run_at")
    search_fields = ("name", "owner__username")
    list_filter = ("kind", "alert")
    raw_id_fields = ("owner",)


@admin.register(SavedSearchAlert)
class SavedSearchAlertAdmin(admin.ModelAdmin):
    list_display = ("saved_search", "object_id", "sent_at")
    search_fields = ("saved_search__name", "saved_search__owner__username")
    list_filter = ("sent_at",)
    raw_id_fields = ("saved_search",)


@admin.register(OpportunityReminder)
class OpportunityReminderAdmin(admin.ModelAdmin):
    list_display = ("user", "opportunity", "sent_at")
    search_fields = ("user__username", "opportunity__title")
    list_filter = ("sent_at",)
    raw_id_fields = ("user", "opportunity")
