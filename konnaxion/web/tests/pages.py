"""Every page of the web front, as paths into the demo data (`seed_demo`).

Used by the tests that look at all pages at once (every language, every width). A page that is
added to the front adds itself here.
"""

from __future__ import annotations

from dataclasses import dataclass

from konnaxion.keenkonnect.models import Project, ProjectResource
from konnaxion.kreative.models import CollabSession, Opportunity, OpportunityApplication


@dataclass(frozen=True)
class Page:
    name: str
    path: str
    # the demo account that sees it ("" for a visitor)
    username: str = ""


DEMO_PROJECT = "community-workshop-bench"


def demo_pages() -> list[Page]:
    """The pages a visitor and the demo administrator see, with the demo's own objects."""
    project = Project.objects.get(slug=DEMO_PROJECT)
    documents = ProjectResource.objects.filter(project=project).order_by("id")
    opportunity = Opportunity.objects.filter(status="open").order_by("id").first()
    # the demo salon takes applications; the administrator sits on its jury
    salon = Opportunity.objects.filter(accepts_applications=True).order_by("id").first()
    application = (
        OpportunityApplication.objects.filter(opportunity=salon)
        .exclude(status__in=["draft", "withdrawn"])
        .order_by("id")
        .first()
    )
    room = CollabSession.objects.filter(participants__user__username="admin").order_by("id").first()
    visitor = [
        Page("home", "/"),
        Page("sign-in", "/accounts/login/"),
        Page("sign-up", "/accounts/signup/"),
        Page("password-reset", "/accounts/password/reset/"),
        Page("projects-browse", "/projects/?tab=browse"),
        Page("connect-people", "/connect/?tab=people"),
        Page("connect-opportunities", "/connect/?tab=opportunities"),
        Page("opportunity", f"/connect/opportunities/{opportunity.pk}/"),
        Page("search", "/search/?q=printmaking"),
        Page("profile", "/profile/noor/"),
        Page("profile-portfolio", "/profile/noor/?tab=portfolio"),
        Page("not-found", "/projects/no-such-project/"),
    ]
    admin = [
        Page("home-signed-in", "/"),
        Page("projects-create", "/projects/?tab=create"),
        Page("projects-mine", "/projects/?tab=mine"),
        Page("project", f"/projects/{project.slug}/"),
        Page("project-blueprints", f"/projects/{project.slug}/?tab=blueprints"),
        Page("project-team", f"/projects/{project.slug}/?tab=team"),
        Page("project-settings", f"/projects/{project.slug}/?tab=settings"),
        Page("project-search", f"/projects/{project.slug}/search/?q=bench"),
        *(
            page
            for document in documents
            for page in (
                Page(
                    f"blueprint-{document.pk}",
                    f"/projects/{project.slug}/blueprints/{document.pk}/",
                ),
                Page(
                    f"blueprint-{document.pk}-diff",
                    f"/projects/{project.slug}/blueprints/{document.pk}/diff/?old=1&new=2",
                ),
            )
            if document.versions.count() >= 2
        ),
        Page("connect-people-signed-in", "/connect/?tab=people"),
        Page("connect-collaborate", "/connect/?tab=people&purpose=collaborate"),
        Page("connect-opportunities-signed-in", "/connect/?tab=opportunities"),
        Page("connect-post-opportunity", "/connect/?tab=opportunities&post=1"),
        Page("connect-workspace", "/connect/?tab=workspace"),
        Page("saved-searches", "/connect/saved-searches/"),
        Page("my-applications", "/connect/applications/"),
        Page("call", f"/connect/opportunities/{salon.pk}/"),
        Page("apply", f"/connect/opportunities/{salon.pk}/apply/"),
        Page("saved-search-new", "/connect/saved-searches/new/?tab=opportunities&type=residency"),
        Page("search-signed-in", "/search/?q=bench"),
        Page("search-profiles", "/search/?q=printmaking&kind=profile"),
        Page("profile-own", "/profile/admin/"),
        Page("profile-reviews", "/profile/admin/?tab=reviews"),
        Page("profile-edit", "/profile/admin/?tab=edit"),
        Page("notifications", "/notifications/"),
        Page("account", "/accounts/"),
        Page("account-emails", "/accounts/email/"),
        Page("account-password", "/accounts/password/change/"),
        Page("account-two-factors", "/accounts/2fa/"),
        Page("account-sessions", "/accounts/sessions/"),
        Page("account-tokens", "/accounts/tokens/"),
        Page("account-data", "/accounts/data/"),
        Page("account-leave", "/accounts/leave/"),
    ]
    if application is not None:
        admin.append(Page("application-as-juror", f"/connect/applications/{application.pk}/"))
    if room is not None:
        admin.append(Page("room", f"/connect/workspaces/{room.pk}/"))
    return visitor + [Page(page.name, page.path, "admin") for page in admin]
