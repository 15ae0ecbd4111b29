"""Saved searches under /api/connect/saved-searches/: one's own only (another's is a 404)."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from konnaxion.kreative import selectors
from konnaxion.kreative.api import saved_search_serializers as s
from konnaxion.kreative.api.kontact_serializers import OpportunitySerializer, ProfileListSerializer
from konnaxion.kreative.models import SavedSearch
from konnaxion.kreative.services import saved_searches


class SavedSearchViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Keep a People or Opportunities search, run it again, be alerted of new matches."""

    serializer_class = s.SavedSearchSerializer
    lookup_value_regex = r"\d+"
    queryset = SavedSearch.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return selectors.saved_searches_of(user=self.request.user)

    @extend_schema(request=s.SavedSearchCreateSerializer, responses={201: s.SavedSearchSerializer})
    def create(self, request: Request) -> Response:
        serializer = s.SavedSearchCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        search = saved_searches.saved_search_create(owner=request.user, **serializer.validated_data)
        return Response(s.SavedSearchSerializer(search).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.SavedSearchUpdateSerializer, responses=s.SavedSearchSerializer)
    def partial_update(self, request: Request, pk=None) -> Response:
        search = self.get_object()
        serializer = s.SavedSearchUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        search = saved_searches.saved_search_update(
            saved_search=search, actor=request.user, **serializer.validated_data
        )
        return Response(s.SavedSearchSerializer(search).data)

    def destroy(self, request: Request, pk=None) -> Response:
        saved_searches.saved_search_delete(saved_search=self.get_object(), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        parameters=[OpenApiParameter("page", int), OpenApiParameter("page_size", int)],
        responses=s.SavedSearchResultsSerializer,
    )
    @action(detail=True, methods=["get"])
    def run(self, request: Request, pk=None) -> Response:
        """The search's current results (profiles or opportunities, by its kind), as the list
        endpoint with its filters answers them; records when it was last run."""
        search = self.get_object()
        found = saved_searches.saved_search_run(saved_search=search, actor=request.user)
        page = self.paginate_queryset(found)
        if search.kind == SavedSearch.Kind.PEOPLE:
            results = ProfileListSerializer(page, many=True).data
        else:
            results = OpportunitySerializer(page, many=True, context={"request": request}).data
        return self.get_paginated_response(results)
