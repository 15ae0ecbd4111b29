"""Stockage API under /api/projects/<slug>/: documents, versions, downloads, trash, permissions.

Every view reads documents through `selectors.resources_visible_to` (404 for what the caller may
not read) and writes through the services. Uploads stream through `IncomingFileUploadHandler`,
installed after the caller's right to write was checked and before the body is read.
"""

from __future__ import annotations

import re
from functools import cached_property

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, generics, permissions, status
from rest_framework.parsers import MultiPartParser
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from konnaxion.core.api.pagination import PageNumberPagination
from konnaxion.core.errors import NotFound, PermissionDenied, ValidationFailed
from konnaxion.files.file_policy import CONTENT_TYPES
from konnaxion.files.incoming import IncomingFile
from konnaxion.files.upload_handler import StreamedUploadsMixin
from konnaxion.keenkonnect import selectors
from konnaxion.keenkonnect.api import resource_serializers as s
from konnaxion.keenkonnect.api.downloads import download_response
from konnaxion.keenkonnect.models import (
    AccessLevel,
    AuditEvent,
    DocumentVersion,
    Project,
    ProjectResource,
    ProjectTeam,
)
from konnaxion.keenkonnect.services import document_versioning, granular_permissions
from konnaxion.keenkonnect.services import secure_document_storage as storage

DOCUMENT_TYPES = sorted(set(CONTENT_TYPES.values()))

PROJECT_SLUG = OpenApiParameter("project_slug", str, OpenApiParameter.PATH)
RESOURCE_ID = OpenApiParameter("resource_id", int, OpenApiParameter.PATH)
MAX_ID = 2_147_483_647
LOCKED = OpenApiResponse(
    description="`document_locked`: checked out by someone else; `details` gives the `holder` "
    "(a username) and `until` (ISO 8601)"
)


class ProjectScoped:
    """Resolves `project_slug` through project visibility (404 for invisible projects; 401 for
    an anonymous visitor, who learns no more than that signing in is needed)."""

    @cached_property
    def project(self) -> Project:
        try:
            return selectors.project_get_visible(
                user=self.request.user, slug=self.kwargs["project_slug"]
            )
        except NotFound:
            if not self.request.user.is_authenticated:
                raise exceptions.NotAuthenticated() from None
            raise

    def resource(self, *, include_trashed: bool = False) -> ProjectResource:
        resource_id = self.kwargs["resource_id"]
        if resource_id > MAX_ID:
            raise NotFound("No such document.")
        return selectors.resource_get_visible(
            user=self.request.user,
            project=self.project,
            resource_id=resource_id,
            include_trashed=include_trashed,
        )


class ReadableByVisitors(permissions.BasePermission):
    """Reading needs no account where the project is public (the web pages show its documents
    to anonymous visitors, with these addresses); every change needs one."""

    def has_permission(self, request, view) -> bool:
        return request.method in permissions.SAFE_METHODS or request.user.is_authenticated


def received_file(request: Request) -> IncomingFile:
    """The streamed `file` part of a multipart upload (the view installs the streaming handler
    with StreamedUploadsMixin). Raises ValidationFailed without one."""
    upload = request.FILES.get("file")
    if not isinstance(upload, IncomingFile):
        raise ValidationFailed(details={"fields": {"file": "a file is required"}})
    return upload


def form_field(request: Request, name: str, max_length: int) -> str:
    value = request.data.get(name, "")
    if not isinstance(value, str) or len(value) > max_length:
        raise ValidationFailed(details={"fields": {name: f"at most {max_length} characters"}})
    return value


class ResourceListView(StreamedUploadsMixin, ProjectScoped, generics.GenericAPIView):
    """The project's documents the caller may read; upload a new one."""

    permission_classes = [ReadableByVisitors]

    serializer_class = s.ResourceSerializer
    parser_classes = [MultiPartParser]
    queryset = ProjectResource.objects.none()

    def get_queryset(self):
        return selectors.resources_visible_to(user=self.request.user, project=self.project)

    @extend_schema(parameters=[PROJECT_SLUG], responses=s.ResourceSerializer(many=True))
    def get(self, request: Request, project_slug: str) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(s.ResourceSerializer(page, many=True).data)

    @extend_schema(
        parameters=[PROJECT_SLUG],
        request={"multipart/form-data": s.ResourceUploadSerializer},
        responses={201: s.ResourceSerializer},
    )
    def post(self, request: Request, project_slug: str) -> Response:
        level = granular_permissions.project_level_of(user=request.user, project=self.project)
        if level < AccessLevel.WRITE:
            raise PermissionDenied("Only the project's owners and collaborators may upload.")
        upload = received_file(request)
        resource = storage.resource_create(
            project=self.project,
            upload=upload,
            actor=request.user,
            title=form_field(request, "title", 200),
            description=form_field(request, "description", 10_000),
            label=form_field(request, "label", 10_000),
            note=form_field(request, "note", 10_000),
        )
        return Response(self._render(resource.pk), status=status.HTTP_201_CREATED)

    def _render(self, resource_id: int) -> dict:
        return s.ResourceSerializer(self.get_queryset().get(pk=resource_id)).data


class TrashListView(ProjectScoped, generics.GenericAPIView):
    """Trashed documents the caller may restore (write level)."""

    permission_classes = [ReadableByVisitors]

    serializer_class = s.ResourceSerializer
    queryset = ProjectResource.objects.none()

    def get_queryset(self):
        return selectors.resources_visible_to(
            user=self.request.user, project=self.project, min_level="write", trashed_only=True
        ).order_by("-trashed_at", "-id")

    @extend_schema(parameters=[PROJECT_SLUG], responses=s.ResourceSerializer(many=True))
    def get(self, request: Request, project_slug: str) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(s.ResourceSerializer(page, many=True).data)


class ResourceDetailView(ProjectScoped, APIView):
    """A document: read it, edit its title and description, or move it to the trash."""

    permission_classes = [ReadableByVisitors]

    @extend_schema(parameters=[PROJECT_SLUG, RESOURCE_ID], responses=s.ResourceSerializer)
    def get(self, request: Request, project_slug: str, resource_id: int) -> Response:
        return Response(s.ResourceSerializer(self.resource()).data)

    @extend_schema(
        parameters=[PROJECT_SLUG, RESOURCE_ID],
        request=s.ResourceUpdateSerializer,
        responses={200: s.ResourceSerializer, 423: LOCKED},
    )
    def patch(self, request: Request, project_slug: str, resource_id: int) -> Response:
        resource = self.resource()
        granular_permissions.ensure_level(resource=resource, needed=AccessLevel.WRITE)
        serializer = s.ResourceUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        storage.resource_update(resource=resource, actor=request.user, **serializer.validated_data)
        return Response(s.ResourceSerializer(self.resource()).data)

    @extend_schema(parameters=[PROJECT_SLUG, RESOURCE_ID], responses={204: None, 423: LOCKED})
    def delete(self, request: Request, project_slug: str, resource_id: int) -> Response:
        storage.resource_trash(resource=self.resource(), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ResourceUntrashView(ProjectScoped, APIView):
    """Take a document out of the trash, within STOCKAGE_TRASH_DAYS days (write level)."""

    @extend_schema(
        parameters=[PROJECT_SLUG, RESOURCE_ID], request=None, responses=s.ResourceSerializer
    )
    def post(self, request: Request, project_slug: str, resource_id: int) -> Response:
        resource = self.resource(include_trashed=True)
        storage.resource_restore_from_trash(resource=resource, actor=request.user)
        return Response(s.ResourceSerializer(self.resource()).data)


class ResourcePurgeView(ProjectScoped, APIView):
    """Delete a document and its history for good (admin level)."""

    @extend_schema(parameters=[PROJECT_SLUG, RESOURCE_ID], responses={204: None, 423: LOCKED})
    def delete(self, request: Request, project_slug: str, resource_id: int) -> Response:
        storage.resource_purge(resource=self.resource(include_trashed=True), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ResourceDownloadView(ProjectScoped, APIView):
    """The content of a version (the current one by default), decrypted as it is streamed."""

    permission_classes = [ReadableByVisitors]

    def perform_content_negotiation(self, request, force=False):
        # The content is sent as it is whatever `Accept` says; errors are always JSON.
        return JSONRenderer(), JSONRenderer.media_type

    @extend_schema(
        parameters=[
            PROJECT_SLUG,
            RESOURCE_ID,
            OpenApiParameter("version", int, description="A version number (default: current)"),
            OpenApiParameter("Range", str, OpenApiParameter.HEADER, description="bytes=a-b"),
        ],
        # Served as the document's own type (one of the accepted blueprint types).
        responses={
            **{(200, content_type): OpenApiTypes.BINARY for content_type in DOCUMENT_TYPES},
            **{(206, content_type): OpenApiTypes.BINARY for content_type in DOCUMENT_TYPES},
            304: OpenApiResponse(description="Not modified (If-None-Match)"),
            416: OpenApiResponse(description="The range cannot be satisfied"),
        },
    )
    def get(self, request: Request, project_slug: str, resource_id: int):
        number = request.query_params.get("version")
        if number is not None and (not re.fullmatch(r"\d{1,9}", number) or int(number) < 1):
            raise ValidationFailed(details={"fields": {"version": "a version number"}})
        version = storage.resource_download(
            resource=self.resource(),
            actor=request.user,
            version_number=None if number is None else int(number),
        )
        return download_response(
            version, request.headers.get("Range"), request.headers.get("If-None-Match")
        )


def if_match_number(request: Request) -> int | None:
    raw = request.headers.get("If-Match")
    if raw is None:
        return None
    value = raw.strip().removeprefix("W/").strip('"')
    if not re.fullmatch(r"\d{1,9}", value):
        raise ValidationFailed(
            "If-Match takes the version number you last saw.",
            details={"fields": {"If-Match": "a version number"}},
        )
    return int(value)


class VersionListView(StreamedUploadsMixin, ProjectScoped, generics.GenericAPIView):
    """The versions of a document, newest first; upload a new one."""

    permission_classes = [ReadableByVisitors]

    serializer_class = s.DocumentVersionSerializer
    parser_classes = [MultiPartParser]
    queryset = DocumentVersion.objects.none()

    def get_queryset(self):
        return selectors.versions_of(resource=self.resource())

    @extend_schema(
        parameters=[PROJECT_SLUG, RESOURCE_ID], responses=s.DocumentVersionSerializer(many=True)
    )
    def get(self, request: Request, project_slug: str, resource_id: int) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(s.DocumentVersionSerializer(page, many=True).data)

    @extend_schema(
        parameters=[
            PROJECT_SLUG,
            RESOURCE_ID,
            OpenApiParameter(
                "If-Match",
                str,
                OpenApiParameter.HEADER,
                description="The version number you last saw; 412 if there is a newer one.",
            ),
        ],
        request={"multipart/form-data": s.VersionUploadSerializer},
        responses={
            201: s.DocumentVersionSerializer,
            412: OpenApiResponse(description="`version_conflict`: a newer version exists"),
            423: LOCKED,
        },
    )
    def post(self, request: Request, project_slug: str, resource_id: int) -> Response:
        resource = self.resource()
        granular_permissions.ensure_level(resource=resource, needed=AccessLevel.WRITE)
        expected = if_match_number(request)
        upload = received_file(request)
        version = document_versioning.version_create(
            resource=resource,
            upload=upload,
            actor=request.user,
            comment=form_field(request, "comment", 10_000),
            expected_number=expected,
            keep_checkout=form_field(request, "keep_checkout", 5).lower() in ("1", "true", "on"),
            label=form_field(request, "label", 10_000),
            note=form_field(request, "note", 10_000),
        )
        return Response(s.DocumentVersionSerializer(version).data, status=status.HTTP_201_CREATED)


class ResourceRestoreView(ProjectScoped, APIView):
    """Make an old version current again, as a new version pointing at the same content."""

    @extend_schema(
        parameters=[PROJECT_SLUG, RESOURCE_ID],
        request=s.VersionRestoreSerializer,
        responses={201: s.DocumentVersionSerializer, 423: LOCKED},
    )
    def post(self, request: Request, project_slug: str, resource_id: int) -> Response:
        resource = self.resource()
        granular_permissions.ensure_level(resource=resource, needed=AccessLevel.WRITE)
        serializer = s.VersionRestoreSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        version = document_versioning.version_restore(
            resource=resource,
            number=serializer.validated_data["version"],
            comment=serializer.validated_data.get("comment", ""),
            actor=request.user,
        )
        return Response(s.DocumentVersionSerializer(version).data, status=status.HTTP_201_CREATED)


class PermissionsView(ProjectScoped, APIView):
    """A document's per-user entries (admin level); PUT replaces them all."""

    @extend_schema(parameters=[PROJECT_SLUG, RESOURCE_ID], responses=s.AccessEntriesSerializer)
    def get(self, request: Request, project_slug: str, resource_id: int) -> Response:
        resource = self.resource()
        granular_permissions.ensure_level(resource=resource, needed=AccessLevel.ADMIN)
        return Response({"entries": granular_permissions.access_entries_of(resource=resource)})

    @extend_schema(
        parameters=[PROJECT_SLUG, RESOURCE_ID],
        request=s.AccessEntriesSerializer,
        responses=s.AccessEntriesSerializer,
    )
    def put(self, request: Request, project_slug: str, resource_id: int) -> Response:
        resource = self.resource()
        granular_permissions.ensure_level(resource=resource, needed=AccessLevel.ADMIN)
        serializer = s.AccessEntriesSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        entries = granular_permissions.access_entries_replace(
            resource=resource, entries=serializer.validated_data["entries"], actor=request.user
        )
        return Response({"entries": entries})


class AuditLogView(ProjectScoped, generics.GenericAPIView):
    """The project's document audit log, for its admins (owners)."""

    serializer_class = s.AuditEventSerializer
    pagination_class = PageNumberPagination
    queryset = AuditEvent.objects.none()

    @extend_schema(
        parameters=[
            PROJECT_SLUG,
            OpenApiParameter("resource", int, description="Only this document's events"),
        ],
        responses=s.AuditEventSerializer(many=True),
    )
    def get(self, request: Request, project_slug: str) -> Response:
        role = selectors.project_role_of(project=self.project, user=request.user)
        if role != ProjectTeam.Role.OWNER:
            raise PermissionDenied("Only the project's owners may read its audit log.")
        events = selectors.audit_events_of(project=self.project)
        resource = request.query_params.get("resource")
        if resource is not None:
            if not re.fullmatch(r"\d{1,9}", resource):
                raise ValidationFailed(details={"fields": {"resource": "a document id"}})
            events = events.filter(resource_id=int(resource))
        page = self.paginate_queryset(events)
        return self.get_paginated_response(s.AuditEventSerializer(page, many=True).data)
