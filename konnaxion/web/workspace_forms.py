"""The Workspace tab's form: create a room (a collaboration session) and invite people."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from konnaxion.kreative.models import CollabSession
from konnaxion.users.models import User
from konnaxion.web.account_notices import email_unverified_message

SESSION_TYPE_LABELS = {
    CollabSession.SessionType.PAINTING: _("Painting"),
    CollabSession.SessionType.MUSIC: _("Music"),
    CollabSession.SessionType.MIXED_MEDIA: _("Mixed media"),
}
MAX_INVITED = 20


class RoomForm(forms.Form):
    """Name, type and the usernames of the people invited (separated by commas or spaces)."""

    name = forms.CharField(label=_("Room name"), max_length=200)
    session_type = forms.ChoiceField(label=_("Type"), choices=list(SESSION_TYPE_LABELS.items()))
    participants = forms.CharField(
        label=_("Invite people"),
        required=False,
        max_length=2000,
        help_text=_("Usernames, separated by commas"),
    )

    def __init__(self, *args, host: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.host = host

    def clean_name(self) -> str:
        return self.cleaned_data["name"].strip()

    def clean_participants(self) -> list[str]:
        """The usernames named; whether each is someone the host may invite is the service's
        to say (the same rule as the API: `refusal_to_form`)."""
        names = [n for n in re.split(r"[,\s]+", self.cleaned_data["participants"]) if n]
        names = list(dict.fromkeys(n.removeprefix("@") for n in names))
        if len(names) > MAX_INVITED:
            raise forms.ValidationError(
                _("Invite at most %(count)d people at once.") % {"count": MAX_INVITED}
            )
        return [name for name in names if name != self.host.get_username()]

    def refusal_to_form(self, refusal) -> None:
        """Put the service's refusal on the form, in the visitor's language."""
        if refusal.code == "unknown_users":
            unknown = refusal.details.get("fields", {}).get("participants", [])
            self.add_error(
                "participants", _("Nobody is called: %(names)s.") % {"names": ", ".join(unknown)}
            )
            return
        if refusal.code == "email_unverified":
            self.add_error(None, email_unverified_message())
            return
        notices = {
            "session_ended": _("This room has ended: nobody can join it any more."),
            "dm_closed": _("A direct message stays between its two people."),
            "too_many_open_rooms": _(
                "You already host as many open rooms as allowed: end one first."
            ),
            "too_many_pending_invitations": _(
                "You have too many invitations nobody has answered yet: wait for people to "
                "join, or end a room."
            ),
        }
        self.add_error(None, notices.get(refusal.code, _("This could not be done.")))


class InviteForm(RoomForm):
    """Only the people to invite into an existing room."""

    def __init__(self, *args, host: User, **kwargs) -> None:
        super().__init__(*args, host=host, **kwargs)
        del self.fields["name"], self.fields["session_type"]
        self.fields["participants"].required = True


class CanvasSaveForm(forms.Form):
    """Keep the room's canvas as an artwork of one's own."""

    title = forms.CharField(
        label=_("Artwork title"),
        max_length=200,
        required=False,
        help_text=_("The room's name when left empty"),
    )

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("prefix", "canvas")
        super().__init__(*args, **kwargs)


class EndForm(CanvasSaveForm):
    """The host ends the room, keeping the canvas as their artwork if they wish."""

    save_canvas = forms.BooleanField(label=_("Save the canvas as my artwork"), required=False)
    field_order = ["save_canvas", "title"]

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("prefix", "end")
        super().__init__(*args, **kwargs)
