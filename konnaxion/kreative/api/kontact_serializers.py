"""Kontact API shapes: profiles, follows, blocks, opportunities, endorsements."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from konnaxion.kreative.api.stored_files import artwork_media_url, avatar_url
from konnaxion.kreative.models import (
    Block,
    Endorsement,
    Follow,
    Opportunity,
    OpportunityAttachment,
    PortfolioArtwork,
    PortfolioProject,
    ProfessionalProfile,
)


def tag_names() -> serializers.ListField:
    return serializers.ListField(
        child=serializers.CharField(max_length=64), max_length=50, required=False
    )


class LinkSerializer(serializers.Serializer):
    label = serializers.CharField(max_length=60)
    url = serializers.CharField(max_length=500)


class ProfileListSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username", read_only=True)
    skills = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)
    styles = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)
    avatar = serializers.SerializerMethodField()

    class Meta:
        model = ProfessionalProfile
        fields = (
            "username",
            "display_name",
            "headline",
            "role",
            "skills",
            "styles",
            "region",
            "city",
            "avatar",
            "open_to_collaboration",
        )

    def get_avatar(self, profile: ProfessionalProfile) -> str | None:
        """The picture's address (the view applies the profile's visibility), null without one."""
        return avatar_url(profile.user.username) if profile.avatar_id else None


class PortfolioArtworkSerializer(serializers.ModelSerializer):
    artwork = serializers.IntegerField(source="artwork_id")
    title = serializers.CharField(source="artwork.title")
    media_type = serializers.CharField(source="artwork.media_type")
    media_url = serializers.SerializerMethodField()
    tags = serializers.SlugRelatedField(
        source="artwork.tags", slug_field="name", many=True, read_only=True
    )

    class Meta:
        model = PortfolioArtwork
        fields = ("artwork", "title", "media_type", "media_url", "tags", "order", "pinned")

    def get_media_url(self, entry: PortfolioArtwork) -> str:
        return artwork_media_url(entry.artwork_id)


class PortfolioProjectSerializer(serializers.ModelSerializer):
    slug = serializers.CharField(source="project.slug")
    title = serializers.CharField(source="project.title")
    status = serializers.CharField(source="project.status")

    class Meta:
        model = PortfolioProject
        fields = ("slug", "title", "status")


class ExpertiseSerializer(serializers.Serializer):
    category = serializers.CharField()
    code = serializers.CharField()
    weighted_score = serializers.DecimalField(max_digits=8, decimal_places=3)


class SkillCountSerializer(serializers.Serializer):
    name = serializers.CharField()
    count = serializers.IntegerField()


class ReviewsSummarySerializer(serializers.Serializer):
    count = serializers.IntegerField()
    average_rating = serializers.FloatField(allow_null=True)
    top_skills = SkillCountSerializer(many=True)


class ProfileDetailSerializer(ProfileListSerializer):
    links = LinkSerializer(many=True, read_only=True)
    languages = serializers.ListField(child=serializers.CharField(), read_only=True)
    followers_count = serializers.IntegerField(read_only=True)
    following_count = serializers.IntegerField(read_only=True)
    portfolio = serializers.SerializerMethodField()
    portfolio_projects = serializers.SerializerMethodField()
    expertise = serializers.SerializerMethodField()
    reviews = serializers.SerializerMethodField()

    class Meta(ProfileListSerializer.Meta):
        fields = (
            *ProfileListSerializer.Meta.fields,
            "bio",
            "languages",
            "links",
            "visibility",
            "discoverable",
            "followers_count",
            "following_count",
            "portfolio",
            "portfolio_projects",
            "expertise",
            "reviews",
            "updated_at",
        )

    @extend_schema_field(PortfolioArtworkSerializer(many=True))
    def get_portfolio(self, profile):
        return PortfolioArtworkSerializer(
            self.context["portfolio"], many=True, context=self.context
        ).data

    @extend_schema_field(PortfolioProjectSerializer(many=True))
    def get_portfolio_projects(self, profile):
        return PortfolioProjectSerializer(self.context["portfolio_projects"], many=True).data

    @extend_schema_field(ExpertiseSerializer(many=True, allow_null=True))
    def get_expertise(self, profile):
        expertise = self.context["expertise"]
        return None if expertise is None else ExpertiseSerializer(expertise, many=True).data

    @extend_schema_field(ReviewsSummarySerializer)
    def get_reviews(self, profile):
        return ReviewsSummarySerializer(self.context["reviews"]).data


class PortfolioEntrySerializer(serializers.Serializer):
    artwork = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    pinned = serializers.BooleanField(default=False)


class ProfileUpdateSerializer(serializers.Serializer):
    display_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    headline = serializers.CharField(max_length=200, required=False, allow_blank=True)
    bio = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    role = serializers.ChoiceField(choices=ProfessionalProfile.Role.choices, required=False)
    skills = tag_names()
    styles = tag_names()
    region = serializers.CharField(max_length=120, required=False, allow_blank=True)
    city = serializers.CharField(max_length=120, required=False, allow_blank=True)
    languages = serializers.ListField(
        child=serializers.CharField(max_length=16), max_length=12, required=False
    )
    links = LinkSerializer(many=True, required=False, max_length=10)
    avatar = serializers.FileField(required=False, max_length=200)
    open_to_collaboration = serializers.BooleanField(required=False)
    visibility = serializers.ChoiceField(
        choices=ProfessionalProfile.Visibility.choices, required=False
    )
    discoverable = serializers.BooleanField(required=False)
    portfolio = PortfolioEntrySerializer(many=True, required=False, max_length=100)
    portfolio_projects = serializers.ListField(
        child=serializers.SlugField(max_length=220), max_length=100, required=False
    )


class UsernameSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)


class FollowSerializer(serializers.ModelSerializer):
    follower = serializers.CharField(source="follower.username")
    followee = serializers.CharField(source="followee.username")

    class Meta:
        model = Follow
        fields = ("follower", "followee", "created_at")


class BlockSerializer(serializers.ModelSerializer):
    blocked = serializers.CharField(source="blocked.username")

    class Meta:
        model = Block
        fields = ("blocked", "created_at")


class AttachmentSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = OpportunityAttachment
        fields = ("id", "name", "content_type", "size", "url")

    def get_url(self, attachment: OpportunityAttachment) -> str:
        """The download, through the view that checks who may see the opportunity."""
        return reverse(
            "kontact-opportunity-attachment", args=[attachment.opportunity_id, attachment.pk]
        )


class OpportunitySerializer(serializers.ModelSerializer):
    posted_by = serializers.CharField(source="posted_by.username", read_only=True)
    tags = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)
    attachments = AttachmentSerializer(many=True, read_only=True)
    saved = serializers.BooleanField(read_only=True, default=False)

    class Meta:
        model = Opportunity
        fields = (
            "id",
            "type",
            "title",
            "description",
            "organisation",
            "region",
            "city",
            "country",
            "remote",
            "starts_on",
            "ends_on",
            "deadline",
            "eligibility_scope",
            "eligibility",
            "entry_fee",
            "compensation",
            "currency",
            "apply_url",
            "apply_instructions",
            "accepts_applications",
            "eligible_regions",
            "eligible_roles",
            "requires_open_to_collaboration",
            "tags",
            "attachments",
            "status",
            "posted_by",
            "saved",
            "created_at",
            "updated_at",
        )


class OpportunityUpdateSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=Opportunity.Type.choices, required=False)
    title = serializers.CharField(max_length=200, required=False)
    description = serializers.CharField(max_length=20000, required=False)
    organisation = serializers.CharField(max_length=200, required=False, allow_blank=True)
    region = serializers.CharField(max_length=120, required=False, allow_blank=True)
    city = serializers.CharField(max_length=120, required=False, allow_blank=True)
    country = serializers.CharField(max_length=120, required=False, allow_blank=True)
    remote = serializers.BooleanField(required=False)
    starts_on = serializers.DateField(required=False, allow_null=True)
    ends_on = serializers.DateField(required=False, allow_null=True)
    deadline = serializers.DateTimeField(required=False, allow_null=True)
    eligibility_scope = serializers.ChoiceField(
        choices=Opportunity.EligibilityScope.choices, required=False
    )
    eligibility = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    entry_fee = serializers.DecimalField(
        max_digits=10, decimal_places=2, min_value=0, required=False
    )
    compensation = serializers.DecimalField(
        max_digits=12, decimal_places=2, min_value=0, required=False, allow_null=True
    )
    currency = serializers.CharField(max_length=3, required=False, allow_blank=True)
    apply_url = serializers.URLField(max_length=500, required=False, allow_blank=True)
    apply_instructions = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    accepts_applications = serializers.BooleanField(required=False)
    eligible_regions = serializers.ListField(
        child=serializers.CharField(max_length=120), max_length=50, required=False
    )
    eligible_roles = serializers.ListField(
        child=serializers.CharField(max_length=64), max_length=50, required=False
    )
    requires_open_to_collaboration = serializers.BooleanField(required=False)
    tags = tag_names()


class OpportunityCreateSerializer(OpportunityUpdateSerializer):
    type = serializers.ChoiceField(choices=Opportunity.Type.choices)
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=20000)
    attachments = serializers.ListField(
        child=serializers.FileField(), required=False, max_length=20, write_only=True
    )


class EndorsementSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.username")
    subject = serializers.CharField(source="subject.username")
    session = serializers.IntegerField(source="session_id", allow_null=True)
    project = serializers.CharField(source="project.slug", allow_null=True, default=None)
    application = serializers.IntegerField(source="application_id", allow_null=True)
    skills = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)
    published = serializers.SerializerMethodField()

    class Meta:
        model = Endorsement
        fields = (
            "id",
            "author",
            "subject",
            "session",
            "project",
            "application",
            "engagement_ended_at",
            "rating",
            "skills",
            "comment",
            "published",
            "published_at",
            "reply",
            "replied_at",
            "created_at",
        )

    def get_published(self, endorsement) -> bool:
        return endorsement.published_at is not None


class EndorsementCreateSerializer(serializers.Serializer):
    subject = serializers.CharField(max_length=150)
    session = serializers.IntegerField(required=False, min_value=1, max_value=2**31 - 1)
    project = serializers.SlugField(required=False, max_length=220)
    application = serializers.IntegerField(required=False, min_value=1, max_value=2**31 - 1)
    rating = serializers.IntegerField(min_value=1, max_value=5)
    skills = tag_names()
    comment = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")

    def validate(self, attrs):
        named = [key for key in ("session", "project", "application") if key in attrs]
        if len(named) != 1:
            raise serializers.ValidationError(
                "Name one engagement: a session, a project or an application."
            )
        return attrs


class EndorsementUpdateSerializer(serializers.Serializer):
    rating = serializers.IntegerField(min_value=1, max_value=5, required=False)
    skills = tag_names()
    comment = serializers.CharField(max_length=5000, required=False, allow_blank=True)


class EndorsementReplySerializer(serializers.Serializer):
    reply = serializers.CharField(max_length=5000)
