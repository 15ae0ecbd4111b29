"""Kontact API: /api/profiles/ and /api/connect/ (thin adapters over the Kontact services)."""

import mimetypes

from django.conf import settings
from django.http import HttpResponse
from django.utils.http import content_disposition_header
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, parsers, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from konnaxion.core.api.parsers import JSONParser
from konnaxion.core.errors import NotFound, PermissionDenied, ValidationFailed
from konnaxion.core.streaming import SyncStreamingResponse
from konnaxion.ekoh.models import UserExpertiseScore
from konnaxion.ekoh.services.confidentiality import level_of
from konnaxion.files.file_policy import CONTENT_TYPES
from konnaxion.files.incoming import FileTooLarge
from konnaxion.files.services import blob_read
from konnaxion.files.upload_handler import (
    MULTIPART_OVERHEAD_BYTES,
    IncomingFileUploadHandler,
    StreamedUploadsMixin,
)
from konnaxion.keenkonnect.models import Project
from konnaxion.kreative import filters, selectors
from konnaxion.kreative.api import kontact_serializers as s
from konnaxion.kreative.api.kontact_filters import opportunity_filters_apply, query_params_check
from konnaxion.kreative.api.stored_files import stored_file_response
from konnaxion.kreative.models import (
    Block,
    CollabSession,
    Endorsement,
    Follow,
    Opportunity,
    OpportunityApplication,
)
from konnaxion.kreative.services import (
    opportunity_announcement,
    partner_recommendation,
    professional_profile,
)
from konnaxion.kreative.services.attachments import ATTACHMENT_EXTENSIONS, attachment_max_bytes
from konnaxion.users.models import User

USERNAME = r"[\w.@+-]+"
UPLOAD_PARSERS = (JSONParser, parsers.MultiPartParser)


def _user_named(username: str, *, viewer) -> User:
    """A user who exists for the viewer (`user_get_visible`). Raises NotFound."""
    return selectors.user_get_visible(viewer=viewer, username=username)


PROFILE_FILTERS = [
    OpenApiParameter("q", str, description="Full text over name, headline, bio, skills, styles"),
    OpenApiParameter("skills", str, description="Comma-separated skill names (all required)"),
    OpenApiParameter("styles", str, description="Comma-separated style names (all required)"),
    OpenApiParameter("region", str),
    OpenApiParameter("role", str, enum=["creator", "diffuser"]),
    OpenApiParameter("open", str, enum=["1", "0"], description="Open to collaboration only"),
]


class ProfileViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Professional profiles: read by whoever their visibility allows, changed by their owner."""

    lookup_field = "username"
    lookup_value_regex = USERNAME
    permission_classes = (permissions.IsAuthenticatedOrReadOnly,)
    parser_classes = UPLOAD_PARSERS
    serializer_class = s.ProfileListSerializer

    def get_queryset(self):
        return selectors.profiles_visible_to(user=self.request.user)

    @extend_schema(parameters=PROFILE_FILTERS)
    def list(self, request: Request) -> Response:
        query_params_check(request)
        queryset = filters.profiles_matching(user=request.user, params=request.query_params)
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(s.ProfileListSerializer(page, many=True).data)

    @extend_schema(responses=s.ProfileDetailSerializer)
    def retrieve(self, request: Request, username: str | None = None) -> Response:
        return Response(self._render(username))

    @extend_schema(request=s.ProfileUpdateSerializer, responses=s.ProfileDetailSerializer)
    def partial_update(self, request: Request, username: str | None = None) -> Response:
        if username != request.user.username:
            selectors.profile_get_visible(user=request.user, username=username)
            raise PermissionDenied("Only the owner changes a profile.")
        serializer = s.ProfileUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        professional_profile.profile_update(user=request.user, **serializer.validated_data)
        return Response(self._render(username))

    @extend_schema(responses=s.EndorsementSerializer(many=True))
    @action(detail=True, methods=["get"])
    def endorsements(self, request: Request, username: str | None = None) -> Response:
        profile = selectors.profile_get_visible(user=request.user, username=username)
        queryset = selectors.endorsements_about(subject=profile.user, viewer=request.user)
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(s.EndorsementSerializer(page, many=True).data)

    @extend_schema(responses={(200, "image/webp"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def avatar(self, request: Request, username: str | None = None) -> HttpResponse:
        """The profile's picture, for whoever may see the profile (ETag, `private, no-cache`)."""
        profile = selectors.profile_get_visible(user=request.user, username=username)
        if profile.avatar_id is None:
            raise NotFound("This profile has no picture.")
        content_type = profile.avatar.content_type  # WebP, as the profile service stores it
        return stored_file_response(
            blob=profile.avatar,
            content_type=content_type,
            file_name=f"avatar{mimetypes.guess_extension(content_type) or ''}",
            version=profile.updated_at.isoformat(),
            if_none_match=request.headers.get("If-None-Match"),
        )

    def _render(self, username: str) -> dict:
        user = self.request.user
        if user.is_authenticated and username == user.username:
            professional_profile.profile_get_or_create(user=user)
        profile = selectors.profile_get_visible(user=user, username=username)
        owner = profile.user
        shows_scores = owner.pk == user.pk or level_of(owner) == "public"
        expertise = None
        if shows_scores:
            expertise = [
                {
                    "category": score.category.name,
                    "code": score.category.code,
                    "weighted_score": score.weighted_score,
                }
                for score in UserExpertiseScore.objects.filter(user=owner)
                .select_related("category")
                .order_by("-weighted_score")
            ]
        context = {
            "request": self.request,
            "portfolio": selectors.portfolio_of(profile=profile, viewer=user),
            "portfolio_projects": selectors.portfolio_projects_of(profile=profile),
            "expertise": expertise,
            "reviews": selectors.endorsement_summary(subject=owner, viewer=user),
        }
        return s.ProfileDetailSerializer(profile, context=context).data


class FollowViewSet(mixins.ListModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet):
    """Whom one follows (`?direction=followers` for who follows one); follow and unfollow."""

    serializer_class = s.FollowSerializer
    lookup_field = "username"
    lookup_value_regex = USERNAME

    queryset = Follow.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        direction = self.request.query_params.get("direction", "following")
        if direction not in ("following", "followers"):
            raise ValidationFailed(details={"fields": {"direction": "following or followers"}})
        return selectors.follows_of(user=self.request.user, direction=direction)

    @extend_schema(parameters=[OpenApiParameter("direction", str, enum=["following", "followers"])])
    def list(self, request: Request) -> Response:
        return super().list(request)

    @extend_schema(request=s.UsernameSerializer, responses={201: s.FollowSerializer})
    def create(self, request: Request) -> Response:
        serializer = s.UsernameSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        followee = _user_named(serializer.validated_data["username"], viewer=request.user)
        follow = professional_profile.follow_create(follower=request.user, followee=followee)
        return Response(s.FollowSerializer(follow).data, status=status.HTTP_201_CREATED)

    def destroy(self, request: Request, username: str | None = None) -> Response:
        followee = _user_named(username, viewer=request.user)
        professional_profile.follow_delete(follower=request.user, followee=followee)
        return Response(status=status.HTTP_204_NO_CONTENT)


class BlockViewSet(mixins.ListModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet):
    """The users one blocked; block (both then stop seeing each other) and unblock."""

    serializer_class = s.BlockSerializer
    lookup_field = "username"
    lookup_value_regex = USERNAME

    queryset = Block.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return selectors.blocks_of(user=self.request.user)

    @extend_schema(request=s.UsernameSerializer, responses={201: s.BlockSerializer})
    def create(self, request: Request) -> Response:
        serializer = s.UsernameSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        blocked = selectors.user_get_blockable(
            viewer=request.user, username=serializer.validated_data["username"]
        )
        block = professional_profile.block_create(blocker=request.user, blocked=blocked)
        return Response(s.BlockSerializer(block).data, status=status.HTTP_201_CREATED)

    def destroy(self, request: Request, username: str | None = None) -> Response:
        blocked = selectors.user_get_blockable(viewer=request.user, username=username)
        professional_profile.block_delete(blocker=request.user, blocked=blocked)
        return Response(status=status.HTTP_204_NO_CONTENT)


class AttachmentUploadHandler(IncomingFileUploadHandler):
    """Each attachment is capped on its own; the request may carry several."""

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None) -> None:
        total = self.max_bytes * settings.OPPORTUNITY_MAX_ATTACHMENTS + MULTIPART_OVERHEAD_BYTES
        if content_length and content_length > total:
            raise FileTooLarge(details={"max_bytes": self.max_bytes})


OPPORTUNITY_FILTERS = [
    OpenApiParameter("q", str),
    OpenApiParameter("type", str, enum=Opportunity.Type.values),
    OpenApiParameter("tags", str, description="Comma-separated tag names (all required)"),
    OpenApiParameter("region", str),
    OpenApiParameter("remote", str, enum=["1", "0"]),
    OpenApiParameter("deadline_after", OpenApiTypes.DATETIME),
    OpenApiParameter("deadline_before", OpenApiTypes.DATETIME),
    OpenApiParameter("starts_before", OpenApiTypes.DATE),
    OpenApiParameter("ends_after", OpenApiTypes.DATE),
    OpenApiParameter("status", str, enum=Opportunity.Status.values),
    OpenApiParameter("no_entry_fee", str, enum=["1", "0"]),
    OpenApiParameter("saved", str, enum=["1", "0"]),
    OpenApiParameter(
        "ordering", str, enum=["deadline", "-deadline", "starts_on", "-starts_on", "-created_at"]
    ),
]


class OpportunityViewSet(
    StreamedUploadsMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """The Opportunities board: anyone reads; members post; posters close, fill, edit, delete."""

    serializer_class = s.OpportunitySerializer
    permission_classes = (permissions.IsAuthenticatedOrReadOnly,)
    parser_classes = UPLOAD_PARSERS
    lookup_value_regex = r"\d+"
    queryset = Opportunity.objects.none()

    def upload_handlers_for(self, request) -> list:
        return [AttachmentUploadHandler(request, max_bytes=attachment_max_bytes())]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return selectors.opportunities_visible_to(user=self.request.user)

    @extend_schema(parameters=OPPORTUNITY_FILTERS)
    def list(self, request: Request) -> Response:
        query_params_check(request)
        queryset = selectors.opportunities_search(
            user=request.user, query=request.query_params.get("q", "")[:200]
        )
        queryset = opportunity_filters_apply(queryset, request=request)
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        request={
            "application/json": s.OpportunityCreateSerializer,
            "multipart/form-data": s.OpportunityCreateSerializer,
        },
        responses={201: s.OpportunitySerializer},
    )
    def create(self, request: Request) -> Response:
        uploads = list(request.FILES.getlist("attachments"))
        strays = [
            f for key in request.FILES if key != "attachments" for f in request.FILES.getlist(key)
        ]
        for stray in strays:
            stray.discard()
        try:
            serializer = s.OpportunityCreateSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
        except BaseException:
            for upload in uploads:
                upload.discard()
            raise
        data = {k: v for k, v in serializer.validated_data.items() if k != "attachments"}
        opportunity = opportunity_announcement.opportunity_create(
            posted_by=request.user, attachments=uploads, **data
        )
        return Response(self._render(opportunity.pk), status=status.HTTP_201_CREATED)

    @extend_schema(request=s.OpportunityUpdateSerializer, responses=s.OpportunitySerializer)
    def partial_update(self, request: Request, pk=None) -> Response:
        serializer = s.OpportunityUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        opportunity_announcement.opportunity_update(
            opportunity=self.get_object(), actor=request.user, **serializer.validated_data
        )
        return Response(self._render(pk))

    def destroy(self, request: Request, pk=None) -> Response:
        opportunity_announcement.opportunity_delete(
            opportunity=self.get_object(), actor=request.user
        )
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=None, responses=s.OpportunitySerializer)
    @action(detail=True, methods=["post"], permission_classes=[permissions.IsAuthenticated])
    def close(self, request: Request, pk=None) -> Response:
        opportunity_announcement.opportunity_close(
            opportunity=self.get_object(), actor=request.user
        )
        return Response(self._render(pk))

    @extend_schema(request=None, responses=s.OpportunitySerializer)
    @action(detail=True, methods=["post"], permission_classes=[permissions.IsAuthenticated])
    def fill(self, request: Request, pk=None) -> Response:
        opportunity_announcement.opportunity_fill(opportunity=self.get_object(), actor=request.user)
        return Response(self._render(pk))

    @extend_schema(request=None, responses={200: s.OpportunitySerializer, 204: None})
    @action(
        detail=True, methods=["post", "delete"], permission_classes=[permissions.IsAuthenticated]
    )
    def save(self, request: Request, pk=None) -> Response:
        opportunity = self.get_object()
        if request.method == "DELETE":
            opportunity_announcement.opportunity_unsave(opportunity=opportunity, user=request.user)
            return Response(status=status.HTTP_204_NO_CONTENT)
        opportunity_announcement.opportunity_save(opportunity=opportunity, user=request.user)
        return Response(self._render(pk))

    @extend_schema(
        # Served as the attachment's own (verified) type.
        responses={
            (200, CONTENT_TYPES[extension]): OpenApiTypes.BINARY
            for extension in ATTACHMENT_EXTENSIONS
        }
    )
    @action(detail=True, methods=["get"], url_path=r"attachments/(?P<attachment_id>\d+)")
    def attachment(self, request: Request, pk=None, attachment_id=None):
        attachment = (
            self.get_object().attachments.filter(pk=attachment_id).select_related("blob").first()
        )
        if attachment is None:
            raise NotFound("No such attachment.")
        response = SyncStreamingResponse(
            blob_read(blob=attachment.blob), content_type=attachment.content_type
        )
        response["Content-Length"] = str(attachment.size)
        response["Content-Disposition"] = content_disposition_header(True, attachment.name)
        response["X-Content-Type-Options"] = "nosniff"
        return response

    def _render(self, pk) -> dict:
        opportunity = selectors.opportunities_visible_to(user=self.request.user).get(pk=pk)
        return s.OpportunitySerializer(opportunity, context={"request": self.request}).data


class EndorsementViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Endorsements after a shared engagement: written, edited until published, replied to once."""

    serializer_class = s.EndorsementSerializer
    lookup_value_regex = r"\d+"
    queryset = Endorsement.objects.none()

    def get_object(self) -> Endorsement:
        try:
            pk = int(self.kwargs["pk"])
        except ValueError as error:
            raise NotFound("No such endorsement.") from error
        return selectors.endorsement_get_for(user=self.request.user, pk=pk)

    @extend_schema(request=s.EndorsementCreateSerializer, responses={201: s.EndorsementSerializer})
    def create(self, request: Request) -> Response:
        serializer = s.EndorsementCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        subject = _user_named(data.pop("subject"), viewer=request.user)
        session = project = application = None
        if "session" in data:
            session = CollabSession.objects.filter(pk=data.pop("session")).first()
            if session is None:
                raise partner_recommendation.NotEligible()
        elif "application" in data:
            application = (
                OpportunityApplication.objects.filter(pk=data.pop("application"))
                .select_related("opportunity")
                .first()
            )
            if application is None:
                raise partner_recommendation.NotEligible()
        else:
            project = Project.objects.filter(slug=data.pop("project")).first()
            if project is None:
                raise partner_recommendation.NotEligible()
        endorsement = partner_recommendation.endorsement_create(
            author=request.user,
            subject=subject,
            session=session,
            project=project,
            application=application,
            **data,
        )
        return Response(self._render(endorsement.pk), status=status.HTTP_201_CREATED)

    @extend_schema(request=s.EndorsementUpdateSerializer, responses=s.EndorsementSerializer)
    def partial_update(self, request: Request, pk=None) -> Response:
        serializer = s.EndorsementUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        partner_recommendation.endorsement_update(
            endorsement=self.get_object(), actor=request.user, **serializer.validated_data
        )
        return Response(self._render(pk))

    @extend_schema(request=s.EndorsementReplySerializer, responses=s.EndorsementSerializer)
    @action(detail=True, methods=["post"])
    def reply(self, request: Request, pk=None) -> Response:
        serializer = s.EndorsementReplySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        partner_recommendation.endorsement_reply(
            endorsement=self.get_object(), actor=request.user, **serializer.validated_data
        )
        return Response(self._render(pk))

    def _render(self, pk) -> dict:
        endorsement = selectors.endorsement_get_for(user=self.request.user, pk=int(pk))
        return s.EndorsementSerializer(endorsement).data
