from django.contrib import admin

from konnaxion.konnected.models import (
    CertificationPath,
    CoCreationContribution,
    CoCreationProject,
    Evaluation,
    ForumPost,
    ForumTopic,
    InteropMapping,
    KnowledgeRecommendation,
    KnowledgeResource,
    LearningProgress,
    PeerValidation,
    Portfolio,
)


class ServiceWrittenAdmin(admin.ModelAdmin):
    """Rows whose rules (scoring, cooldown, peers) live in services: read here, not edited."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(CertificationPath)
class CertificationPathAdmin(admin.ModelAdmin):
    list_display = ("name", "created_at")
    search_fields = ("name",)
    list_filter = ("created_at",)


@admin.register(Evaluation)
class EvaluationAdmin(ServiceWrittenAdmin):
    list_display = ("user", "path", "raw_score", "passed", "created_at")
    search_fields = ("user__username", "path__name")
    list_filter = ("passed", "path")
    list_select_related = ("user", "path")


@admin.register(PeerValidation)
class PeerValidationAdmin(ServiceWrittenAdmin):
    list_display = ("evaluation", "peer", "decision", "created_at")
    search_fields = ("peer__username",)
    list_filter = ("decision",)
    list_select_related = ("evaluation", "peer")


@admin.register(InteropMapping)
class InteropMappingAdmin(admin.ModelAdmin):
    list_display = ("local_certification", "external_system", "external_id")
    search_fields = ("external_system", "external_id")
    list_filter = ("external_system",)
    list_select_related = ("local_certification",)


@admin.register(KnowledgeResource)
class KnowledgeResourceAdmin(admin.ModelAdmin):
    list_display = ("title", "type", "author", "created_at")
    search_fields = ("title", "url")
    list_filter = ("type",)
    list_select_related = ("author",)
    raw_id_fields = ("author",)


@admin.register(KnowledgeRecommendation)
class KnowledgeRecommendationAdmin(admin.ModelAdmin):
    list_display = ("user", "resource", "recommended_by", "recommended_at")
    search_fields = ("user__username", "resource__title")
    list_filter = ("recommended_at",)
    list_select_related = ("user", "resource", "recommended_by")
    raw_id_fields = ("user", "resource", "recommended_by")


@admin.register(LearningProgress)
class LearningProgressAdmin(ServiceWrittenAdmin):
    list_display = ("user", "resource", "progress_percent", "updated_at")
    search_fields = ("user__username", "resource__title")
    list_filter = ("progress_percent",)
    list_select_related = ("user", "resource")


@admin.register(Portfolio)
class PortfolioAdmin(admin.ModelAdmin):
    list_display = ("title", "user", "created_at")
    search_fields = ("title", "user__username")
    list_filter = ("created_at",)
    list_select_related = ("user",)
    raw_id_fields = ("user", "items")


@admin.register(CoCreationProject)
class CoCreationProjectAdmin(admin.ModelAdmin):
    list_display = ("title", "owner", "status", "created_at")
    search_fields = ("title", "owner__username")
    list_filter = ("status",)
    list_select_related = ("owner",)
    raw_id_fields = ("owner",)


@admin.register(CoCreationContribution)
class CoCreationContributionAdmin(ServiceWrittenAdmin):
    list_display = ("project", "user", "status", "created_at")
    search_fields = ("content", "user__username")
    list_filter = ("status",)
    list_select_related = ("project", "user")


@admin.register(ForumTopic)
class ForumTopicAdmin(admin.ModelAdmin):
    list_display = ("title", "category", "creator", "created_at")
    search_fields = ("title", "creator__username")
    list_filter = ("category",)
    list_select_related = ("creator",)
    raw_id_fields = ("creator",)


@admin.register(ForumPost)
class ForumPostAdmin(admin.ModelAdmin):
    list_display = ("id", "topic", "author", "created_at")
    search_fields = ("content", "author__username")
    list_filter = ("created_at",)
    list_select_related = ("topic", "author")
    raw_id_fields = ("topic", "author")
