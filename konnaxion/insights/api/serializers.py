from rest_framework import serializers

from konnaxion.insights.models import (
    ApiPerfFact,
    DimDomain,
    DimEndpoint,
    SmartVoteFact,
    UsageMauFact,
)


class DimDomainSerializer(serializers.ModelSerializer):
    class Meta:
        model = DimDomain
        fields = ("domain_id", "domain_code")


class DimEndpointSerializer(serializers.ModelSerializer):
    class Meta:
        model = DimEndpoint
        fields = ("endpoint_id", "method", "path")


class SmartVoteFactSerializer(serializers.ModelSerializer):
    date = serializers.DateField(source="date.calendar_date")
    domain = serializers.CharField(source="domain.domain_code", default=None)

    class Meta:
        model = SmartVoteFact
        fields = (
            "id",
            "date",
            "domain",
            "target_type",
            "question_id",
            "user_hash",
            "vote_value",
            "weighted_value",
            "score_normalised",
        )


class UsageMauFactSerializer(serializers.ModelSerializer):
    month = serializers.DateField(source="month.calendar_date")
    domain = serializers.CharField(source="domain.domain_code")

    class Meta:
        model = UsageMauFact
        fields = ("id", "month", "domain", "mau", "projects_created", "docs_uploaded")


class ApiPerfFactSerializer(serializers.ModelSerializer):
    date = serializers.DateField(source="date.calendar_date")
    method = serializers.CharField(source="endpoint.method")
    path = serializers.CharField(source="endpoint.path")

    class Meta:
        model = ApiPerfFact
        fields = (
            "id",
            "date",
            "hour_of_day",
            "method",
            "path",
            "p95_latency_ms",
            "error_rate_pct",
            "request_count",
        )
