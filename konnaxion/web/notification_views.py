"""/notifications/: one's notifications, marking them read, the email settings, and the watch
buttons of the document and project pages. Thin adapters over `konnaxion.notifications`."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from konnaxion.core.errors import NotFound, ValidationFailed
from konnaxion.notifications import selectors
from konnaxion.notifications.models import Channel, Kind
from konnaxion.notifications.services import preferences, reading, watching
from konnaxion.notifications.texts import notification_text

PAGE_SIZE = 30
MAX_ID = 2**63 - 1


class SettingsForm(forms.Form):
    """One choice of channel per kind."""

    def __init__(self, *args, channels: dict[str, str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for kind in Kind:
            self.fields[kind.value] = forms.ChoiceField(
                label=kind.label,
                choices=Channel.choices,
                initial=channels[kind.value],
                widget=forms.RadioSelect,
            )


class WatchForm(forms.Form):
    target_type = forms.CharField(max_length=32)
    target_id = forms.IntegerField(min_value=1, max_value=MAX_ID)
    watch = forms.BooleanField(required=False)
    next = forms.CharField(required=False, max_length=1000)


def _back(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


@require_GET
@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    """The signed-in person's notifications, newest first; `?unread=1` keeps the unread."""
    preferences.notification_language_set(user=request.user, language=request.LANGUAGE_CODE)
    unread_only = request.GET.get("unread") == "1"
    rows = selectors.notifications_visible_to(user=request.user)
    if unread_only:
        rows = rows.filter(read_at__isnull=True)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    items = [(notification, notification_text(notification)) for notification in page]
    return render(
        request,
        "web/notifications/list.html",
        {
            "page": page,
            "items": items,
            "unread_only": unread_only,
            "unread": selectors.notifications_unread_count(user=request.user),
        },
    )


@require_POST
@login_required
def notification_read(request: HttpRequest, notification_id: int) -> HttpResponse:
    """Mark one read, then follow its link (`open`) or come back to the list."""
    if notification_id > MAX_ID:
        raise Http404
    try:
        notification = reading.notification_mark_read(
            user=request.user, notification_id=notification_id
        )
    except NotFound as missing:
        raise Http404(missing.message) from missing
    if request.POST.get("open") and notification.url:
        return redirect(notification.url)
    return redirect(_back(request, "web:notifications"))


@require_POST
@login_required
def notification_read_all(request: HttpRequest) -> HttpResponse:
    changed = reading.notifications_mark_all_read(user=request.user)
    if changed:
        messages.success(request, _("Every notification is marked read."))
    return redirect("web:notifications")


@login_required
def notification_settings(request: HttpRequest) -> HttpResponse:
    """Per kind: email at once, in the daily digest, or not at all."""
    channels = selectors.channels_of(user=request.user)
    form = SettingsForm(request.POST or None, channels=channels)
    if request.method == "POST" and form.is_valid():
        preferences.notification_settings_set(user=request.user, channels=form.cleaned_data)
        preferences.notification_language_set(user=request.user, language=request.LANGUAGE_CODE)
        messages.success(request, _("Your notification settings are saved."))
        return redirect("web:notification_settings")
    status = 400 if form.errors else 200
    return render(request, "web/notifications/settings.html", {"form": form}, status=status)


@require_POST
@login_required
def watch_toggle(request: HttpRequest) -> HttpResponse:
    """Watch or stop watching a document or a project one may see (404 otherwise)."""
    form = WatchForm(request.POST)
    if not form.is_valid():
        raise Http404
    try:
        target = watching.watch_target_get(
            user=request.user,
            name=form.cleaned_data["target_type"],
            target_id=form.cleaned_data["target_id"],
        )
    except (NotFound, ValidationFailed) as missing:
        raise Http404(missing.message) from missing
    if form.cleaned_data["watch"]:
        watching.watch_add(user=request.user, target=target)
        messages.success(request, _("You are watching it: you will be told of changes."))
    else:
        watching.watch_remove(user=request.user, target=target)
        messages.success(request, _("You no longer watch it."))
    return redirect(_back(request, "web:notifications"))
