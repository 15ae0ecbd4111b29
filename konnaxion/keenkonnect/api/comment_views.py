"""Comments on a document's versions, under /api/projects/<slug>/resources/<id>/comments/.

Read through the document's permission path (`ProjectScoped.resource`: 404 for whoever may not
read it); written through `services.document_comments` (read level, signed in).
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from konnaxion.core.errors import NotFound, ValidationFailed
from konnaxion.keenkonnect import selectors
from konnaxion.keenkonnect.api.resource_views import (
    MAX_ID,
    PROJECT_SLUG,
    RESOURCE_ID,
    ProjectScoped,
    ReadableByVisitors,
)
from konnaxion.keenkonnect.models import DocumentComment
from konnaxion.keenkonnect.models.comments import COMMENT_MAX_CHARS
from konnaxion.keenkonnect.services import document_comments

COMMENT_ID = OpenApiParameter("comment_id", int, OpenApiParameter.PATH)
STATES = ("open", "resolved")


class DocumentCommentSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.username", default=None, allow_null=True)
    version = serializers.IntegerField(source="version.number")
    parent = serializers.IntegerField(source="parent_id", allow_null=True)
    body = serializers.CharField(allow_blank=True)
    deleted = serializers.SerializerMethodField()
    mentions = serializers.SerializerMethodField()
    resolved_by = serializers.CharField(
        source="resolved_by.username", default=None, allow_null=True
    )

    class Meta:
        model = DocumentComment
        fields = (
            "id",
            "parent",
            "version",
            "author",
            "body",
            "anchor",
            "mentions",
            "created_at",
            "edited_at",
            "deleted",
            "resolved_at",
            "resolved_by",
        )
        read_only_fields = fields

    def get_deleted(self, comment: DocumentComment) -> bool:
        return comment.deleted_at is not None

    def get_mentions(self, comment: DocumentComment) -> list[str]:
        return sorted(person.username for person in comment.mentions.all())


class DocumentThreadSerializer(DocumentCommentSerializer):
    replies = DocumentCommentSerializer(many=True, read_only=True)

    class Meta(DocumentCommentSerializer.Meta):
        fields = (*DocumentCommentSerializer.Meta.fields, "replies")
        read_only_fields = fields


class AnchorField(serializers.JSONField):
    """`{"page": 3, "rect"?: {x, y, w, h}}` (PDF), `{"rect": {...}}` (image, 0..1) or
    `{"point": [x, y, z]}` (3D model); checked against the version's type by the service."""


class DocumentCommentCreateSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=COMMENT_MAX_CHARS, trim_whitespace=True)
    version = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False)
    parent = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False)
    anchor = AnchorField(required=False, allow_null=True)


class DocumentCommentUpdateSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=COMMENT_MAX_CHARS, trim_whitespace=True)


def _valid(serializer_class: type[serializers.Serializer], request: Request) -> dict:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


class CommentListView(ProjectScoped, generics.GenericAPIView):
    """The document's threads, oldest first, on every version (each says its own); post a
    comment or a reply."""

    permission_classes = [ReadableByVisitors]
    serializer_class = DocumentThreadSerializer
    queryset = DocumentComment.objects.none()

    @extend_schema(
        parameters=[
            PROJECT_SLUG,
            RESOURCE_ID,
            OpenApiParameter("version", int, description="Only threads on this version"),
            OpenApiParameter("state", str, enum=list(STATES), description="open or resolved"),
        ],
        responses=DocumentThreadSerializer(many=True),
    )
    def get(self, request: Request, project_slug: str, resource_id: int) -> Response:
        threads = selectors.comments_of(resource=self.resource())
        version = request.query_params.get("version")
        if version is not None:
            if not version.isascii() or not version.isdigit() or not 1 <= int(version) <= MAX_ID:
                raise ValidationFailed(details={"fields": {"version": "a version number"}})
            threads = threads.filter(version__number=int(version))
        state = request.query_params.get("state")
        if state is not None:
            if state not in STATES:
                raise ValidationFailed(details={"fields": {"state": "open or resolved"}})
            threads = threads.filter(resolved_at__isnull=state == "open")
        page = self.paginate_queryset(threads)
        return self.get_paginated_response(DocumentThreadSerializer(page, many=True).data)

    @extend_schema(
        parameters=[PROJECT_SLUG, RESOURCE_ID],
        request=DocumentCommentCreateSerializer,
        responses={201: DocumentCommentSerializer},
    )
    def post(self, request: Request, project_slug: str, resource_id: int) -> Response:
        resource = self.resource()
        data = _valid(DocumentCommentCreateSerializer, request)
        written = document_comments.comment_create(
            resource=resource,
            actor=request.user,
            body=data["body"],
            version_number=data.get("version"),
            anchor=data.get("anchor"),
            parent_id=data.get("parent"),
        )
        comment = selectors.comment_get(resource=resource, comment_id=written.comment.pk)
        return Response(DocumentCommentSerializer(comment).data, status=status.HTTP_201_CREATED)


class CommentScoped(ProjectScoped):
    def comment_id(self) -> int:
        comment_id = self.kwargs["comment_id"]
        if comment_id > MAX_ID:
            raise NotFound("No such comment.")
        return comment_id


class CommentDetailView(CommentScoped, APIView):
    """One comment: read it, change its text (its author), delete it (its author or an admin)."""

    permission_classes = [ReadableByVisitors]

    @extend_schema(
        parameters=[PROJECT_SLUG, RESOURCE_ID, COMMENT_ID], responses=DocumentCommentSerializer
    )
    def get(self, request: Request, project_slug: str, resource_id: int, comment_id: int):
        comment = selectors.comment_get(resource=self.resource(), comment_id=self.comment_id())
        return Response(DocumentCommentSerializer(comment).data)

    @extend_schema(
        parameters=[PROJECT_SLUG, RESOURCE_ID, COMMENT_ID],
        request=DocumentCommentUpdateSerializer,
        responses=DocumentCommentSerializer,
    )
    def patch(self, request: Request, project_slug: str, resource_id: int, comment_id: int):
        resource = self.resource()
        data = _valid(DocumentCommentUpdateSerializer, request)
        written = document_comments.comment_update(
            resource=resource, comment_id=self.comment_id(), actor=request.user, body=data["body"]
        )
        comment = selectors.comment_get(resource=resource, comment_id=written.comment.pk)
        return Response(DocumentCommentSerializer(comment).data)

    @extend_schema(parameters=[PROJECT_SLUG, RESOURCE_ID, COMMENT_ID], responses={204: None})
    def delete(self, request: Request, project_slug: str, resource_id: int, comment_id: int):
        document_comments.comment_delete(
            resource=self.resource(), comment_id=self.comment_id(), actor=request.user
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class CommentResolveView(CommentScoped, APIView):
    """Resolve a thread (POST to `resolve/`) or open it again (`reopen/`)."""

    resolve = True

    @extend_schema(
        parameters=[PROJECT_SLUG, RESOURCE_ID, COMMENT_ID],
        request=None,
        responses=DocumentThreadSerializer,
    )
    def post(self, request: Request, project_slug: str, resource_id: int, comment_id: int):
        resource = self.resource()
        change = (
            document_comments.comment_resolve if self.resolve else document_comments.comment_reopen
        )
        change(resource=resource, comment_id=self.comment_id(), actor=request.user)
        thread = selectors.comments_of(resource=resource).get(pk=self.comment_id())
        return Response(DocumentThreadSerializer(thread).data)


class CommentReopenView(CommentResolveView):
    resolve = False
