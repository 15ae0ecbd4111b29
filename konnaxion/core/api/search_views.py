"""GET /api/search/: every registered kind of result (documents, profiles, opportunities...) in
one ranked, paginated list."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from konnaxion.core.api.pagination import PageNumberPagination
from konnaxion.core.errors import ValidationFailed
from konnaxion.core.search import (
    page_slice,
    search_filters_from,
    search_kinds,
    search_run,
    search_suggestion,
)


class RegisteredKinds:
    """Gives a serializer's `kind` field the kinds the apps registered (konnaxion/core/search.py),
    known only once the apps are ready."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = search_kinds()


class SearchQuerySerializer(RegisteredKinds, serializers.Serializer):
    q = serializers.CharField(max_length=200, help_text='websearch syntax: "a phrase", or, -word')
    kind = serializers.MultipleChoiceField(choices=(), required=False)
    project = serializers.SlugField(required=False, help_text="search in one project's documents")
    type = serializers.CharField(max_length=40, required=False, help_text="pdf, png, jpg, stl...")
    tags = serializers.CharField(max_length=500, required=False, help_text="comma-separated")
    uploader = serializers.CharField(max_length=150, required=False)
    date_from = serializers.DateField(required=False)
    date_to = serializers.DateField(required=False)

    def validate_q(self, value: str) -> str:
        if "\x00" in value or not value.strip():
            raise serializers.ValidationError("Give words to search for.")
        return value

    def validate(self, attrs: dict) -> dict:
        start, end = attrs.get("date_from"), attrs.get("date_to")
        if start and end and start > end:
            raise serializers.ValidationError({"date_to": "Before date_from."})
        for name in ("project", "type", "uploader", "tags"):
            if "\x00" in attrs.get(name, ""):
                raise serializers.ValidationError({name: "Invalid character."})
        return attrs


class SearchResultSerializer(RegisteredKinds, serializers.Serializer):
    kind = serializers.ChoiceField(choices=())
    id = serializers.CharField()
    title = serializers.CharField()
    snippet = serializers.CharField(help_text="HTML: escaped text, matches in <mark>")
    score = serializers.FloatField()
    url = serializers.CharField()
    project = serializers.CharField(allow_null=True, help_text="the project's slug")
    project_title = serializers.CharField(allow_null=True)
    version = serializers.IntegerField(allow_null=True)
    content_type = serializers.CharField(allow_null=True)
    tags = serializers.ListField(child=serializers.CharField())
    updated_at = serializers.DateTimeField()
    page = serializers.IntegerField(
        allow_null=True,
        help_text="for a PDF document, the first page (from 1) whose text matches the query by "
        "itself; null for other results, and when no page matches alone or the PDF was indexed "
        "without page breaks",
    )


class SearchPagination(PageNumberPagination):
    """Pages of a search: `count` is the number of matches, exact up to SEARCH_EXACT_COUNT and
    estimated past it (`count_is_estimate`); `next` goes through the ranked results only.
    Beside the results, `suggestion` (set by the view)."""

    def get_paginated_response(self, data: Any) -> Response:
        found, estimated = self.page.paginator.object_list.matches()
        return Response(
            {
                "count": found,
                "count_is_estimate": estimated,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema: dict) -> dict:
        paginated = super().get_paginated_response_schema(schema)
        paginated["properties"]["count"]["description"] = (
            "the number of matches: exact up to 10,000 (SEARCH_EXACT_COUNT), estimated past it; "
            "pages go through the ranked results only (docs/search.md)"
        )
        paginated["properties"] = {
            "count": paginated["properties"].pop("count"),
            "count_is_estimate": {
                "type": "boolean",
                "description": 'whether `count` is an estimate ("about N")',
            },
            **paginated["properties"],
        }
        paginated["required"] = [*paginated.get("required", []), "count_is_estimate"]
        paginated["properties"]["suggestion"] = {
            "type": "string",
            "nullable": True,
            "example": "kernel -linux",
            "description": "when nothing matches: the query with its misspelt words corrected, "
            "given only if it finds something the caller may see; otherwise null",
        }
        return paginated


class SearchView(GenericAPIView):
    """Full-text search over what the caller may see, best first (docs/search.md)."""

    serializer_class = SearchResultSerializer
    pagination_class = SearchPagination
    # Only for the schema generator, which looks for a model; results come from `search_run`.
    queryset = get_user_model().objects.none()

    @extend_schema(parameters=[SearchQuerySerializer], responses=SearchResultSerializer(many=True))
    def get(self, request: Request) -> Response:
        params = SearchQuerySerializer(data=request.query_params)
        if not params.is_valid():
            raise ValidationFailed(details={"fields": params.errors})
        data = params.validated_data
        filters = search_filters_from(data)
        page_size = self.paginator.get_page_size(request)
        expected = page_slice(request.query_params.get(self.paginator.page_query_param), page_size)
        results = search_run(
            query=data["q"], user=request.user, filters=filters, expected_page=expected
        )
        page = self.paginate_queryset(results)
        response = self.get_paginated_response(self.get_serializer(page, many=True).data)
        # Looked for only when nothing matches: found results cost nothing more.
        response.data["suggestion"] = (
            None
            if results.count()
            else search_suggestion(query=data["q"], user=request.user, filters=filters)
        )
        return response
