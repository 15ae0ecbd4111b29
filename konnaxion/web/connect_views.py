"""The /connect page: People (search, follow; its suggestions panel is `suggestion_views`) and
Opportunities (search, post, edit, close, fill, save). The Workspace tab is a block of the
template, filled by the rooms pages.

Thin adapters: forms validate, Kreative's selectors read (the API's own, with its filters), its
services write, and their errors come back as form errors.
"""

from __future__ import annotations

from types import SimpleNamespace

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from konnaxion.core.errors import ApplicationError, NotFound
from konnaxion.kreative import application_selectors as application_reads
from konnaxion.kreative import selectors
from konnaxion.kreative.api.kontact_filters import opportunity_filters_apply
from konnaxion.kreative.api.kontact_views import AttachmentUploadHandler
from konnaxion.kreative.models import Follow, Opportunity
from konnaxion.kreative.services import opportunity_announcement as opportunities
from konnaxion.kreative.services import professional_profile
from konnaxion.kreative.services.attachments import attachment_max_bytes
from konnaxion.web.account_notices import email_unverified_message
from konnaxion.web.connect_forms import OpportunityForm, OpportunitySearchForm, PeopleSearchForm
from konnaxion.web.page_tools import attempt, is_htmx, page_of, refusal_on_form
from konnaxion.web.suggestion_views import suggestions_context
from konnaxion.web.workspace_views import workspace_context

# The htmx event sent after a follow or unfollow from a person's button.
FOLLOWS_CHANGED = "follows-changed"
CONNECT_TABS = ("people", "opportunities", "workspace")


def error_message(error: ApplicationError) -> str:
    """The visitor's-language sentence for a service's refusal."""
    known = {
        "opportunity_not_open": _("This opportunity is no longer open: it cannot change."),
        "opportunity_filled": _("This opportunity is already filled."),
        "file_too_large": _("A file is too large."),
        "file_type_not_allowed": _("Attachments are PDF, PNG or JPG files."),
        "unsupported_media_type": _("Attachments are PDF, PNG or JPG files."),
        "file_content_mismatch": _("Attachments are PDF, PNG or JPG files."),
        "follow_self": _("You cannot follow yourself."),
        "permission_denied": _("Only the poster may do this."),
        "too_many_open_opportunities": _(
            "You already have as many open opportunities as allowed: close one first."
        ),
    }
    if error.code == "email_unverified":
        return email_unverified_message()
    return known.get(error.code, _("This could not be done. Please check the form."))


def _fields_to_form(refusal: ApplicationError, form) -> None:
    """Put a service's refusal on the form fields it names (else on the whole form)."""
    field_messages = {
        "apply_url": _("Say how to apply: an https address or instructions."),
        "currency": _("Give a currency code (EUR, USD...) with an amount."),
        "deadline": _("The deadline has already passed."),
        "ends_on": _("The end comes before the start."),
    }
    refusal_on_form(refusal, form, error_message(refusal), field_messages=field_messages)


def _followed_ids(user) -> set[int]:
    if not user.is_authenticated:
        return set()
    return set(Follow.objects.filter(follower=user).values_list("followee_id", flat=True))


# /connect -------------------------------------------------------------------------------


@require_GET
def connect(request: HttpRequest) -> HttpResponse:
    """The tabs of /connect (`?tab=people|opportunities|workspace`)."""
    tab = request.GET.get("tab")
    tab = tab if tab in CONNECT_TABS else "people"
    context: dict = {"tab": tab}
    if tab == "people":
        context |= _people_context(request)
    elif tab == "opportunities":
        context |= _opportunities_context(request)
        if request.GET.get("post") and request.user.is_authenticated:
            context["form"] = OpportunityForm()
    elif tab == "workspace":
        context |= workspace_context(request)
        return render(request, "web/connect/workspace.html", context)
    return render(request, "web/connect/connect.html", context)


def _people_context(request: HttpRequest) -> dict:
    search = PeopleSearchForm(request.GET)
    criteria = search.cleaned_data if search.is_valid() else {}
    found = selectors.profiles_search(
        user=request.user,
        query=criteria.get("q") or "",
        skills=criteria.get("skills") or [],
        styles=criteria.get("styles") or [],
        region=criteria.get("region") or "",
        role=criteria.get("role") or "",
        open_only=bool(criteria.get("open")),
    )
    return {
        "search": search,
        "page": page_of(request, found),
        "followed": _followed_ids(request.user),
    } | suggestions_context(request)


def _opportunity_query(criteria: dict) -> QueryDict:
    """The API's query string for the form's criteria, so one filter code serves both."""
    query = QueryDict(mutable=True)
    for name in ("type", "region", "remote", "status", "ordering"):
        if criteria.get(name):
            query[name] = criteria[name]
    if criteria.get("tags"):
        query["tags"] = ",".join(criteria["tags"])
    if criteria.get("deadline_before"):
        query["deadline_before"] = f"{criteria['deadline_before'].isoformat()}T23:59:59"
    for flag in ("no_entry_fee", "saved"):
        if criteria.get(flag):
            query[flag] = "1"
    return query


def _opportunities_context(request: HttpRequest) -> dict:
    search = OpportunitySearchForm(request.GET)
    criteria = search.cleaned_data if search.is_valid() else {}
    found = selectors.opportunities_search(user=request.user, query=criteria.get("q") or "")
    api_request = SimpleNamespace(query_params=_opportunity_query(criteria), user=request.user)
    found = opportunity_filters_apply(found, request=api_request)
    return {"search": search, "page": page_of(request, found)}


# Follow and unfollow ----------------------------------------------------------------------


def _back(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return fallback


@require_POST
def follow(request: HttpRequest, username: str) -> HttpResponse:
    """Follow (`action=follow`) or unfollow (`action=unfollow`) `username`."""
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("web:connect"))
    try:
        other = selectors.user_get_visible(viewer=request.user, username=username)
    except NotFound as missing:
        raise Http404(_("No such person.")) from missing
    error = ""
    if request.POST.get("action") == "unfollow":
        professional_profile.follow_delete(follower=request.user, followee=other)
        notice = _("You no longer follow %(name)s.") % {"name": username}
    else:
        try:
            professional_profile.follow_create(follower=request.user, followee=other)
        except ApplicationError as refusal:
            error = error_message(refusal)
        notice = "" if error else _("You follow %(name)s.") % {"name": username}
    if is_htmx(request):
        context = {
            "person": other,
            "following": Follow.objects.filter(follower=request.user, followee=other).exists(),
            "notice": notice,
            "error": error,
        }
        response = render(request, "web/connect/_follow.html", context)
        if not error:
            # The suggestions panel, when on the page, renders itself again (it listens).
            response["HX-Trigger"] = FOLLOWS_CHANGED
        return response
    (messages.error if error else messages.success)(request, error or notice)
    return redirect(_back(request, reverse("web:profile", args=[username])))


# Opportunities ----------------------------------------------------------------------------


def _visible_opportunity(request: HttpRequest, pk: int) -> Opportunity:
    opportunity = selectors.opportunities_visible_to(user=request.user).filter(pk=pk).first()
    if opportunity is None:
        raise Http404(_("No such opportunity."))
    return opportunity


def _opportunity_page(
    request: HttpRequest, opportunity: Opportunity, *, status: int = 200, **extra: object
) -> HttpResponse:
    may_change = request.user.is_authenticated and (
        opportunity.posted_by_id == request.user.pk or request.user.is_staff
    )
    context = {
        "tab": "opportunities",
        "opportunity": opportunity,
        "may_change": may_change,
        "edit_form": (
            OpportunityForm.for_opportunity(opportunity)
            if may_change and opportunity.status == Opportunity.Status.OPEN
            else None
        ),
        "review_role": application_reads.opportunity_role_of(
            user=request.user, opportunity=opportunity
        ),
        "my_application": application_reads.applications_of(user=request.user)
        .filter(opportunity=opportunity)
        .first(),
        **extra,
    }
    return render(request, "web/connect/connect.html", context, status=status)


@require_GET
def opportunity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _opportunity_page(request, _visible_opportunity(request, pk))


def _discard(uploads) -> None:
    for upload in uploads:
        upload.discard()


@csrf_exempt
@require_POST
def opportunity_create(request: HttpRequest) -> HttpResponse:
    """Post an opportunity with its attachments, streamed to disk by the upload handler.

    CSRF is checked right after: the handler must be in place before the body is read."""
    if not request.user.is_authenticated:
        return redirect_to_login(f"{reverse('web:connect')}?tab=opportunities&post=1")
    request.upload_handlers = [AttachmentUploadHandler(request, max_bytes=attachment_max_bytes())]
    try:
        uploads = [f for f in request.FILES.getlist("attachments") if f.size]
    except ApplicationError as refusal:
        form = OpportunityForm()
        form.add_error(None, error_message(refusal))
        return _create_page(request, form, status=refusal.status)
    return csrf_protect(_opportunity_create)(request, uploads)


def _create_page(request: HttpRequest, form: OpportunityForm, *, status: int) -> HttpResponse:
    context = {"tab": "opportunities", "form": form} | _opportunities_context(request)
    return render(request, "web/connect/connect.html", context, status=status)


def _opportunity_create(request: HttpRequest, uploads: list) -> HttpResponse:
    form = OpportunityForm(request.POST)
    if not form.is_valid():
        _discard(uploads)
        return _create_page(request, form, status=400)
    try:
        opportunity = opportunities.opportunity_create(
            posted_by=request.user, attachments=uploads, **form.cleaned_data
        )
    except ApplicationError as refusal:
        _fields_to_form(refusal, form)
        return _create_page(request, form, status=refusal.status)
    messages.success(request, _("Opportunity “%(title)s” posted.") % {"title": opportunity})
    return redirect("web:opportunity", pk=opportunity.pk)


def _poster_request(request: HttpRequest, pk: int) -> Opportunity | HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("web:opportunity", args=[pk]))
    return _visible_opportunity(request, pk)


@require_POST
def opportunity_update(request: HttpRequest, pk: int) -> HttpResponse:
    opportunity = _poster_request(request, pk)
    if isinstance(opportunity, HttpResponse):
        return opportunity
    form = OpportunityForm(request.POST, auto_id="edit_%s")
    if form.is_valid():
        refusal = attempt(
            lambda: opportunities.opportunity_update(
                opportunity=opportunity, actor=request.user, **form.cleaned_data
            )
        )
        if not isinstance(refusal, ApplicationError):
            messages.success(request, _("The opportunity is saved."))
            return redirect("web:opportunity", pk=pk)
        _fields_to_form(refusal, form)
    opportunity = _visible_opportunity(request, pk)
    return _opportunity_page(request, opportunity, status=400, edit_form=form, editing=True)


@require_POST
def opportunity_status(request: HttpRequest, pk: int, change: str) -> HttpResponse:
    """Close or fill (`change`) one's own opportunity."""
    opportunity = _poster_request(request, pk)
    if isinstance(opportunity, HttpResponse):
        return opportunity
    service = {"close": opportunities.opportunity_close, "fill": opportunities.opportunity_fill}
    if change not in service:
        raise Http404(_("No such change."))
    refusal = attempt(lambda: service[change](opportunity=opportunity, actor=request.user))
    if isinstance(refusal, ApplicationError):
        messages.error(request, error_message(refusal))
    else:
        notice = _("The opportunity is closed.") if change == "close" else _("Marked as filled.")
        messages.success(request, notice)
    return redirect("web:opportunity", pk=pk)


@require_http_methods(["POST"])
def opportunity_save(request: HttpRequest, pk: int) -> HttpResponse:
    """Save (`action=save`) or unsave (`action=unsave`) an opportunity; htmx gets the button."""
    opportunity = _poster_request(request, pk)
    if isinstance(opportunity, HttpResponse):
        return opportunity
    if request.POST.get("action") == "unsave":
        opportunities.opportunity_unsave(opportunity=opportunity, user=request.user)
        notice = _("Removed from your saved opportunities.")
    else:
        opportunities.opportunity_save(opportunity=opportunity, user=request.user)
        notice = _("Saved. Find it with the “Saved by me” filter.")
    if is_htmx(request):
        opportunity = _visible_opportunity(request, pk)
        return render(
            request, "web/connect/_save.html", {"opportunity": opportunity, "notice": notice}
        )
    messages.success(request, notice)
    return redirect(_back(request, reverse("web:opportunity", args=[pk])))
