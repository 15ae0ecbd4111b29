import django_filters
from django.conf import settings
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import parsers, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from konnaxion.core.api.parsers import JSONParser
from konnaxion.core.errors import NotFound, PermissionDenied, ValidationFailed
from konnaxion.kreative import selectors
from konnaxion.kreative.api import serializers as s
from konnaxion.kreative.api.stored_files import stored_file_response
from konnaxion.kreative.api.workspace_views import WorkspaceLookupMixin
from konnaxion.kreative.models import CollabSession, KreativeArtwork, TraditionEntry
from konnaxion.kreative.services import (
    artworks,
    collab_sessions,
    collaboration_workspace,
    galleries,
    traditions,
)
from konnaxion.tags.models import Tag
from konnaxion.tags.services import tags_get_or_create

UPLOAD_PARSERS = (parsers.MultiPartParser, parsers.FormParser, JSONParser)


class TagFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains")

    class Meta:
        model = Tag
        fields = ("q",)


class TagViewSet(viewsets.ReadOnlyModelViewSet):
    """The shared tag vocabulary; POST creates tags by name (reused ignoring case)."""

    serializer_class = s.TagSerializer
    filterset_class = TagFilter

    def get_queryset(self):
        return selectors.tags_listed()

    @extend_schema(
        request=s.TagCreateSerializer,
        # A plain array: the tags created or reused, not a page of the list.
        responses={201: {"type": "array", "items": {"$ref": "#/components/schemas/Tag"}}},
    )
    def create(self, request: Request) -> Response:
        serializer = s.TagCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        tags = tags_get_or_create(names=serializer.validated_data["names"])
        return Response(s.TagSerializer(tags, many=True).data, status=status.HTTP_201_CREATED)


class ArtworkFilter(django_filters.FilterSet):
    artist = django_filters.CharFilter(field_name="artist__username")
    tag = django_filters.CharFilter(field_name="tags__name", lookup_expr="iexact")
    q = django_filters.CharFilter(field_name="title", lookup_expr="icontains")

    class Meta:
        model = KreativeArtwork
        fields = ("media_type", "nsfw", "artist", "tag", "year", "q")


class ArtworkViewSet(viewsets.ModelViewSet):
    """Artworks: anyone signed in uploads; only the artist edits or deletes. Every read goes
    through `artworks_visible_to`: an artwork whose artist's profile the caller may not see is a
    404 and absent from the list."""

    serializer_class = s.ArtworkSerializer
    filterset_class = ArtworkFilter
    # Anonymous visitors see public profiles, so their works too: the selector decides.
    permission_classes = (permissions.IsAuthenticatedOrReadOnly,)
    ordering_fields = ("created_at", "year", "title")
    parser_classes = UPLOAD_PARSERS
    http_method_names = ("get", "post", "patch", "delete", "head", "options")

    def get_queryset(self):
        return selectors.artworks_visible_to(user=self.request.user)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "size", int, description="A derived size (ARTWORK_RESOLUTIONS), as WebP"
            )
        ],
        # The artwork's own type (image/png, video/mp4...), image/webp for a derived size.
        responses={(200, "*/*"): OpenApiTypes.BINARY},
    )
    @action(detail=True, methods=["get"])
    def media(self, request: Request, pk=None) -> HttpResponse:
        """The artwork's file (or a derived size of an image) for whoever may see the artist's
        profile; the original until the derived size is made."""
        size = request.query_params.get("size", "")
        if size and size not in {str(px) for px in settings.ARTWORK_RESOLUTIONS}:
            sizes = ", ".join(str(px) for px in settings.ARTWORK_RESOLUTIONS)
            raise ValidationFailed(details={"fields": {"size": f"one of {sizes}"}})
        artworks = self.get_queryset().prefetch_related(None).select_related("media")
        artwork = artworks.filter(pk=pk).first() if str(pk).isdigit() else None
        if artwork is None:
            raise NotFound("No such artwork.")
        derivative = (
            artwork.derivatives.filter(size=int(size)).select_related("blob").first()
            if size
            else None
        )
        if derivative is not None:
            blob, content_type, file_name = derivative.blob, "image/webp", f"{size}.webp"
        else:
            blob, content_type, file_name = artwork.media, artwork.content_type, artwork.media_name
        return stored_file_response(
            blob=blob,
            content_type=content_type,
            file_name=file_name,
            version=artwork.updated_at.isoformat(),
            if_none_match=request.headers.get("If-None-Match"),
        )

    @extend_schema(request=s.ArtworkCreateSerializer, responses={201: s.ArtworkSerializer})
    def create(self, request: Request) -> Response:
        serializer = s.ArtworkCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        artwork = artworks.artwork_create(artist=request.user, **serializer.validated_data)
        return Response(self._render(artwork.pk), status=status.HTTP_201_CREATED)

    @extend_schema(request=s.ArtworkUpdateSerializer, responses=s.ArtworkSerializer)
    def partial_update(self, request: Request, pk=None) -> Response:
        serializer = s.ArtworkUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        artwork = artworks.artwork_update(
            artwork=self.get_object(), actor=request.user, **serializer.validated_data
        )
        return Response(self._render(artwork.pk))

    def destroy(self, request: Request, pk=None) -> Response:
        artworks.artwork_delete(artwork=self.get_object(), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    def _render(self, pk: int) -> dict:
        artwork = self.get_queryset().get(pk=pk)
        return s.ArtworkSerializer(artwork, context=self.get_serializer_context()).data


class GalleryViewSet(viewsets.ModelViewSet):
    """Galleries: curated by their creator; artworks added, removed and reordered."""

    serializer_class = s.GallerySerializer
    filterset_fields = ("theme",)
    ordering_fields = ("created_at", "title")
    http_method_names = ("get", "post", "patch", "delete", "head", "options")

    def get_queryset(self):
        return selectors.galleries_visible_to(user=self.request.user)

    def perform_create(self, serializer) -> None:
        serializer.instance = galleries.gallery_create(
            creator=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer) -> None:
        galleries.gallery_update(
            gallery=serializer.instance, actor=self.request.user, **serializer.validated_data
        )

    def perform_destroy(self, instance) -> None:
        galleries.gallery_delete(gallery=instance, actor=self.request.user)

    @extend_schema(request=s.GalleryArtworkAddSerializer, responses={201: s.GallerySerializer})
    @action(detail=True, methods=["post"], url_path="artworks")
    def add_artwork(self, request: Request, pk=None) -> Response:
        gallery = self.get_object()  # first: a gallery one may not see is a 404, whatever the body
        serializer = s.GalleryArtworkAddSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        galleries.gallery_artwork_add(
            gallery=gallery, actor=request.user, **serializer.validated_data
        )
        return Response(self._render(pk), status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={204: None})
    @action(detail=True, methods=["delete"], url_path=r"artworks/(?P<artwork_id>\d+)")
    def remove_artwork(self, request: Request, pk=None, artwork_id=None) -> Response:
        gallery = self.get_object()
        if not selectors.artworks_visible_to(user=request.user).filter(pk=artwork_id).exists():
            raise NotFound("The artwork is not in this gallery.")  # as if it were not there
        galleries.gallery_artwork_remove(
            gallery=gallery, artwork_id=int(artwork_id), actor=request.user
        )
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=s.GalleryReorderSerializer, responses=s.GallerySerializer)
    @action(detail=True, methods=["post"])
    def reorder(self, request: Request, pk=None) -> Response:
        gallery = self.get_object()
        serializer = s.GalleryReorderSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        galleries.gallery_artworks_reorder(
            gallery=gallery, actor=request.user, **serializer.validated_data
        )
        return Response(self._render(pk))

    def _render(self, pk) -> dict:
        return s.GallerySerializer(self.get_queryset().get(pk=pk)).data


class TraditionEntryViewSet(viewsets.ModelViewSet):
    """Konservation archive: approved entries for all, pending ones for submitter and moderators."""

    serializer_class = s.TraditionEntrySerializer
    filterset_fields = ("region", "approved")
    ordering_fields = ("submitted_at", "title")
    parser_classes = UPLOAD_PARSERS
    http_method_names = ("get", "post", "patch", "head", "options")
    queryset = TraditionEntry.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return selectors.traditions_visible_to(user=self.request.user)

    def perform_create(self, serializer) -> None:
        serializer.instance = traditions.tradition_entry_submit(
            submitted_by=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer) -> None:
        data = {k: v for k, v in serializer.validated_data.items() if k != "media_file"}
        traditions.tradition_entry_update(
            entry=serializer.instance, actor=self.request.user, **data
        )

    @extend_schema(request=None, responses=s.TraditionEntrySerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk=None) -> Response:
        entry = traditions.tradition_entry_approve(entry=self.get_object(), moderator=request.user)
        entry = TraditionEntry.objects.select_related("submitted_by", "approved_by").get(
            pk=entry.pk
        )
        return Response(s.TraditionEntrySerializer(entry, context={"request": request}).data)

    @extend_schema(responses={(200, "*/*"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def media(self, request: Request, pk=None) -> HttpResponse:
        """The entry's image, video or audio file, for whoever may see the entry."""
        entries = self.get_queryset().select_related("media")
        entry = entries.filter(pk=pk).first() if str(pk).isdigit() else None
        if entry is None:
            raise NotFound("No such file.")
        return stored_file_response(
            blob=entry.media,
            content_type=entry.media_content_type,  # read from its content when submitted
            file_name=entry.media_name,
            version=entry.updated_at.isoformat(),
            if_none_match=request.headers.get("If-None-Match"),
        )


class CollabSessionViewSet(WorkspaceLookupMixin, viewsets.ModelViewSet):
    """Collaboration sessions: started and ended by their host. Read through the same rule as
    /api/connect/workspaces/ (`workspaces_of`): a session one neither hosts nor is invited to,
    or whose host is across a block, is absent from the list and a 404."""

    serializer_class = s.CollabSessionSerializer
    filterset_fields = ("session_type",)
    ordering_fields = ("started_at",)
    http_method_names = ("get", "post", "patch", "head", "options")
    queryset = CollabSession.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return (
            selectors.workspaces_of(user=self.request.user)
            .prefetch_related(None)
            .select_related("final_artwork")
        )

    def perform_create(self, serializer) -> None:
        # One code path with /api/connect/workspaces/: kind, invitations and their checks.
        serializer.instance = collaboration_workspace.workspace_create(
            host=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer) -> None:
        session = serializer.instance
        if session.host_id != self.request.user.pk:
            raise PermissionDenied("Only the host may change the session.")
        name = serializer.validated_data.get("name", session.name)
        collab_sessions.collab_session_update(session=session, actor=self.request.user, name=name)

    @extend_schema(request=s.CollabSessionEndSerializer, responses=s.CollabSessionSerializer)
    @action(detail=True, methods=["post"])
    def end(self, request: Request, pk=None) -> Response:
        serializer = s.CollabSessionEndSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        session = collab_sessions.collab_session_end(
            session=self.get_object(), actor=request.user, **serializer.validated_data
        )
        session = CollabSession.objects.select_related("host").get(pk=session.pk)
        return Response(s.CollabSessionSerializer(session).data)
