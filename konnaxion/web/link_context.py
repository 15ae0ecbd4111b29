"""What the document and project pages show of links: the Share section (document admins)
and the upload links (project owners). Read through keenKonnect's link services."""

from __future__ import annotations

from django.http import HttpRequest

from konnaxion.keenkonnect import selectors
from konnaxion.keenkonnect.models import AccessLevel, Project, ProjectResource
from konnaxion.keenkonnect.services import sharing, upload_links
from konnaxion.users.models import User
from konnaxion.web.link_forms import ShareLinkForm, UploadLinkForm

MAX_LINKS_SHOWN = 100


def share_context(request: HttpRequest, resource: ProjectResource) -> dict:
    """What the Share section of a document page needs (admins only)."""
    if resource.my_level < AccessLevel.ADMIN:
        return {}
    numbers = list(selectors.versions_of(resource=resource).values_list("number", flat=True))
    return {
        "share_links": list(sharing.share_links_of(resource=resource)[:MAX_LINKS_SHOWN]),
        "share_form": ShareLinkForm.for_versions(numbers),
        "links_allowed": resource.project.links_allowed,
    }


def upload_links_context(request: HttpRequest, project: Project, *, is_owner: bool) -> dict:
    """What the upload links section of a project page needs (owners only)."""
    if not is_owner or not isinstance(request.user, User):
        return {}
    links = upload_links.upload_links_of(project=project, user=request.user)
    return {
        "upload_links": list(links[:MAX_LINKS_SHOWN]),
        "upload_link_form": UploadLinkForm.empty(),
    }
