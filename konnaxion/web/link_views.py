"""The public pages of share links (/s/<token>/) and upload links (/u/<token>/): no account.

Thin adapters over `keenkonnect.services.sharing` and `upload_links`, which decide everything.
An unknown token is the 404 page; a link that exists but may not be used is a 410 page saying
that it expired, was turned off or is used up, and nothing more specific for any other cause
(docs/sharing.md). Each page is throttled per client address (429 with Retry-After), and a
link unlocked with its password is remembered in the visitor's session by its digest.
"""

from __future__ import annotations

import math

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods

from konnaxion.core.api.throttling import ClientRateThrottle
from konnaxion.core.errors import ApplicationError, NotFound
from konnaxion.files.incoming import IncomingFile
from konnaxion.files.upload_handler import IncomingFileUploadHandler
from konnaxion.keenkonnect.api.downloads import blob_response, download_response
from konnaxion.keenkonnect.selectors import preview_of
from konnaxion.keenkonnect.services import sharing, upload_links
from konnaxion.keenkonnect.services.link_tokens import (
    LinkPasswordRequired,
    LinkRefused,
    token_digest,
)
from konnaxion.web.link_forms import LinkPasswordForm, LinkUploadForm

PREVIEW_SIZE = 1024
UNLOCKED = "unlocked_links"
PRIVATE_HEADERS = {
    # The address holds the token: no other site learns it from a Referer, no search engine
    # keeps the page, no shared cache keeps the answer. (Not `no-referrer`: browsers then send
    # `Origin: null` with the page's own forms, which CSRF protection rightly refuses.)
    "Referrer-Policy": "same-origin",
    "X-Robots-Tag": "noindex, nofollow",
    "Cache-Control": "private, no-store",
}


def _private(response: HttpResponse) -> HttpResponse:
    for name, value in PRIVATE_HEADERS.items():
        response[name] = value
    return response


def _throttled(request: HttpRequest, scope: str) -> HttpResponse | None:
    throttle = ClientRateThrottle(scope)
    if throttle.allow_request(request, None):
        return None
    response = _page(request, "web/links/refused.html", {"reason": "throttled"}, status=429)
    response["Retry-After"] = str(math.ceil(throttle.wait() or 60))
    return response


def _page(request: HttpRequest, template: str, context: dict, *, status: int = 200):
    return _private(render(request, template, context, status=status))


def _refused(request: HttpRequest, error: ApplicationError, *, kind: str) -> HttpResponse:
    if isinstance(error, NotFound):
        return _page(request, "web/links/refused.html", {"reason": "unknown"}, status=404)
    reason = error.details.get("reason", "unavailable")
    return _page(
        request, "web/links/refused.html", {"reason": reason, "kind": kind}, status=error.status
    )


def _is_unlocked(request: HttpRequest, token: str) -> bool:
    return token_digest(token) in request.session.get(UNLOCKED, [])


def _remember_unlocked(request: HttpRequest, token: str) -> None:
    unlocked = [*request.session.get(UNLOCKED, [])[-49:], token_digest(token)]
    request.session[UNLOCKED] = unlocked


def _password_page(request: HttpRequest, form: LinkPasswordForm, *, status: int = 200):
    return _page(request, "web/links/password.html", {"form": form}, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def share_page(request: HttpRequest, token: str) -> HttpResponse:
    """The shared document: title, type, size, version, preview and a download button; first
    the password form when the link has one."""
    if request.method == "POST":
        return _unlock(request, token, sharing.share_link_unlock, kind="share")
    throttled = _throttled(request, "links")
    if throttled:
        return throttled
    try:
        shared = sharing.share_link_view(token=token, unlocked=_is_unlocked(request, token))
    except LinkPasswordRequired:
        return _password_page(request, LinkPasswordForm(auto_id="link_%s"))
    except (NotFound, LinkRefused) as refusal:
        return _refused(request, refusal, kind="share")
    has_preview = (
        preview_of(
            resource=shared.resource, size=PREVIEW_SIZE, version_number=shared.version.number
        )
        is not None
    )
    context = {"shared": shared, "token": token, "has_preview": has_preview}
    return _page(request, "web/links/share.html", context)


def _unlock(request: HttpRequest, token: str, unlock, *, kind: str) -> HttpResponse:
    throttled = _throttled(request, "link_password")
    if throttled:
        return throttled
    form = LinkPasswordForm(request.POST, auto_id="link_%s")
    if not form.is_valid():
        return _password_page(request, form, status=400)
    try:
        unlock(token=token, password=form.cleaned_data["password"])
    except LinkRefused as refusal:
        if refusal.details.get("reason") != "wrong_password":
            return _refused(request, refusal, kind=kind)
        form.add_error("password", _("This is not the link's password."))
        return _password_page(request, form, status=403)
    except NotFound as refusal:
        return _refused(request, refusal, kind=kind)
    _remember_unlocked(request, token)
    return redirect(request.path)


@require_GET
def share_download(request: HttpRequest, token: str) -> HttpResponse:
    """The shared version's content: one download, counted against the link's limit."""
    throttled = _throttled(request, "links")
    if throttled:
        return throttled
    try:
        shared = sharing.share_link_download(token=token, unlocked=_is_unlocked(request, token))
    except LinkPasswordRequired:
        return redirect(f"/s/{token}/")
    except (NotFound, LinkRefused) as refusal:
        return _refused(request, refusal, kind="share")
    # Whole files only: each answer is one counted download.
    return _private(download_response(shared.version, None, None))


@require_GET
def share_preview(request: HttpRequest, token: str) -> HttpResponse:
    """The preview image of the shared version, checked like the page (not counted)."""
    throttled = _throttled(request, "links")
    if throttled:
        return throttled
    try:
        shared = sharing.share_link_preview(token=token, unlocked=_is_unlocked(request, token))
    except (LinkPasswordRequired, NotFound, LinkRefused) as refusal:
        raise Http404("No preview.") from refusal
    preview = preview_of(
        resource=shared.resource, size=PREVIEW_SIZE, version_number=shared.version.number
    )
    if preview is None:
        raise Http404("No preview.")
    response = blob_response(
        preview.blob,
        file_name="preview.png",
        content_type="image/png",
        range_header=None,
        if_none_match=None,
    )
    response["Content-Disposition"] = "inline"
    return _private(response)


@csrf_exempt
def upload_page(request: HttpRequest, token: str) -> HttpResponse:
    """Send a file through an upload link. The streaming upload handler must be installed
    before anything reads the body, CSRF's check included: that check runs just after."""
    handler = IncomingFileUploadHandler(request)
    try:
        if request.method == "POST":
            request.upload_handlers = [handler]
            try:
                request.POST  # noqa: B018 (read now: a file too large is refused here)
            except ApplicationError as refusal:
                context = {"reason": refusal.code, "kind": "upload"}
                return _page(request, "web/links/refused.html", context, status=refusal.status)
        return _upload_page(request, token)
    finally:
        handler.upload_interrupted()


@csrf_protect
@require_http_methods(["GET", "HEAD", "POST"])
def _upload_page(request: HttpRequest, token: str) -> HttpResponse:
    throttled = _throttled(request, "links")
    if throttled:
        return throttled
    try:
        if request.method == "POST" and "password" in request.POST:
            return _unlock(request, token, upload_links.upload_link_unlock, kind="upload")
        unlocked = _is_unlocked(request, token)
        if request.method != "POST":
            link = upload_links.upload_link_get_usable(token=token, unlocked=unlocked)
            return _upload_form(request, link, LinkUploadForm(auto_id="drop_%s"))
        return _receive(request, token, unlocked=unlocked)
    except LinkPasswordRequired:
        return _password_page(request, LinkPasswordForm(auto_id="link_%s"))
    except (NotFound, LinkRefused) as refusal:
        return _refused(request, refusal, kind="upload")


def _upload_form(request: HttpRequest, link, form, *, status: int = 200, **extra) -> HttpResponse:
    context = {"link": link, "form": form, **extra}
    return _page(request, "web/links/upload.html", context, status=status)


def _receive(request: HttpRequest, token: str, *, unlocked: bool) -> HttpResponse:
    form = LinkUploadForm(request.POST, auto_id="drop_%s")
    upload = request.FILES.get("file")
    link = upload_links.upload_link_get_usable(token=token, unlocked=unlocked)
    if not form.is_valid() or not isinstance(upload, IncomingFile):
        if not isinstance(upload, IncomingFile):
            form.add_error(None, _("Choose a file to send."))
        return _upload_form(request, link, form, status=400)
    try:
        received = upload_links.upload_link_receive(
            token=token,
            upload=upload,
            uploader_name=form.cleaned_data["name"],
            unlocked=unlocked,
        )
    except (NotFound, LinkRefused, LinkPasswordRequired):
        raise  # the page's answers to these, above
    except ApplicationError as refusal:
        form.add_error(None, _upload_refusal(refusal))
        return _upload_form(request, link, form, status=refusal.status)
    link.refresh_from_db()
    sent = received.resource.current_version.original_name if received.resource else ""
    return _upload_form(
        request, link, LinkUploadForm(auto_id="drop_%s"), status=201, received_name=sent
    )


def _upload_refusal(refusal: ApplicationError) -> str:
    known = {
        "file_too_large": _("This file is too large."),
        "file_type_not_allowed": _("This type of file is not accepted here."),
        "file_content_mismatch": _("This file's content does not match its type."),
        "storage_full": _("There is no room left to store this file. Try again later."),
    }
    return str(known.get(refusal.code, _("This file could not be received.")))
