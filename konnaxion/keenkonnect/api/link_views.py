"""Share links of a document and upload links of a project, under /api/projects/<slug>/.

Documents are read through `selectors.resources_visible_to` like every Stockage view (404 for
what the caller may not read); the services check the admin level and the project's setting.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from konnaxion.keenkonnect.api import link_serializers as s
from konnaxion.keenkonnect.api.resource_views import PROJECT_SLUG, RESOURCE_ID, ProjectScoped
from konnaxion.keenkonnect.models import ShareLink, UploadLink
from konnaxion.keenkonnect.services import sharing, upload_links

LINK_ID = OpenApiParameter("link_id", int, OpenApiParameter.PATH)


def share_url(request: Request, token: str) -> str:
    return request.build_absolute_uri(f"/s/{token}/")


def upload_url(request: Request, token: str) -> str:
    return request.build_absolute_uri(f"/u/{token}/")


class ShareLinkListView(ProjectScoped, generics.GenericAPIView):
    """A document's share links with their use counts (admin level); make a new one."""

    serializer_class = s.ShareLinkSerializer
    queryset = ShareLink.objects.none()

    @extend_schema(
        parameters=[PROJECT_SLUG, RESOURCE_ID], responses=s.ShareLinkSerializer(many=True)
    )
    def get(self, request: Request, project_slug: str, resource_id: int) -> Response:
        page = self.paginate_queryset(sharing.share_links_of(resource=self.resource()))
        return self.get_paginated_response(s.ShareLinkSerializer(page, many=True).data)

    @extend_schema(
        parameters=[PROJECT_SLUG, RESOURCE_ID],
        request=s.ShareLinkCreateSerializer,
        responses={201: s.NewShareLinkSerializer},
    )
    def post(self, request: Request, project_slug: str, resource_id: int) -> Response:
        resource = self.resource()
        serializer = s.ShareLinkCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        made = sharing.share_link_create(
            resource=resource,
            actor=request.user,
            version_number=data.get("version"),
            password=data.get("password", ""),
            expires_in_days=data.get("expires_in_days"),
            expires_at=data.get("expires_at"),
            max_downloads=data.get("max_downloads"),
        )
        made.link.url = share_url(request, made.token)  # type: ignore[attr-defined]
        return Response(s.NewShareLinkSerializer(made.link).data, status=status.HTTP_201_CREATED)


class ShareLinkDetailView(ProjectScoped, APIView):
    """Revoke a share link: it stops working at once and stays listed, marked revoked."""

    @extend_schema(parameters=[PROJECT_SLUG, RESOURCE_ID, LINK_ID], responses={204: None})
    def delete(self, request: Request, project_slug: str, resource_id: int, link_id: int):
        sharing.share_link_revoke(resource=self.resource(), link_id=link_id, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class UploadLinkListView(ProjectScoped, generics.GenericAPIView):
    """The project's upload links with their counts (owners); make a new one."""

    serializer_class = s.UploadLinkSerializer
    queryset = UploadLink.objects.none()

    @extend_schema(parameters=[PROJECT_SLUG], responses=s.UploadLinkSerializer(many=True))
    def get(self, request: Request, project_slug: str) -> Response:
        links = upload_links.upload_links_of(project=self.project, user=request.user)
        page = self.paginate_queryset(links)
        return self.get_paginated_response(s.UploadLinkSerializer(page, many=True).data)

    @extend_schema(
        parameters=[PROJECT_SLUG],
        request=s.UploadLinkCreateSerializer,
        responses={201: s.NewUploadLinkSerializer},
    )
    def post(self, request: Request, project_slug: str) -> Response:
        project = self.project
        serializer = s.UploadLinkCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        made = upload_links.upload_link_create(
            project=project,
            actor=request.user,
            label=data["label"],
            password=data.get("password", ""),
            expires_in_days=data.get("expires_in_days"),
            expires_at=data.get("expires_at"),
            max_files=data.get("max_files"),
        )
        made.link.url = upload_url(request, made.token)  # type: ignore[attr-defined]
        return Response(s.NewUploadLinkSerializer(made.link).data, status=status.HTTP_201_CREATED)


class UploadLinkDetailView(ProjectScoped, APIView):
    """Revoke an upload link (owners)."""

    @extend_schema(parameters=[PROJECT_SLUG, LINK_ID], responses={204: None})
    def delete(self, request: Request, project_slug: str, link_id: int) -> Response:
        upload_links.upload_link_revoke(project=self.project, link_id=link_id, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
