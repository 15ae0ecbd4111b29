"""Application pages under /connect: apply (a draft until submitted), one's applications, one
application (its applicant, the poster and the jurors each see their part), and the review
board of an opportunity (jury, rounds, results, CSV). Plain forms, no script needed.

Thin adapters: the application selectors read (everyone else gets the 404 page), the
application and review services write, their refusals come back as form errors or messages.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from konnaxion.core.errors import ApplicationError, NotFound
from konnaxion.kreative import application_selectors as reads
from konnaxion.kreative import selectors
from konnaxion.kreative.api.kontact_views import AttachmentUploadHandler
from konnaxion.kreative.models import Opportunity, OpportunityApplication
from konnaxion.kreative.services import opportunity_applications as applying
from konnaxion.kreative.services import opportunity_review as review
from konnaxion.kreative.services.attachments import attachment_max_bytes, uploads_discard
from konnaxion.web.application_forms import (
    ApplicationForm,
    FeeForm,
    JurorForm,
    QuestionForm,
    RoundForm,
    ScoreForm,
)
from konnaxion.web.connect_views import error_message
from konnaxion.web.page_tools import page_of

Status = OpportunityApplication.Status


def application_error(refusal: ApplicationError) -> str:
    """The visitor's-language sentence for a refusal of the application services."""
    if refusal.code == "not_eligible":
        rule = refusal.details.get("rule")
        return {
            "region": _("Your profile's region is not among those this call is open to."),
            "role": _("Your profile has none of the roles or skills this call asks for."),
            "open_to_collaboration": _(
                "This call is for people open to collaboration (see your profile)."
            ),
            "poster": _("You cannot apply to your own opportunity."),
        }.get(rule, _("You may not apply to this opportunity."))
    known = {
        "applications_closed": _("This opportunity takes no applications now."),
        "already_applied": _("You have already applied to this opportunity."),
        "answers_missing": _("Answer every required question first."),
        "not_a_draft": _("A submitted application no longer changes."),
        "not_withdrawable": _("This application can no longer be withdrawn."),
        "questions_locked": _("Applications were submitted: the questions no longer change."),
        "nothing_to_review": _("No submitted or shortlisted application to review."),
        "not_shortlistable": _("This application cannot be shortlisted."),
        "not_decidable": _("No decision can be made on this application."),
        "already_decided": _("A decision was made: scores no longer change."),
        "juror_is_poster": _("You review your applications already."),
        "juror_applied": _("An applicant cannot judge the same call."),
        "invalid": _("This could not be done. Please check the form."),
    }
    return known.get(refusal.code) or error_message(refusal)


def _application(request: HttpRequest, pk: int) -> OpportunityApplication:
    try:
        return reads.application_get_for(user=request.user, pk=pk)
    except NotFound as missing:
        raise Http404(_("No such application.")) from missing


def _opportunity(request: HttpRequest, pk: int) -> Opportunity:
    opportunity = selectors.opportunities_visible_to(user=request.user).filter(pk=pk).first()
    if opportunity is None:
        raise Http404(_("No such opportunity."))
    return opportunity


def _reviewed(request: HttpRequest, pk: int) -> tuple[Opportunity, str]:
    try:
        return reads.opportunity_get_reviewed_by(user=request.user, pk=pk)
    except NotFound as missing:
        raise Http404(_("No such opportunity.")) from missing


def _act(request: HttpRequest, call: Callable[[], object], done: str) -> bool:
    """Run a service; a message says how it went. A permission refusal is the 403 page."""
    try:
        call()
    except ApplicationError as refusal:
        if refusal.status == 404:
            raise Http404(refusal.message) from refusal
        messages.error(request, application_error(refusal))
        return False
    messages.success(request, done)
    return True


# One's applications ---------------------------------------------------------------------


@require_GET
@login_required
def my_applications(request: HttpRequest) -> HttpResponse:
    page = page_of(request, reads.applications_of(user=request.user))
    reviewing = reads.opportunities_with_applications_of(user=request.user)
    context = {"tab": "opportunities", "page": page, "reviewing": reviewing}
    return render(request, "web/connect/applications/list.html", context)


# Applying ---------------------------------------------------------------------------------


def _application_form(request, opportunity, data=None, files=None) -> ApplicationForm:
    artworks = selectors.artworks_listed().filter(artist=request.user).order_by("title", "id")
    return ApplicationForm(
        data,
        files,
        artworks=artworks,
        questions=reads.questions_of(opportunity=opportunity),
    )


def _file_answers(form: ApplicationForm) -> dict[int, object]:
    return {
        question.pk: form.cleaned_data[f"question_{question.pk}"]
        for question in form.questions
        if question.kind == "file" and form.cleaned_data.get(f"question_{question.pk}")
    }


def _uploads(request: HttpRequest) -> list | ApplicationError:
    request.upload_handlers = [AttachmentUploadHandler(request, max_bytes=attachment_max_bytes())]
    try:
        return [f for key in request.FILES for f in request.FILES.getlist(key) if f.size]
    except ApplicationError as refusal:
        return refusal


@csrf_exempt
@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest, pk: int) -> HttpResponse:
    """The form of a new application; POST saves it as a draft (files streamed to disk by the
    upload handler, CSRF checked right after it is in place)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    opportunity = _opportunity(request, pk)
    own = OpportunityApplication.objects.filter(opportunity=opportunity, applicant=request.user)
    if own.exists():
        return redirect("web:application", pk=own.get().pk)
    if request.method == "GET":
        return csrf_protect(_apply_page)(
            request, opportunity, _application_form(request, opportunity)
        )
    uploads = _uploads(request)
    return csrf_protect(_apply_post)(request, opportunity, uploads)


def _apply_page(request, opportunity, form, *, status: int = 200) -> HttpResponse:
    context = {"tab": "opportunities", "opportunity": opportunity, "form": form}
    return render(request, "web/connect/applications/apply.html", context, status=status)


def _apply_post(request, opportunity, uploads) -> HttpResponse:
    form = _application_form(request, opportunity, request.POST, request.FILES)
    if isinstance(uploads, ApplicationError):
        form.add_error(None, application_error(uploads))
        return _apply_page(request, opportunity, form, status=uploads.status)
    if not form.is_valid():
        uploads_discard(uploads)
        return _apply_page(request, opportunity, form, status=400)
    file_answers = _file_answers(form)
    extra = [upload for upload in uploads if upload not in file_answers.values()]
    try:
        application = applying.application_create(
            opportunity=opportunity,
            applicant=request.user,
            statement=form.cleaned_data["statement"],
            artworks=form.chosen_artworks(),
            answers=form.text_answers(),
            attachments=extra,
        )
        _answer_files(application, request.user, file_answers)
    except ApplicationError as refusal:
        uploads_discard(uploads)
        form.add_error(None, application_error(refusal))
        return _apply_page(request, opportunity, form, status=refusal.status)
    messages.success(request, _("Your draft is saved. Submit it before the deadline."))
    return redirect("web:application", pk=application.pk)


def _answer_files(application, actor, file_answers: dict) -> None:
    for question_id, upload in file_answers.items():
        applying.application_update(application=application, actor=actor, attachments=[upload])
        stored = application.attachments.order_by("-id").first()
        applying.application_update(
            application=application, actor=actor, answers={question_id: str(stored.pk)}
        )


# One application --------------------------------------------------------------------------


def _application_page(
    request: HttpRequest, application: OpportunityApplication, *, status: int = 200, **extra
) -> HttpResponse:
    user = request.user
    opportunity = application.opportunity
    role = (
        "applicant"
        if application.applicant_id == user.pk
        else reads.opportunity_role_of(user=user, opportunity=opportunity)
    )
    round_ = reads.round_current(opportunity=opportunity)
    in_round = round_ is not None and application.review_rounds.filter(pk=round_.pk).exists()
    scores = (
        reads.scores_of(application=application, round_=round_, viewer=user)
        if round_ is not None and role in ("poster", "juror")
        else []
    )
    context = {
        "tab": "opportunities",
        "application": application,
        "opportunity": opportunity,
        "role": role,
        "hidden": reads.identity_hidden(application=application, viewer=user),
        "round": round_ if in_round else None,
        "scores": scores,
    }
    if role == "applicant" and application.status == Status.DRAFT:
        context["form"] = extra.pop("form", None) or _draft_form(request, application)
    if role == "poster":
        context["fee_form"] = FeeForm(initial={"fee_status": application.fee_status})
        if in_round:
            context["summary"] = review.score_summaries(round_=round_, applications=[application])[
                application.pk
            ]
    if (
        role == "juror"
        and in_round
        and application.status not in (Status.ACCEPTED, Status.DECLINED)
    ):
        context["score_form"] = extra.pop("score_form", None) or _score_form(
            application, round_, user
        )
    context |= extra
    return render(request, "web/connect/applications/detail.html", context, status=status)


def _draft_form(request, application) -> ApplicationForm:
    form = _application_form(request, application.opportunity)
    form.initial["statement"] = application.statement
    for entry in application.artworks.all():
        form.initial[f"artwork_{entry.artwork_id}"] = entry.order + 1
    for answer in application.answers.all():
        if answer.question.kind != "file":
            form.initial[f"question_{answer.question_id}"] = answer.text
    return form


def _score_form(application, round_, user, data=None) -> ScoreForm:
    form = ScoreForm(data, criteria=round_.criteria.all())
    if data is None:
        for score in reads.scores_of(application=application, round_=round_, viewer=user):
            if score.juror_id == user.pk:
                form.initial[f"score_{score.criterion_id}"] = str(score.value)
                form.initial[f"comment_{score.criterion_id}"] = score.comment
    return form


@require_GET
@login_required
def application(request: HttpRequest, pk: int) -> HttpResponse:
    return _application_page(request, _application(request, pk))


@csrf_exempt
@require_POST
def application_update(request: HttpRequest, pk: int) -> HttpResponse:
    """Save one's draft (and its new files)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    uploads = _uploads(request)
    return csrf_protect(_application_update)(request, pk, uploads)


def _application_update(request, pk, uploads) -> HttpResponse:
    application = _application(request, pk)
    form = _application_form(request, application.opportunity, request.POST, request.FILES)
    if isinstance(uploads, ApplicationError):
        form.add_error(None, application_error(uploads))
        return _application_page(request, application, status=uploads.status, form=form)
    if not form.is_valid():
        uploads_discard(uploads)
        return _application_page(request, application, status=400, form=form)
    file_answers = _file_answers(form)
    extra = [upload for upload in uploads if upload not in file_answers.values()]
    try:
        applying.application_update(
            application=application,
            actor=request.user,
            statement=form.cleaned_data["statement"],
            artworks=form.chosen_artworks(),
            answers=form.text_answers(),
            attachments=extra,
        )
        _answer_files(application, request.user, file_answers)
    except ApplicationError as refusal:
        uploads_discard(uploads)
        if refusal.status == 404:
            raise Http404(refusal.message) from refusal
        form.add_error(None, application_error(refusal))
        return _application_page(request, application, status=refusal.status, form=form)
    messages.success(request, _("Your draft is saved."))
    return redirect("web:application", pk=pk)


@require_POST
@login_required
def application_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """submit, withdraw, delete (the applicant); shortlist, accept, decline, fee (the poster);
    remove an attachment of one's draft."""
    application = _application(request, pk)
    actor = request.user
    steps: dict[str, tuple[Callable[[], object], str]] = {
        "submit": (
            lambda: applying.application_submit(application=application, actor=actor),
            _("Your application is submitted."),
        ),
        "withdraw": (
            lambda: applying.application_withdraw(application=application, actor=actor),
            _("Your application is withdrawn."),
        ),
        "shortlist": (
            lambda: review.application_shortlist(application=application, actor=actor),
            _("Shortlisted."),
        ),
        "accept": (
            lambda: review.application_decide(
                application=application, actor=actor, decision=Status.ACCEPTED
            ),
            _("Accepted: the applicant is told."),
        ),
        "decline": (
            lambda: review.application_decide(
                application=application, actor=actor, decision=Status.DECLINED
            ),
            _("Declined: the applicant is told."),
        ),
        "fee": (
            lambda: applying.application_fee_set(
                application=application,
                actor=actor,
                fee_status=request.POST.get("fee_status", ""),
            ),
            _("The entry fee is recorded."),
        ),
        "remove-file": (
            lambda: applying.application_attachment_delete(
                application=application,
                actor=actor,
                attachment_id=int(request.POST.get("attachment", "0") or 0)
                if request.POST.get("attachment", "").isdigit()
                else 0,
            ),
            _("The file is removed."),
        ),
    }
    if step == "delete":
        if _act(
            request,
            lambda: applying.application_delete(application=application, actor=actor),
            _("Your draft is deleted."),
        ):
            return redirect("web:my_applications")
        return redirect("web:application", pk=pk)
    if step not in steps:
        raise Http404(_("No such change."))
    call, done = steps[step]
    _act(request, call, done)
    return redirect("web:application", pk=pk)


@require_POST
@login_required
def application_score(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    round_ = reads.round_current(opportunity=application.opportunity)
    if round_ is None:
        raise Http404(_("No such application."))
    form = _score_form(application, round_, request.user, request.POST)
    if not form.is_valid():
        return _application_page(request, application, status=400, score_form=form)
    if _act(
        request,
        lambda: review.scores_set(
            application=application, juror=request.user, scores=form.scores()
        ),
        _("Your scores are saved."),
    ):
        return redirect("web:opportunity_review", pk=application.opportunity_id)
    return redirect("web:application", pk=pk)


# The review board -------------------------------------------------------------------------


def _review_page(request, opportunity, role, *, status: int = 200, **extra) -> HttpResponse:
    applications = list(reads.applications_reviewed(user=request.user, opportunity=opportunity))
    round_ = reads.round_current(opportunity=opportunity)
    summaries = (
        review.score_summaries(round_=round_, applications=applications)
        if round_ is not None and role == "poster"
        else {}
    )
    cards = [
        {
            "application": application,
            "hidden": reads.identity_hidden(application=application, viewer=request.user),
            "summary": summaries.get(application.pk),
        }
        for application in applications
    ]
    context = {
        "tab": "opportunities",
        "opportunity": opportunity,
        "role": role,
        "cards": cards,
        "rounds": reads.rounds_of(opportunity=opportunity),
        "round": round_,
    }
    if role == "poster":
        context |= {
            "jurors": reads.jurors_of(opportunity=opportunity),
            "questions": reads.questions_of(opportunity=opportunity),
            "juror_form": extra.pop("juror_form", None) or JurorForm(auto_id="juror_%s"),
            "round_form": extra.pop("round_form", None) or RoundForm(auto_id="round_%s"),
            "question_form": extra.pop("question_form", None)
            or QuestionForm(auto_id="question_%s"),
        }
    context |= extra
    return render(request, "web/connect/applications/review.html", context, status=status)


@require_GET
@login_required
def opportunity_review(request: HttpRequest, pk: int) -> HttpResponse:
    opportunity, role = _reviewed(request, pk)
    return _review_page(request, opportunity, role)


@require_POST
@login_required
def opportunity_review_change(request: HttpRequest, pk: int, change: str) -> HttpResponse:
    """The poster's changes: juror (invite, remove), round, question (add, remove)."""
    opportunity, role = _reviewed(request, pk)
    if role != "poster":
        raise Http404(_("No such opportunity."))
    actor = request.user
    if change == "juror":
        form = JurorForm(request.POST, auto_id="juror_%s")
        if not form.is_valid():
            return _review_page(request, opportunity, role, status=400, juror_form=form)
        try:
            person = selectors.user_get_visible(
                viewer=actor, username=form.cleaned_data["username"]
            )
        except NotFound:
            form.add_error("username", _("No such person."))
            return _review_page(request, opportunity, role, status=400, juror_form=form)
        _act(
            request,
            lambda: review.juror_invite(opportunity=opportunity, actor=actor, user=person),
            _("%(name)s is on the jury.") % {"name": person.username},
        )
    elif change == "juror-remove":
        seat = reads.jurors_of(opportunity=opportunity).filter(
            user__username=request.POST.get("username", "")
        )
        juror = seat.first()
        if juror is None:
            raise Http404(_("No such juror."))
        _act(
            request,
            lambda: review.juror_remove(opportunity=opportunity, actor=actor, user=juror.user),
            _("The juror is removed."),
        )
    elif change == "round":
        form = RoundForm(request.POST, auto_id="round_%s")
        if not form.is_valid():
            return _review_page(request, opportunity, role, status=400, round_form=form)
        _act(
            request,
            lambda: review.round_create(
                opportunity=opportunity,
                actor=actor,
                name=form.cleaned_data["name"],
                blind=form.cleaned_data["blind"],
                criteria=form.criteria(),
            ),
            _("The round is open: jurors may score."),
        )
    elif change in ("question", "question-remove"):
        return _question_change(request, opportunity, role, change)
    else:
        raise Http404(_("No such change."))
    return redirect("web:opportunity_review", pk=pk)


def _question_change(request, opportunity, role, change) -> HttpResponse:
    current = [
        {"label": q.label, "kind": q.kind, "options": q.options, "required": q.required, "pk": q.pk}
        for q in reads.questions_of(opportunity=opportunity)
    ]
    if change == "question":
        form = QuestionForm(request.POST, auto_id="question_%s")
        if not form.is_valid():
            return _review_page(request, opportunity, role, status=400, question_form=form)
        current.append(form.cleaned_data)
    else:
        current = [q for q in current if str(q["pk"]) != request.POST.get("question")]
    _act(
        request,
        lambda: applying.opportunity_questions_set(
            opportunity=opportunity, actor=request.user, questions=current
        ),
        _("The questions are saved."),
    )
    return redirect("web:opportunity_review", pk=opportunity.pk)
