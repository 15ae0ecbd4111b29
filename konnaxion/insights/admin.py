from django.contrib import admin

from konnaxion.insights.models import (
    ApiPerfFact,
    DimDate,
    DimDomain,
    DimEndpoint,
    SmartVoteFact,
    UsageMauFact,
)


class ReportAdmin(admin.ModelAdmin):
    """Reference and fact rows are loaded and computed by the platform, only read here."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(DimDate)
class DimDateAdmin(ReportAdmin):
    list_display = ("date_id", "calendar_date", "year", "month", "iso_week", "day_of_week")
    search_fields = ("date_id",)
    list_filter = ("year", "month")


@admin.register(DimDomain)
class DimDomainAdmin(ReportAdmin):
    list_display = ("domain_id", "domain_code")
    search_fields = ("domain_code",)
    list_filter = ("domain_code",)


@admin.register(DimEndpoint)
class DimEndpointAdmin(ReportAdmin):
    list_display = ("endpoint_id", "method", "path")
    search_fields = ("path",)
    list_filter = ("method",)


@admin.register(SmartVoteFact)
class SmartVoteFactAdmin(ReportAdmin):
    list_display = ("date", "domain", "target_type", "vote_value", "score_normalised")
    search_fields = ("target_type",)
    list_filter = ("domain",)
    list_select_related = ("date", "domain")


@admin.register(UsageMauFact)
class UsageMauFactAdmin(ReportAdmin):
    list_display = ("month", "domain", "mau", "projects_created", "docs_uploaded")
    search_fields = ("domain__domain_code",)
    list_filter = ("domain",)
    list_select_related = ("month", "domain")


@admin.register(ApiPerfFact)
class ApiPerfFactAdmin(ReportAdmin):
    list_display = ("date", "hour_of_day", "endpoint", "p95_latency_ms", "error_rate_pct")
    search_fields = ("endpoint__path",)
    list_filter = ("hour_of_day",)
    list_select_related = ("date", "endpoint")
