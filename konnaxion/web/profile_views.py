"""The /profile/<username> page: Portfolio (artworks with tags), Reviews (endorsements, rating
summary, replies, writing one) and, for its owner, Edit.

Profiles someone may not see (hidden, members-only for visitors, across a block) are a 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from konnaxion.core.errors import ApplicationError, NotFound
from konnaxion.keenkonnect.models import Project
from konnaxion.kreative import selectors
from konnaxion.kreative.models import (
    CollabSession,
    Follow,
    KreativeArtwork,
    OpportunityApplication,
    ProfessionalProfile,
)
from konnaxion.kreative.services import partner_recommendation, professional_profile
from konnaxion.web.connect_forms import EndorsementForm, ProfileForm, ReplyForm, TagFilterForm
from konnaxion.web.page_tools import refusal_on_form

PROFILE_TABS = ("portfolio", "reviews", "edit")


def _profile_error(refusal: ApplicationError) -> str:
    known = {
        "file_too_large": _("The image is too large."),
        "image_too_large": _("The image has too many pixels."),
        "unsupported_media_type": _("The avatar must be a PNG, JPEG or WebP image."),
        "not_eligible": _("You can endorse only someone you worked with."),
        "already_endorsed": _("You have already endorsed this person for this engagement."),
        "window_closed": _("The time to endorse this engagement is over."),
        "already_replied": _("You have already replied."),
    }
    return known.get(refusal.code, _("This could not be done. Please check the form."))


def _visible_profile(request: HttpRequest, username: str) -> ProfessionalProfile:
    """The profile if the visitor may see it (one's own is created on first visit); else 404."""
    if request.user.is_authenticated and request.user.get_username() == username:
        professional_profile.profile_get_or_create(user=request.user)
    try:
        return selectors.profile_get_visible(user=request.user, username=username)
    except NotFound as missing:
        raise Http404(missing.message) from missing


def _portfolio(
    profile: ProfessionalProfile, tag: str, *, viewer
) -> tuple[list[KreativeArtwork], list]:
    """The artworks shown (pinned first, then the owner's order; all of the artist's artworks
    while no portfolio is arranged) and every tag among them, for the filter."""
    entries = list(
        selectors.portfolio_of(profile=profile, viewer=viewer).order_by("-pinned", "order")
    )
    if entries:
        artworks = [entry.artwork for entry in entries]
        for entry in entries:
            entry.artwork.pinned = entry.pinned
    else:
        artworks = list(selectors.artworks_visible_to(user=viewer).filter(artist=profile.user))
    tags = sorted({t.name for artwork in artworks for t in artwork.tags.all()}, key=str.lower)
    if tag:
        wanted = tag.lower()
        artworks = [a for a in artworks if any(t.name.lower() == wanted for t in a.tags.all())]
    return artworks, tags


def _engagement_choices(request: HttpRequest, profile: ProfessionalProfile) -> list:
    shared = selectors.engagements_to_endorse(author=request.user, subject=profile.user)
    return [
        *(
            (f"session:{s.pk}", _("Session: %(name)s") % {"name": s.name})
            for s in shared["sessions"]
        ),
        *(
            (f"project:{p.slug}", _("Project: %(title)s") % {"title": p.title})
            for p in shared["projects"]
        ),
        *(
            (f"application:{a.pk}", _("Application: %(title)s") % {"title": a.opportunity.title})
            for a in shared["applications"]
        ),
    ]


def _endorsement_form(request, profile, data=None) -> EndorsementForm | None:
    choices = _engagement_choices(request, profile)
    if not choices:
        return None
    skills = [tag.name for tag in profile.skills.all()]
    return EndorsementForm(data, engagements=choices, skills=skills, auto_id="endorse_%s")


def _profile_page(
    request: HttpRequest,
    profile: ProfessionalProfile,
    *,
    tab: str | None = None,
    status: int = 200,
    **extra: object,
) -> HttpResponse:
    is_owner = request.user.is_authenticated and profile.user_id == request.user.pk
    tab = tab or request.GET.get("tab")
    tab = tab if tab in PROFILE_TABS and (tab != "edit" or is_owner) else "portfolio"
    context = {
        "profile": profile,
        "person": profile.user,
        "tab": tab,
        "is_owner": is_owner,
        "following": request.user.is_authenticated
        and Follow.objects.filter(follower=request.user, followee=profile.user).exists(),
        "projects": selectors.portfolio_projects_of(profile=profile),
    }
    if tab == "portfolio":
        tag_form = TagFilterForm(request.GET)
        tag = tag_form.cleaned_data["tag"] if tag_form.is_valid() else ""
        artworks, tags = _portfolio(profile, tag, viewer=request.user)
        context |= {"artworks": artworks, "tags": tags, "tag": tag}
    elif tab == "reviews":
        context |= {
            "endorsements": selectors.endorsements_about(subject=profile.user, viewer=request.user),
            "summary": selectors.endorsement_summary(subject=profile.user, viewer=request.user),
            "endorsement_form": extra.pop("endorsement_form", None)
            or _endorsement_form(request, profile),
            "reply_form": ReplyForm(),
        }
    else:
        context["form"] = extra.pop("form", None) or ProfileForm.for_profile(profile)
    context |= extra
    return render(request, "web/profile/profile.html", context, status=status)


@require_GET
def profile(request: HttpRequest, username: str) -> HttpResponse:
    return _profile_page(request, _visible_profile(request, username))


@require_POST
def profile_update(request: HttpRequest, username: str) -> HttpResponse:
    """The owner saves every field of their profile (and optionally a new avatar)."""
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("web:profile", args=[username]))
    if request.user.get_username() != username:
        raise Http404(_("No such profile."))
    form = ProfileForm(request.POST, request.FILES)
    if form.is_valid():
        fields = dict(form.cleaned_data)
        if not fields["avatar"]:
            fields.pop("avatar")
        try:
            professional_profile.profile_update(user=request.user, **fields)
        except ApplicationError as refusal:
            refusal_on_form(refusal, form, _profile_error(refusal), otherwise="avatar")
        else:
            messages.success(request, _("Your profile is saved."))
            return redirect("web:profile", username=username)
    profile = _visible_profile(request, username)
    return _profile_page(request, profile, tab="edit", status=400, form=form)


def _engagement_of(value: str) -> dict:
    kind, _sep, key = value.partition(":")
    if kind == "session" and key.isdigit():
        return {"session": CollabSession.objects.filter(pk=int(key)).first()}
    if kind == "application" and key.isdigit():
        return {"application": OpportunityApplication.objects.filter(pk=int(key)).first()}
    return {"project": Project.objects.filter(slug=key).first()}


@require_POST
def endorsement_create(request: HttpRequest, username: str) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(f"{reverse('web:profile', args=[username])}?tab=reviews")
    profile = _visible_profile(request, username)
    form = _endorsement_form(request, profile, request.POST)
    if form is None:
        raise Http404(_("There is nothing you may endorse this person for."))
    if form.is_valid():
        data = form.cleaned_data
        try:
            partner_recommendation.endorsement_create(
                author=request.user,
                subject=profile.user,
                rating=data["rating"],
                skills=data["skills"],
                comment=data["comment"],
                **_engagement_of(data["engagement"]),
            )
        except ApplicationError as refusal:
            form.add_error(None, _profile_error(refusal))
        else:
            messages.success(
                request,
                _("Thank you. Your endorsement is published once %(name)s endorses you back.")
                % {"name": username},
            )
            return redirect(f"{reverse('web:profile', args=[username])}?tab=reviews")
    return _profile_page(request, profile, tab="reviews", status=400, endorsement_form=form)


@require_POST
def endorsement_reply(request: HttpRequest, username: str, pk: int) -> HttpResponse:
    """The subject's one reply to a published endorsement about them."""
    if not request.user.is_authenticated:
        return redirect_to_login(f"{reverse('web:profile', args=[username])}?tab=reviews")
    profile = _visible_profile(request, username)
    endorsement = (
        selectors.endorsements_about(subject=profile.user, viewer=request.user)
        .filter(Q(pk=pk) & Q(published_at__isnull=False))
        .first()
    )
    if endorsement is None or profile.user_id != request.user.pk:
        raise Http404(_("No such endorsement."))
    form = ReplyForm(request.POST)
    if form.is_valid():
        try:
            partner_recommendation.endorsement_reply(
                endorsement=endorsement, actor=request.user, reply=form.cleaned_data["reply"]
            )
        except ApplicationError as refusal:
            messages.error(request, _profile_error(refusal))
        else:
            messages.success(request, _("Your reply is published."))
    else:
        messages.error(request, _("Write a reply first."))
    return redirect(f"{reverse('web:profile', args=[username])}?tab=reviews")
