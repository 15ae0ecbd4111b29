"""The HTTP answer carrying a workspace's export as a ZIP, for the API and the web page alike."""

from __future__ import annotations

from django.http import HttpResponse

from konnaxion.kreative.models import CollabSession
from konnaxion.kreative.services import workspace_outputs


def workspace_archive_response(*, session: CollabSession) -> HttpResponse:
    """The ZIP of everything `session` holds, as an attachment never cached (it holds the
    room's conversation). The caller has checked that the visitor takes part in it."""
    content = workspace_outputs.workspace_export_zip(session=session)
    response = HttpResponse(content, content_type="application/zip")
    name = workspace_outputs.workspace_export_name(session=session)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response
