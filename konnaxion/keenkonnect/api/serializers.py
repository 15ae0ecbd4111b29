from rest_framework import serializers

from konnaxion.core.api.fields import UsernameField
from konnaxion.ekoh.models import ExpertiseCategory
from konnaxion.keenkonnect.models import (
    Project,
    ProjectMessage,
    ProjectRating,
    ProjectTask,
    ProjectTeam,
)

TagNames = serializers.ListField(
    child=serializers.CharField(max_length=64), required=False, max_length=50
)


class ProjectSerializer(serializers.ModelSerializer):
    creator = serializers.CharField(source="creator.username", read_only=True)
    category = serializers.PrimaryKeyRelatedField(
        queryset=ExpertiseCategory.objects.all(), required=False, allow_null=True
    )
    tags = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)

    class Meta:
        model = Project
        fields = (
            "id",
            "slug",
            "title",
            "description",
            "creator",
            "category",
            "status",
            "visibility",
            "links_allowed",
            "two_factor_required",
            "tags",
            "created_at",
            "updated_at",
        )
        read_only_fields = ("slug", "created_at", "updated_at")


class ProjectWriteSerializer(serializers.ModelSerializer):
    category = serializers.PrimaryKeyRelatedField(
        queryset=ExpertiseCategory.objects.all(), required=False, allow_null=True
    )
    tags = serializers.ListField(
        child=serializers.CharField(max_length=64), required=False, max_length=50
    )

    class Meta:
        model = Project
        fields = (
            "title",
            "description",
            "category",
            "status",
            "visibility",
            "links_allowed",
            "two_factor_required",
            "tags",
        )


class ProjectTeamSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username", read_only=True)
    name = serializers.CharField(source="user.name", read_only=True)

    class Meta:
        model = ProjectTeam
        fields = ("username", "name", "role", "joined_at")


class ProjectMemberAddSerializer(serializers.Serializer):
    username = UsernameField()
    role = serializers.ChoiceField(
        choices=ProjectTeam.Role.choices, default=ProjectTeam.Role.COLLABORATOR
    )


class ProjectMemberRoleSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=ProjectTeam.Role.choices)


class ProjectTaskSerializer(serializers.ModelSerializer):
    assignee = UsernameField(required=False, allow_null=True)
    created_by = serializers.CharField(source="created_by.username", read_only=True, default=None)

    class Meta:
        model = ProjectTask
        fields = (
            "id",
            "title",
            "description",
            "status",
            "assignee",
            "due_date",
            "created_by",
            "created_at",
            "updated_at",
        )
        read_only_fields = ("created_at", "updated_at")


class ProjectMessageSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.username", read_only=True, default=None)

    class Meta:
        model = ProjectMessage
        fields = ("id", "author", "content", "created_at", "updated_at")
        read_only_fields = ("created_at", "updated_at")


class ProjectRatingSerializer(serializers.ModelSerializer):
    user = serializers.CharField(source="user.username", read_only=True)
    value = serializers.IntegerField(min_value=1, max_value=5)

    class Meta:
        model = ProjectRating
        fields = ("id", "user", "value", "review", "created_at", "updated_at")
        read_only_fields = ("created_at", "updated_at")
