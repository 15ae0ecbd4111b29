"""The HTTP answer carrying a data export's ZIP, for the API and the web page alike."""

from __future__ import annotations

from django.http import FileResponse

from konnaxion.files.services import blob_read
from konnaxion.users.models import AccountExport


def export_zip_response(*, export: AccountExport) -> FileResponse:
    """Stream `export`'s ZIP as an attachment, never cached (it holds the person's data).
    The caller has checked that the export is its requester's and still downloadable."""
    assert export.blob is not None
    response = FileResponse(
        blob_read(blob=export.blob),
        as_attachment=True,
        filename=f"konnaxion-data-{export.created_at:%Y-%m-%d}.zip",
        content_type="application/zip",
    )
    response["Content-Length"] = str(export.blob.size)
    response["Cache-Control"] = "private, no-store"
    return response
