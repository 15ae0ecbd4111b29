"""Applications API: /api/connect/opportunities/<id>/applications|questions|jurors|rounds/ and
/api/connect/applications/<id>/ (thin adapters over opportunity_applications and
opportunity_review). Anyone without access to an application or a review hears 404."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from konnaxion.core.errors import NotFound, PermissionDenied
from konnaxion.core.streaming import SyncStreamingResponse
from konnaxion.files.services import blob_read
from konnaxion.files.upload_handler import StreamedUploadsMixin
from konnaxion.kreative import application_selectors as reads
from konnaxion.kreative import selectors
from konnaxion.kreative.api import application_serializers as s
from konnaxion.kreative.api.kontact_views import UPLOAD_PARSERS, AttachmentUploadHandler
from konnaxion.kreative.api.stored_files import stored_file_response
from konnaxion.kreative.models import Opportunity, OpportunityApplication, ReviewScore
from konnaxion.kreative.services import opportunity_applications as applying
from konnaxion.kreative.services import opportunity_review as review
from konnaxion.kreative.services.attachments import attachment_max_bytes

CSV_TYPE = "text/csv; charset=utf-8"


def _id(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError) as error:
        raise NotFound() from error


def _reviewed(request: Request, pk) -> tuple[Opportunity, str]:
    return reads.opportunity_get_reviewed_by(user=request.user, pk=_id(pk))


def _posted(request: Request, pk) -> Opportunity:
    """An opportunity the caller posted: 404 for outsiders, 403 for its jurors."""
    opportunity, role = _reviewed(request, pk)
    if role != "poster":
        raise PermissionDenied("Only the poster may do this.")
    return opportunity


class OpportunityReviewViewSet(StreamedUploadsMixin, viewsets.GenericViewSet):
    """One opportunity's applications, questions, jury and rounds."""

    permission_classes = (permissions.IsAuthenticated,)
    parser_classes = UPLOAD_PARSERS
    serializer_class = s.ReviewedApplicationSerializer
    queryset = OpportunityApplication.objects.none()

    @extend_schema(
        parameters=[OpenApiParameter("round", int, description="One round's applications")],
        responses=s.ReviewedApplicationSerializer(many=True),
    )
    def applications(self, request: Request, pk=None) -> Response:
        """The poster: every submitted application with its results in the current round; a
        juror: the in-round ones (withdrawn ones never), blind rounds without names."""
        opportunity, role = _reviewed(request, pk)
        number = request.query_params.get("round")
        queryset = reads.applications_reviewed(
            user=request.user,
            opportunity=opportunity,
            round_number=_id(number) if number else None,
        )
        page = self.paginate_queryset(queryset)
        context = {"request": request} | self._results(opportunity, role, page)
        data = s.ReviewedApplicationSerializer(page, many=True, context=context).data
        return self.get_paginated_response(data)

    def _results(self, opportunity: Opportunity, role: str, page) -> dict:
        round_ = reads.round_current(opportunity=opportunity)
        if round_ is None:
            return {}
        if role == "poster":
            return {"summaries": review.score_summaries(round_=round_, applications=page)}
        mine = ReviewScore.objects.filter(
            juror=self.request.user, criterion__round=round_, application__in=page
        ).values_list("application_id", flat=True)
        counts: dict[int, int] = {}
        for application_id in mine:
            counts[application_id] = counts.get(application_id, 0) + 1
        return {"scored_by_me": counts}

    @extend_schema(request=s.ApplicationWriteSerializer, responses={201: s.ApplicationSerializer})
    def apply(self, request: Request, pk=None) -> Response:
        """Start one's draft application (statement, artworks, answers)."""
        opportunity = selectors.opportunities_visible_to(user=request.user).filter(pk=_id(pk))
        found = opportunity.first()
        if found is None:
            raise NotFound("No such opportunity.")
        serializer = s.ApplicationWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        application = applying.application_create(
            opportunity=found, applicant=request.user, **serializer.validated_data
        )
        return Response(_render(request, application.pk), status=status.HTTP_201_CREATED)

    @extend_schema(responses={(200, "text/csv"): OpenApiTypes.STR})
    def scores_csv(self, request: Request, pk=None) -> HttpResponse:
        """The scores one may read, one row per application x juror x criterion."""
        opportunity, _role = _reviewed(request, pk)
        response = HttpResponse(
            review.scores_csv(opportunity=opportunity, viewer=request.user), content_type=CSV_TYPE
        )
        response["Content-Disposition"] = content_disposition_header(
            True, f"scores-{opportunity.pk}.csv"
        )
        return response

    @extend_schema(responses=s.QuestionSerializer(many=True))
    def questions(self, request: Request, pk=None) -> Response:
        """The questions applicants answer, for whoever sees the opportunity."""
        opportunity = selectors.opportunities_visible_to(user=request.user).filter(pk=_id(pk))
        found = opportunity.first()
        if found is None:
            raise NotFound("No such opportunity.")
        page = self.paginate_queryset(reads.questions_of(opportunity=found))
        return self.get_paginated_response(s.QuestionSerializer(page, many=True).data)

    @extend_schema(request=s.QuestionsSetSerializer, responses=s.QuestionSerializer(many=True))
    def questions_set(self, request: Request, pk=None) -> Response:
        """The poster replaces the questions (until an application is submitted)."""
        opportunity = _posted(request, pk)
        serializer = s.QuestionsSetSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        questions = applying.opportunity_questions_set(
            opportunity=opportunity, actor=request.user, **serializer.validated_data
        )
        return Response(s.QuestionSerializer(questions, many=True).data)

    @extend_schema(responses=s.JurorSerializer(many=True))
    def jurors(self, request: Request, pk=None) -> Response:
        opportunity = _posted(request, pk)
        page = self.paginate_queryset(reads.jurors_of(opportunity=opportunity))
        return self.get_paginated_response(s.JurorSerializer(page, many=True).data)

    @extend_schema(request=s.JurorInviteSerializer, responses={201: s.JurorSerializer})
    def juror_invite(self, request: Request, pk=None) -> Response:
        opportunity = _posted(request, pk)
        serializer = s.JurorInviteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = selectors.user_get_visible(
            viewer=request.user, username=serializer.validated_data["username"]
        )
        juror = review.juror_invite(opportunity=opportunity, actor=request.user, user=user)
        return Response(s.JurorSerializer(juror).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={204: None})
    def juror_remove(self, request: Request, pk=None, username: str = "") -> Response:
        opportunity = _posted(request, pk)
        juror = reads.jurors_of(opportunity=opportunity).filter(user__username=username).first()
        if juror is None:
            raise NotFound("No such juror.")
        review.juror_remove(opportunity=opportunity, actor=request.user, user=juror.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(responses=s.RoundSerializer(many=True))
    def rounds(self, request: Request, pk=None) -> Response:
        opportunity, _role = _reviewed(request, pk)
        page = self.paginate_queryset(reads.rounds_of(opportunity=opportunity))
        return self.get_paginated_response(s.RoundSerializer(page, many=True).data)

    @extend_schema(request=s.RoundCreateSerializer, responses={201: s.RoundSerializer})
    def round_create(self, request: Request, pk=None) -> Response:
        """Open the next round: it takes the submitted and the shortlisted applications."""
        opportunity = _posted(request, pk)
        serializer = s.RoundCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        round_ = review.round_create(
            opportunity=opportunity, actor=request.user, **serializer.validated_data
        )
        return Response(s.RoundSerializer(round_).data, status=status.HTTP_201_CREATED)


def _render(request: Request, pk: int) -> dict:
    application = reads.application_get_for(user=request.user, pk=pk)
    return s.ApplicationSerializer(application, context={"request": request}).data


class ApplicationViewSet(StreamedUploadsMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """One's applications (the list), and one application: its applicant edits, submits,
    withdraws; the poster records the fee, shortlists and decides; jurors score."""

    permission_classes = (permissions.IsAuthenticated,)
    parser_classes = UPLOAD_PARSERS
    serializer_class = s.ApplicationListSerializer
    lookup_value_regex = r"\d+"
    queryset = OpportunityApplication.objects.none()

    def upload_handlers_for(self, request) -> list:
        return [AttachmentUploadHandler(request, max_bytes=attachment_max_bytes())]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return reads.applications_of(user=self.request.user)

    def get_object(self) -> OpportunityApplication:
        return reads.application_get_for(user=self.request.user, pk=_id(self.kwargs["pk"]))

    @extend_schema(responses=s.ApplicationSerializer)
    def retrieve(self, request: Request, pk=None) -> Response:
        return Response(_render(request, _id(pk)))

    @extend_schema(request=s.ApplicationWriteSerializer, responses=s.ApplicationSerializer)
    def partial_update(self, request: Request, pk=None) -> Response:
        application = self.get_object()
        serializer = s.ApplicationWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        applying.application_update(
            application=application, actor=request.user, **serializer.validated_data
        )
        return Response(_render(request, _id(pk)))

    def destroy(self, request: Request, pk=None) -> Response:
        applying.application_delete(application=self.get_object(), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=None, responses=s.ApplicationSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk=None) -> Response:
        applying.application_submit(application=self.get_object(), actor=request.user)
        return Response(_render(request, _id(pk)))

    @extend_schema(request=None, responses=s.ApplicationSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk=None) -> Response:
        applying.application_withdraw(application=self.get_object(), actor=request.user)
        return Response(_render(request, _id(pk)))

    @extend_schema(request=s.FeeSerializer, responses=s.ApplicationSerializer)
    @action(detail=True, methods=["post"])
    def fee(self, request: Request, pk=None) -> Response:
        application = self.get_object()
        serializer = s.FeeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        applying.application_fee_set(
            application=application, actor=request.user, **serializer.validated_data
        )
        return Response(_render(request, _id(pk)))

    @extend_schema(request=None, responses=s.ApplicationSerializer)
    @action(detail=True, methods=["post"])
    def shortlist(self, request: Request, pk=None) -> Response:
        review.application_shortlist(application=self.get_object(), actor=request.user)
        return Response(_render(request, _id(pk)))

    @extend_schema(request=s.DecisionSerializer, responses=s.ApplicationSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request: Request, pk=None) -> Response:
        application = self.get_object()
        serializer = s.DecisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        review.application_decide(
            application=application, actor=request.user, **serializer.validated_data
        )
        return Response(_render(request, _id(pk)))

    @extend_schema(methods=["GET"], request=None, responses=s.ScoreSerializer(many=True))
    @extend_schema(
        methods=["PUT"], request=s.ScoresSetSerializer, responses=s.ScoreSerializer(many=True)
    )
    @action(detail=True, methods=["get", "put"])
    def scores(self, request: Request, pk=None) -> Response:
        """The scores of the current round one may read (a juror: their own until they scored
        every criterion); PUT: a juror's scores."""
        application = self.get_object()
        if request.method == "PUT":
            serializer = s.ScoresSetSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            review.scores_set(
                application=application, juror=request.user, **serializer.validated_data
            )
        round_ = reads.round_current(opportunity=application.opportunity)
        scores = (
            reads.scores_of(application=application, round_=round_, viewer=request.user)
            if round_ is not None and request.user.pk != application.applicant_id
            else ReviewScore.objects.none()
        )
        return Response(s.ScoreSerializer(scores, many=True).data)

    @extend_schema(
        request={"multipart/form-data": s.AttachmentUploadSerializer},
        responses={201: s.ApplicationAttachmentSerializer(many=True)},
    )
    @action(detail=True, methods=["post"], url_path="attachments")
    def attachments_add(self, request: Request, pk=None) -> Response:
        """Add PDF, PNG or JPG files to one's draft (`files`, several allowed)."""
        uploads = list(request.FILES.getlist("files"))
        for key in request.FILES:
            if key != "files":
                for stray in request.FILES.getlist(key):
                    stray.discard()
        try:
            application = self.get_object()
        except BaseException:
            for upload in uploads:
                upload.discard()
            raise
        stored = applying.application_update(
            application=application, actor=request.user, attachments=uploads
        )
        attachments = stored.attachments.order_by("-id")[: len(uploads)]
        data = s.ApplicationAttachmentSerializer(reversed(list(attachments)), many=True).data
        return Response(data, status=status.HTTP_201_CREATED)

    @extend_schema(
        methods=["GET"],
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY},
    )
    @extend_schema(methods=["DELETE"], responses={204: None})
    @action(
        detail=True,
        methods=["get", "delete"],
        url_path=r"attachments/(?P<attachment_id>\d+)",
        url_name="attachment",
    )
    def attachment(self, request: Request, pk=None, attachment_id=None):
        application = self.get_object()
        if request.method == "DELETE":
            applying.application_attachment_delete(
                application=application, actor=request.user, attachment_id=_id(attachment_id)
            )
            return Response(status=status.HTTP_204_NO_CONTENT)
        attachment = application.attachments.filter(pk=_id(attachment_id)).first()
        if attachment is None:
            raise NotFound("No such attachment.")
        response = SyncStreamingResponse(
            blob_read(blob=attachment.blob), content_type=attachment.content_type
        )
        response["Content-Length"] = str(attachment.size)
        response["Content-Disposition"] = content_disposition_header(True, attachment.name)
        response["X-Content-Type-Options"] = "nosniff"
        return response

    @extend_schema(responses={(200, "*/*"): OpenApiTypes.BINARY})
    @action(
        detail=True,
        methods=["get"],
        url_path=r"artworks/(?P<artwork_id>\d+)/media",
        url_name="artwork-media",
    )
    def artwork_media(self, request: Request, pk=None, artwork_id=None) -> HttpResponse:
        """An artwork sent with the application, for whoever may see the application; named
        by its id (its file name may carry the artist's)."""
        entry = (
            self.get_object()
            .artworks.filter(artwork_id=_id(artwork_id))
            .select_related("artwork__media")
            .first()
        )
        if entry is None:
            raise NotFound("No such artwork.")
        artwork = entry.artwork
        return stored_file_response(
            blob=artwork.media,
            content_type=artwork.content_type,
            file_name=f"artwork-{artwork.pk}",
            version=artwork.updated_at.isoformat(),
            if_none_match=request.headers.get("If-None-Match"),
        )
