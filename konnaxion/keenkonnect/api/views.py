from functools import cached_property

import django_filters
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from konnaxion.core.errors import NotFound
from konnaxion.keenkonnect import selectors
from konnaxion.keenkonnect.api import serializers as s
from konnaxion.keenkonnect.models import (
    Project,
    ProjectMessage,
    ProjectRating,
    ProjectTask,
    ProjectTeam,
)
from konnaxion.keenkonnect.services import projects, team, workspace
from konnaxion.users.models import User


class ProjectFilter(django_filters.FilterSet):
    tag = django_filters.CharFilter(field_name="tags__name", lookup_expr="iexact")
    creator = django_filters.CharFilter(field_name="creator__username")
    member = django_filters.CharFilter(field_name="team__user__username")
    q = django_filters.CharFilter(field_name="title", lookup_expr="icontains")

    class Meta:
        model = Project
        fields = ("status", "visibility", "category", "tag", "creator", "member", "q")


class ProjectViewSet(viewsets.ModelViewSet):
    """Projects at /projects/<slug>: public ones for all, members-only ones for their team."""

    serializer_class = s.ProjectSerializer
    filterset_class = ProjectFilter
    ordering_fields = ("created_at", "title", "updated_at")
    lookup_field = "slug"
    lookup_value_regex = r"[-\w]+"
    http_method_names = ("get", "post", "patch", "delete", "head", "options")

    def get_queryset(self):
        return selectors.projects_visible_to(user=self.request.user)

    def get_object(self) -> Project:
        # The one decision for one project: an outsider gets 404, a member lacking the second
        # factor the project requires a 403 that says how to fix it.
        project = selectors.project_get_visible(user=self.request.user, slug=self.kwargs["slug"])
        self.check_object_permissions(self.request, project)
        return project

    @extend_schema(request=s.ProjectWriteSerializer, responses={201: s.ProjectSerializer})
    def create(self, request: Request) -> Response:
        serializer = s.ProjectWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        project = projects.project_create(creator=request.user, **serializer.validated_data)
        return Response(self._render(project.slug), status=status.HTTP_201_CREATED)

    @extend_schema(request=s.ProjectWriteSerializer, responses=s.ProjectSerializer)
    def partial_update(self, request: Request, slug=None) -> Response:
        project = self.get_object()  # before validation: an invisible project is only a 404
        serializer = s.ProjectWriteSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        project = projects.project_update(
            project=project, actor=request.user, **serializer.validated_data
        )
        return Response(self._render(project.slug))

    def destroy(self, request: Request, slug=None) -> Response:
        projects.project_delete(project=self.get_object(), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    def _render(self, slug: str) -> dict:
        return s.ProjectSerializer(self.get_queryset().get(slug=slug)).data


class ProjectScopedMixin:
    """Resolves `project_slug` through the visibility selector (404 for invisible projects)."""

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return self.project_queryset()

    def initial(self, request: Request, *args, **kwargs) -> None:
        super().initial(request, *args, **kwargs)
        if not getattr(self, "swagger_fake_view", False):
            # Resolved before any input is validated: whoever may not see the project
            # learns nothing about it, not even which fields its endpoints expect.
            self.project  # noqa: B018

    @cached_property
    def project(self) -> Project:
        return selectors.project_get_visible(
            user=self.request.user, slug=self.kwargs["project_slug"]
        )


PROJECT_SLUG = OpenApiParameter("project_slug", str, OpenApiParameter.PATH)


def project_scoped_schema(*actions: str):
    """Document the `project_slug` path parameter on each of a viewset's `actions`."""
    return extend_schema_view(
        **{action_name: extend_schema(parameters=[PROJECT_SLUG]) for action_name in actions}
    )


@extend_schema_view(
    list=extend_schema(parameters=[PROJECT_SLUG]),
    create=extend_schema(
        parameters=[PROJECT_SLUG],
        request=s.ProjectMemberAddSerializer,
        responses={201: s.ProjectTeamSerializer},
    ),
    destroy=extend_schema(parameters=[PROJECT_SLUG]),
    partial_update=extend_schema(
        parameters=[PROJECT_SLUG],
        request=s.ProjectMemberRoleSerializer,
        responses=s.ProjectTeamSerializer,
    ),
)
class ProjectTeamViewSet(ProjectScopedMixin, viewsets.GenericViewSet, mixins.ListModelMixin):
    """The team: owners add members and set roles; members may leave."""

    serializer_class = s.ProjectTeamSerializer
    queryset = ProjectTeam.objects.none()
    lookup_field = "username"
    lookup_value_regex = r"[\w.@+-]+"
    filterset_fields = ("role",)

    def project_queryset(self):
        return selectors.project_team_of(project=self.project)

    def create(self, request: Request, project_slug=None) -> Response:
        serializer = s.ProjectMemberAddSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        membership = team.project_member_add(
            project=self.project,
            user=serializer.validated_data["username"],
            role=serializer.validated_data["role"],
            actor=request.user,
        )
        return Response(s.ProjectTeamSerializer(membership).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, project_slug=None, username=None) -> Response:
        serializer = s.ProjectMemberRoleSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        membership = team.project_member_role_set(
            project=self.project,
            user=self._member(username),
            role=serializer.validated_data["role"],
            actor=request.user,
        )
        return Response(s.ProjectTeamSerializer(membership).data)

    def destroy(self, request: Request, project_slug=None, username=None) -> Response:
        team.project_member_remove(
            project=self.project, user=self._member(username), actor=request.user
        )
        return Response(status=status.HTTP_204_NO_CONTENT)

    def _member(self, username: str) -> User:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise NotFound("No such user.")
        return user


@project_scoped_schema("list", "create", "retrieve", "partial_update", "destroy")
class ProjectTaskViewSet(ProjectScopedMixin, viewsets.ModelViewSet):
    serializer_class = s.ProjectTaskSerializer
    queryset = ProjectTask.objects.none()
    filterset_fields = ("status",)
    ordering_fields = ("created_at", "due_date")
    http_method_names = ("get", "post", "patch", "delete", "head", "options")

    def project_queryset(self):
        return selectors.project_tasks_of(project=self.project)

    def perform_create(self, serializer) -> None:
        serializer.instance = workspace.project_task_create(
            project=self.project, actor=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer) -> None:
        workspace.project_task_update(
            task=serializer.instance, actor=self.request.user, **serializer.validated_data
        )

    def perform_destroy(self, instance) -> None:
        workspace.project_task_delete(task=instance, actor=self.request.user)


@project_scoped_schema("list", "create", "retrieve", "partial_update", "destroy")
class ProjectMessageViewSet(ProjectScopedMixin, viewsets.ModelViewSet):
    serializer_class = s.ProjectMessageSerializer
    queryset = ProjectMessage.objects.none()
    http_method_names = ("get", "post", "patch", "delete", "head", "options")

    def project_queryset(self):
        return selectors.project_messages_of(project=self.project)

    def perform_create(self, serializer) -> None:
        serializer.instance = workspace.project_message_post(
            project=self.project, actor=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer) -> None:
        workspace.project_message_update(
            message=serializer.instance,
            actor=self.request.user,
            content=serializer.validated_data.get("content", serializer.instance.content),
        )

    def perform_destroy(self, instance) -> None:
        workspace.project_message_delete(message=instance, actor=self.request.user)


@project_scoped_schema("list", "create")
class ProjectRatingViewSet(
    ProjectScopedMixin, mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Ratings of a project; rating again replaces your rating."""

    serializer_class = s.ProjectRatingSerializer
    queryset = ProjectRating.objects.none()
    filterset_fields = ("value",)

    def project_queryset(self):
        return selectors.project_ratings_of(project=self.project)

    def perform_create(self, serializer) -> None:
        serializer.instance = projects.project_rate(
            project=self.project, user=self.request.user, **serializer.validated_data
        )

    @extend_schema(parameters=[PROJECT_SLUG], request=None, responses=s.ProjectRatingSerializer)
    @action(detail=False, methods=["get"])
    def mine(self, request: Request, project_slug=None) -> Response:
        rating = self.get_queryset().filter(user=request.user).first()
        if rating is None:
            raise NotFound("You have not rated this project.")
        return Response(s.ProjectRatingSerializer(rating).data)
