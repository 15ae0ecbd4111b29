"""Shapes of /api/connect/saved-searches/ (saved searches and their alerts)."""

from drf_spectacular.utils import PolymorphicProxySerializer
from rest_framework import serializers

from konnaxion.kreative.api.kontact_serializers import OpportunitySerializer, ProfileListSerializer
from konnaxion.kreative.filters import VALUE_MAX_CHARS
from konnaxion.kreative.models import SavedSearch
from konnaxion.kreative.services.saved_searches import NAME_MAX_CHARS

FILTERS_HELP = (
    "The list endpoint's query parameters as strings: for `people` those of /api/profiles/ "
    "(q, skills, styles, region, role, open), for `opportunities` those of "
    "/api/connect/opportunities/ (q, type, tags, region, remote, deadline_after, "
    "deadline_before, starts_before, ends_after, status, no_entry_fee, saved, ordering)."
)


def _filters(**extra) -> serializers.DictField:
    return serializers.DictField(
        child=serializers.CharField(allow_blank=True, max_length=VALUE_MAX_CHARS),
        help_text=FILTERS_HELP,
        **extra,
    )


class SavedSearchSerializer(serializers.ModelSerializer):
    filters = _filters(read_only=True)

    class Meta:
        model = SavedSearch
        fields = (
            "id",
            "name",
            "kind",
            "filters",
            "alert",
            "created_at",
            "updated_at",
            "last_run_at",
            "alerts_checked_at",
        )
        read_only_fields = fields


class SavedSearchCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=NAME_MAX_CHARS)
    kind = serializers.ChoiceField(choices=SavedSearch.Kind.choices)
    filters = _filters(default=dict)
    alert = serializers.ChoiceField(
        choices=SavedSearch.Alert.choices, default=SavedSearch.Alert.OFF
    )


class SavedSearchUpdateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=NAME_MAX_CHARS, required=False)
    filters = _filters(required=False)
    alert = serializers.ChoiceField(choices=SavedSearch.Alert.choices, required=False)


class SavedSearchResultsSerializer(serializers.Serializer):
    """A page of the search's current results: profiles or opportunities, by its kind."""

    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = PolymorphicProxySerializer(
        component_name="SavedSearchMatch",
        serializers=[ProfileListSerializer, OpportunitySerializer],
        resource_type_field_name=None,
        many=True,
    )
