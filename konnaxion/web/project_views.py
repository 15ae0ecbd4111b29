"""The /projects pages: Browse, Create and My Projects, and a project's Overview with its team.

Thin adapters: forms validate, keenKonnect's selectors read (the API's own, so one permission
rule serves both), its services write, and their errors come back as form errors.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from konnaxion.core.errors import ApplicationError, NotFound
from konnaxion.keenkonnect import selectors
from konnaxion.keenkonnect.api.views import ProjectFilter
from konnaxion.keenkonnect.models import Project, ProjectTeam
from konnaxion.keenkonnect.services import projects as project_services
from konnaxion.keenkonnect.services import team as team_services
from konnaxion.users.models import User
from konnaxion.web.account_notices import email_unverified_message
from konnaxion.web.blueprint_views import blueprints_context
from konnaxion.web.link_context import upload_links_context
from konnaxion.web.page_tools import attempt, is_htmx, page_of, refusal_on_form
from konnaxion.web.project_forms import (
    MemberAddForm,
    MemberRoleForm,
    ProjectEditForm,
    ProjectForm,
    ProjectSearchForm,
)

PROJECTS_TABS = ("browse", "create", "mine")
PROJECT_TABS = ("overview", "blueprints")


def error_message(error: ApplicationError) -> str:
    """The visitor's-language sentence for a service's refusal."""
    if error.code == "team_full":
        cap = error.details.get("cap", settings.COLLAB_SPACE_MEMBER_CAP)
        return _("This team is full: a project has at most %(cap)s members.") % {"cap": cap}
    if error.code == "email_unverified":
        return email_unverified_message()
    if error.code == "two_factor_required":
        return _(
            "Set up two-factor authentication for your own account first (Account, Two "
            "factors), then require it of the members."
        )
    known = {
        "already_member": _("This person is already on the team."),
        "last_owner": _("A project keeps at least one owner."),
        "permission_denied": _("Only the project's owners may do this."),
        "not_found": _("No member has this username."),
    }
    return known.get(error.code, _("This could not be done. Please check the form."))


def _visible_project(request: HttpRequest, slug: str) -> Project:
    """The project if the visitor may see it; a 404 page otherwise (outsiders learn nothing)."""
    try:
        return selectors.project_get_visible(user=request.user, slug=slug)
    except NotFound as missing:
        raise Http404(missing.message) from missing


# /projects ------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def projects(request: HttpRequest) -> HttpResponse:
    """The three tabs of /projects (`?tab=browse|create|mine`); POST creates a project."""
    tab = request.GET.get("tab")
    tab = tab if tab in PROJECTS_TABS else "browse"
    if request.method == "POST":
        return _project_create(request)
    context: dict = {"tab": tab}
    if tab == "browse":
        search = ProjectSearchForm(request.GET)
        visible = selectors.projects_visible_to(user=request.user)
        criteria = search.cleaned_data if search.is_valid() else {}
        found = ProjectFilter(data={k: v for k, v in criteria.items() if v}, queryset=visible)
        context |= {"search": search, "page": page_of(request, found.qs)}
    elif tab == "create":
        context["form"] = ProjectForm()
    elif request.user.is_authenticated:
        context["page"] = page_of(request, selectors.project_memberships_of(user=request.user))
    return render(request, "web/projects/projects.html", context)


def _project_create(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(f"{reverse('web:projects')}?tab=create")
    form = ProjectForm(request.POST)
    if form.is_valid():
        created = attempt(
            lambda: project_services.project_create(creator=request.user, **form.cleaned_data)
        )
        if isinstance(created, ApplicationError):
            refusal_on_form(created, form, error_message(created))
        else:
            messages.success(request, _("Project “%(title)s” created.") % {"title": created})
            return redirect("web:project", slug=created.slug)
    return render(
        request, "web/projects/projects.html", {"tab": "create", "form": form}, status=400
    )


# /projects/<slug> -----------------------------------------------------------------------


def _project_page(
    request: HttpRequest, project: Project, *, status: int = 200, **overrides: object
) -> HttpResponse:
    role = selectors.project_role_of(project=project, user=request.user)
    is_owner = role == ProjectTeam.Role.OWNER
    tab = request.GET.get("tab")
    context = {
        "project": project,
        "tab": tab if tab in PROJECT_TABS else "overview",
        "role": role,
        "is_owner": is_owner,
        "edit_form": ProjectEditForm.for_project(project) if is_owner else None,
        **_team_context(request, project, is_owner=is_owner),
        **upload_links_context(request, project, is_owner=is_owner),
        **overrides,
    }
    if context["tab"] == "blueprints":
        context |= blueprints_context(request, project)
    return render(request, "web/projects/blueprints/project.html", context, status=status)


def _team_context(request: HttpRequest, project: Project, *, is_owner: bool) -> dict:
    return {
        "project": project,
        "team": selectors.project_team_of(project=project),
        "is_owner": is_owner,
        "member_form": MemberAddForm(auto_id="member_%s") if is_owner else None,
        "role_form": MemberRoleForm(),
        "member_cap": settings.COLLAB_SPACE_MEMBER_CAP,
    }


@require_GET
def project_detail(request: HttpRequest, slug: str) -> HttpResponse:
    return _project_page(request, _visible_project(request, slug))


def _owner_request(request: HttpRequest, slug: str) -> Project | HttpResponse:
    """The project for a signed-in visitor's change, or the response that refuses it."""
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("web:project", args=[slug]))
    return _visible_project(request, slug)


@require_POST
def project_update(request: HttpRequest, slug: str) -> HttpResponse:
    project = _owner_request(request, slug)
    if isinstance(project, HttpResponse):
        return project
    form = ProjectEditForm(request.POST, auto_id="edit_%s")
    if form.is_valid():
        refusal = attempt(
            lambda: project_services.project_update(
                project=project, actor=request.user, **form.cleaned_data
            )
        )
        if not isinstance(refusal, ApplicationError):
            messages.success(request, _("The project is saved."))
            return redirect("web:project", slug=project.slug)
        refusal_on_form(
            refusal,
            form,
            error_message(refusal),
            otherwise="two_factor_required" if refusal.code == "two_factor_required" else None,
        )
    project.refresh_from_db()
    return _project_page(request, project, status=400, edit_form=form, editing=True)


@require_POST
def project_delete(request: HttpRequest, slug: str) -> HttpResponse:
    project = _owner_request(request, slug)
    if isinstance(project, HttpResponse):
        return project
    refusal = attempt(lambda: project_services.project_delete(project=project, actor=request.user))
    if isinstance(refusal, ApplicationError):
        messages.error(request, error_message(refusal))
        return redirect("web:project", slug=project.slug)
    messages.success(request, _("Project “%(title)s” deleted.") % {"title": project})
    return redirect(f"{reverse('web:projects')}?tab=mine")


# The team -------------------------------------------------------------------------------


def _team_response(
    request: HttpRequest,
    project: Project,
    *,
    notice: str = "",
    error: str = "",
    member_form: MemberAddForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """After a team change: the team section alone for htmx, else the page (or a redirect)."""
    if is_htmx(request):
        role = selectors.project_role_of(project=project, user=request.user)
        context = _team_context(request, project, is_owner=role == ProjectTeam.Role.OWNER)
        if member_form is not None:
            context["member_form"] = member_form
        context |= {"notice": notice, "team_error": error}
        # 200 even for a refusal: htmx swaps the section with its error in place.
        response = render(request, "web/projects/_team.html", context)
        if not context["is_owner"]:
            # The actor stepped down from owner: the page's owner tools must go too.
            response["HX-Refresh"] = "true"
        return response
    refused = bool(error) or (member_form is not None and bool(member_form.errors))
    if not refused:
        messages.success(request, notice)
        return redirect(f"{reverse('web:project', args=[project.slug])}#team")
    overrides = {"team_error": error}
    if member_form is not None:
        overrides["member_form"] = member_form
    return _project_page(request, project, status=status, **overrides)


def _named_member(username: str) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        raise NotFound("No such user.")
    return user


@require_POST
def project_member_add(request: HttpRequest, slug: str) -> HttpResponse:
    project = _owner_request(request, slug)
    if isinstance(project, HttpResponse):
        return project
    form = MemberAddForm(request.POST, auto_id="member_%s")
    member = None
    if form.is_valid():
        member = User.objects.filter(username=form.cleaned_data["username"]).first()
        if member is None:
            form.add_error("username", _("No user has this username."))
    if member is None:
        return _team_response(request, project, member_form=form, status=400)
    refusal = attempt(
        lambda: team_services.project_member_add(
            project=project, user=member, role=form.cleaned_data["role"], actor=request.user
        )
    )
    if isinstance(refusal, ApplicationError):
        return _team_response(
            request, project, member_form=form, error=error_message(refusal), status=refusal.status
        )
    notice = _("%(username)s joined the team.") % {"username": member.username}
    return _team_response(request, project, notice=notice)


@require_POST
def project_member_role(request: HttpRequest, slug: str, username: str) -> HttpResponse:
    project = _owner_request(request, slug)
    if isinstance(project, HttpResponse):
        return project
    form = MemberRoleForm(request.POST)
    if not form.is_valid():
        return _team_response(request, project, error=_("Choose a role."), status=400)
    refusal = attempt(
        lambda: team_services.project_member_role_set(
            project=project,
            user=_named_member(username),
            role=form.cleaned_data["role"],
            actor=request.user,
        )
    )
    if isinstance(refusal, ApplicationError):
        return _team_response(request, project, error=error_message(refusal), status=refusal.status)
    notice = _("The role of %(username)s is changed.") % {"username": username}
    return _team_response(request, project, notice=notice)


@require_POST
def project_member_remove(request: HttpRequest, slug: str, username: str) -> HttpResponse:
    """Owners remove members; a member removes themselves (leaving the project)."""
    project = _owner_request(request, slug)
    if isinstance(project, HttpResponse):
        return project
    leaving = username == request.user.get_username()
    refusal = attempt(
        lambda: team_services.project_member_remove(
            project=project, user=_named_member(username), actor=request.user
        )
    )
    if isinstance(refusal, ApplicationError):
        return _team_response(request, project, error=error_message(refusal), status=refusal.status)
    if leaving:
        messages.success(request, _("You left “%(title)s”.") % {"title": project})
        target = f"{reverse('web:projects')}?tab=mine"
        if is_htmx(request):
            return HttpResponse(status=204, headers={"HX-Redirect": target})
        return redirect(target)
    notice = _("%(username)s left the team.") % {"username": username}
    return _team_response(request, project, notice=notice)
