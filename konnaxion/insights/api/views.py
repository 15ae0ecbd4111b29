"""The read-only reporting API, for staff."""

import django_filters
from rest_framework import mixins, viewsets
from rest_framework.permissions import IsAdminUser

from konnaxion.insights import selectors
from konnaxion.insights.api import serializers as s
from konnaxion.insights.models import ApiPerfFact, DimDomain, SmartVoteFact, UsageMauFact


class StaffReadOnly(mixins.ListModelMixin, viewsets.GenericViewSet):
    permission_classes = (IsAdminUser,)


class DimDomainViewSet(StaffReadOnly):
    serializer_class = s.DimDomainSerializer

    def get_queryset(self):
        return selectors.domains_listed()


class DimEndpointViewSet(StaffReadOnly):
    serializer_class = s.DimEndpointSerializer
    filterset_fields = ("method",)

    def get_queryset(self):
        return selectors.endpoints_listed()


def _date_range(field: str):
    return (
        django_filters.DateFilter(field_name=f"{field}__calendar_date", lookup_expr="gte"),
        django_filters.DateFilter(field_name=f"{field}__calendar_date", lookup_expr="lte"),
    )


class SmartVoteFactFilter(django_filters.FilterSet):
    since, until = _date_range("date")
    domain = django_filters.ChoiceFilter(
        field_name="domain__domain_code", choices=DimDomain.Code.choices
    )

    class Meta:
        model = SmartVoteFact
        fields = ("since", "until", "domain", "target_type")


class SmartVoteFactViewSet(StaffReadOnly):
    serializer_class = s.SmartVoteFactSerializer
    filterset_class = SmartVoteFactFilter

    def get_queryset(self):
        return selectors.smart_vote_facts()


class UsageMauFactFilter(django_filters.FilterSet):
    since, until = _date_range("month")
    domain = django_filters.ChoiceFilter(
        field_name="domain__domain_code", choices=DimDomain.Code.choices
    )

    class Meta:
        model = UsageMauFact
        fields = ("since", "until", "domain")


class UsageMauFactViewSet(StaffReadOnly):
    serializer_class = s.UsageMauFactSerializer
    filterset_class = UsageMauFactFilter

    def get_queryset(self):
        return selectors.usage_mau_facts()


class ApiPerfFactFilter(django_filters.FilterSet):
    since, until = _date_range("date")
    path = django_filters.CharFilter(field_name="endpoint__path")
    method = django_filters.CharFilter(field_name="endpoint__method")

    class Meta:
        model = ApiPerfFact
        fields = ("since", "until", "path", "method", "hour_of_day")


class ApiPerfFactViewSet(StaffReadOnly):
    serializer_class = s.ApiPerfFactSerializer
    filterset_class = ApiPerfFactFilter

    def get_queryset(self):
        return selectors.api_perf_facts()
