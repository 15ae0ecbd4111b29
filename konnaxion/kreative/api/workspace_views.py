"""/api/connect/workspaces/: collaboration workspaces (thin adapters, see docs/rooms.md)."""

from django.db.models import QuerySet
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from konnaxion.core.errors import NotFound, ValidationFailed
from konnaxion.kreative import selectors
from konnaxion.kreative.api import workspace_serializers as s
from konnaxion.kreative.api.serializers import ArtworkSerializer
from konnaxion.kreative.api.workspace_downloads import workspace_archive_response
from konnaxion.kreative.models import CollabSession
from konnaxion.kreative.services import collaboration_workspace as workspaces
from konnaxion.kreative.services import workspace_outputs

STATUSES = ("active", "ended")


class WorkspaceLookupMixin:
    """`get_object` of the room APIs: a session the caller takes part in (`workspace_get_for`),
    404 for any other id, malformed ones included."""

    def get_object(self) -> CollabSession:
        try:
            pk = int(self.kwargs["pk"])
        except ValueError as error:
            raise NotFound("No such workspace.") from error
        return selectors.workspace_get_for(user=self.request.user, pk=pk)


class WorkspaceViewSet(
    WorkspaceLookupMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """The workspaces one hosts or is invited to: opened, joined, invited to, ended, exported."""

    serializer_class = s.WorkspaceSerializer
    lookup_value_regex = r"\d+"
    queryset = CollabSession.objects.none()

    def get_queryset(self) -> QuerySet[CollabSession]:
        wanted = self.request.query_params.get("status") or None
        if wanted is not None and wanted not in STATUSES:
            raise ValidationFailed(details={"fields": {"status": "active or ended"}})
        return selectors.workspaces_of(user=self.request.user, status=wanted)

    def _render(self, session: CollabSession) -> dict:
        session = selectors.workspace_get_for(user=self.request.user, pk=session.pk)
        return s.WorkspaceSerializer(session).data

    @extend_schema(
        parameters=[OpenApiParameter("status", str, enum=list(STATUSES), required=False)]
    )
    def list(self, request: Request) -> Response:
        return super().list(request)

    @extend_schema(request=s.WorkspaceCreateSerializer, responses={201: s.WorkspaceSerializer})
    def create(self, request: Request) -> Response:
        serializer = s.WorkspaceCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        session = workspaces.workspace_create(host=request.user, **serializer.validated_data)
        return Response(self._render(session), status=status.HTTP_201_CREATED)

    @extend_schema(request=s.WorkspaceInviteSerializer, responses=s.WorkspaceSerializer)
    @action(detail=True, methods=["post"])
    def invite(self, request: Request, pk=None) -> Response:
        serializer = s.WorkspaceInviteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        session = workspaces.workspace_invite(
            session=self.get_object(), actor=request.user, **serializer.validated_data
        )
        return Response(self._render(session))

    @extend_schema(request=s.WorkspaceEndSerializer, responses=s.WorkspaceSerializer)
    @action(detail=True, methods=["post"])
    def end(self, request: Request, pk=None) -> Response:
        serializer = s.WorkspaceEndSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        session = workspaces.workspace_end(
            session=self.get_object(), actor=request.user, **serializer.validated_data
        )
        return Response(self._render(session))

    @extend_schema(responses=s.WorkspaceExportSerializer)
    @action(detail=True, methods=["get"])
    def export(self, request: Request, pk=None) -> Response:
        content = workspace_outputs.workspace_export(session=self.get_object())
        return Response(s.WorkspaceExportSerializer(content).data)

    @extend_schema(responses={(200, "application/zip"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def archive(self, request: Request, pk=None) -> HttpResponse:
        """The export as one ZIP: chat.txt, notes.md, notes.html, canvas.json, canvas.svg and
        canvas.png."""
        return workspace_archive_response(session=self.get_object())

    @extend_schema(request=None, responses={204: None})
    @action(detail=True, methods=["post"])
    def leave(self, request: Request, pk=None) -> Response:
        """Leave a workspace one was invited to (the host ends it instead: 409)."""
        workspaces.workspace_leave(session=self.get_object(), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=s.WorkspaceCanvasSaveSerializer, responses={201: ArtworkSerializer})
    @action(detail=True, methods=["post"], url_path="save-canvas")
    def save_canvas(self, request: Request, pk=None) -> Response:
        """Keep the canvas as an artwork of one's own, crediting everyone in the room."""
        serializer = s.WorkspaceCanvasSaveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        artwork = workspace_outputs.workspace_canvas_save(
            session=self.get_object(), actor=request.user, **serializer.validated_data
        )
        context = self.get_serializer_context()
        return Response(ArtworkSerializer(artwork, context=context).data, status=201)
