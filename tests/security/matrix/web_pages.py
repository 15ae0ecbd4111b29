"""The web pages' matrix: every page x every kind of caller of the team world (`team_world.py`).

A row names a route of the web front, the method, a concrete path (and form body) in the world,
and what each caller gets: a status, or `SIGN_IN` (a 302 to the sign-in page). Forms are sent
valid, so a refusal is the authorization's and not the form's. A members-only project and a
room are 404 for whoever is outside them; anonymous visitors are sent to sign in before any
change, for any address, so the redirect tells them nothing either.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from konnaxion.notifications.models import Kind
from konnaxion.users.tests.factories import DEFAULT_PASSWORD
from tests.security.matrix.team_world import CALLERS, TeamWorld

SIGN_IN = "sign-in"
Expected = int | str | tuple[int, ...]


@dataclass(frozen=True)
class Page:
    route: str
    method: str
    path: str | Callable[[TeamWorld], str]
    expected: dict[str, Expected]
    body: dict | Callable[[TeamWorld], dict] | None = None
    headers: dict[str, str] = field(default_factory=dict)
    # Cells that fail on main today (caller -> reason): the row says what they must answer,
    # and they are marked xfail (strict) until the fix lands.
    failing_today: dict[str, str] = field(default_factory=dict)

    def concrete_path(self, world: TeamWorld) -> str:
        return self.path(world) if callable(self.path) else self.path.format(w=world)

    def concrete_body(self, world: TeamWorld) -> dict:
        return (self.body(world) if callable(self.body) else self.body) or {}

    @property
    def label(self) -> str:
        shown = self.path if isinstance(self.path, str) else self.route
        return f"{self.method} {shown}"


def expect(
    anonymous: Expected,
    outsider: Expected,
    mentor: Expected,
    collaborator: Expected,
    owner: Expected,
    staff: Expected,
) -> dict[str, Expected]:
    statuses = (anonymous, outsider, mentor, collaborator, owner, staff)
    return dict(zip(CALLERS, statuses, strict=True))


def everyone(status: Expected) -> dict[str, Expected]:
    return expect(status, status, status, status, status, status)


def signed_in(status: Expected) -> dict[str, Expected]:
    """Anonymous visitors are sent to sign in; every signed-in caller gets `status`."""
    return expect(SIGN_IN, status, status, status, status, status)


def page(
    method: str,
    route: str,
    expected: dict[str, Expected],
    *,
    path: str | Callable[[TeamWorld], str] | None = None,
    body: dict | Callable[[TeamWorld], dict] | None = None,
    headers: dict[str, str] | None = None,
    failing_today: dict[str, str] | None = None,
) -> Page:
    return Page(
        route, method, path or f"/{route}", expected, body, headers or {}, failing_today or {}
    )


OPPORTUNITY = "connect/opportunities/<int:pk>/"
OPP = "/connect/opportunities/{w.opportunity.pk}/"
ROOM = "/connect/workspaces/{w.room.pk}/"
SAVED_SEARCH = "connect/saved-searches/<int:pk>/"
APPLICATION = "connect/applications/<int:pk>/"
APP = "/connect/applications/{w.application.pk}/"
CALL = "connect/opportunities/<int:pk>/"
CALL_PATH = "/connect/opportunities/{w.call.pk}/"
SEARCH = "/connect/saved-searches/{w.saved_search.pk}/"


def owner_only(status: Expected) -> dict[str, Expected]:
    """Only the owner of the saved search; everyone else signed in gets 404."""
    return expect(SIGN_IN, 404, 404, 404, status, 404)


OPPORTUNITY_FORM = {
    "type": "call",
    "title": "Open call",
    "description": "Prints on paper.",
    "apply_url": "https://example.org/apply",
    "eligibility_scope": "international",
    "entry_fee": "0",
}
ROOM_FORM = {"name": "Jam", "session_type": "music", "participants": "team-outsider"}

# django-allauth's pages (docs/accounts.md). One's own account only: each signed-in caller gets
# the same answer. Changing a factor first asks for the password again (302 to
# /accounts/reauthenticate/), pages about a factor one does not have are 404, and the steps of
# a sign-in or a reset that was not started send the caller back (302).
REAUTHENTICATE = signed_in(302)
ACCOUNT_PAGES = [
    page("GET", "accounts/", signed_in(200)),
    page("GET", "accounts/email/", signed_in(200)),
    page("POST", "accounts/email/", signed_in(302)),
    page("GET", "accounts/password/change/", signed_in(200)),
    # Without the current password the form is shown again.
    page("POST", "accounts/password/change/", signed_in(200)),
    # Everyone in the world has a password: "set" sends them to "change".
    page("GET", "accounts/password/set/", signed_in(302)),
    page("POST", "accounts/password/set/", signed_in(302)),
    page("GET", "accounts/password/reset/", everyone(200)),
    page("POST", "accounts/password/reset/", everyone(200)),
    page("GET", "accounts/password/reset/done/", everyone(200)),
    page("GET", "accounts/password/reset/key/done/", everyone(200)),
    page(
        "GET",
        r"accounts/^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$",
        everyone(200),
        path="/accounts/password/reset/key/1-not-a-key/",
    ),
    page(
        "POST",
        r"accounts/^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$",
        everyone(200),
        path="/accounts/password/reset/key/1-not-a-key/",
    ),
    page("GET", "accounts/confirm-email/", everyone(200)),
    page(
        "GET",
        r"accounts/^confirm-email/(?P<key>[-:\w]+)/$",
        everyone(200),
        path="/accounts/confirm-email/not-a-key/",
    ),
    page(
        "POST",
        r"accounts/^confirm-email/(?P<key>[-:\w]+)/$",
        everyone(404),
        path="/accounts/confirm-email/not-a-key/",
    ),
    page("GET", "accounts/inactive/", everyone(200)),
    page("GET", "accounts/reauthenticate/", signed_in(200)),
    page("POST", "accounts/reauthenticate/", signed_in(200)),
    page("GET", "accounts/reauthenticate/code/", signed_in(200)),
    page("POST", "accounts/reauthenticate/code/", signed_in(200)),
    page("GET", "accounts/reauthenticate/code/confirm/", signed_in(302)),
    page("POST", "accounts/reauthenticate/code/confirm/", signed_in(302)),
    page("GET", "accounts/login/code/confirm/", everyone(302)),
    page("POST", "accounts/login/code/confirm/", everyone(302)),
    page("GET", "accounts/sessions/", signed_in(200)),
    page("POST", "accounts/sessions/", signed_in(302)),
    page("GET", "accounts/2fa/", signed_in(200)),
    page("POST", "accounts/2fa/", signed_in(405)),
    page("GET", "accounts/2fa/authenticate/", everyone(302)),
    page("POST", "accounts/2fa/authenticate/", everyone(302)),
    page("GET", "accounts/2fa/reauthenticate/", REAUTHENTICATE),
    page("POST", "accounts/2fa/reauthenticate/", REAUTHENTICATE),
    page("GET", "accounts/2fa/totp/activate/", REAUTHENTICATE),
    page("POST", "accounts/2fa/totp/activate/", REAUTHENTICATE),
    page("GET", "accounts/2fa/totp/deactivate/", signed_in(404)),
    page("POST", "accounts/2fa/totp/deactivate/", signed_in(404)),
    page("GET", "accounts/2fa/recovery-codes/", signed_in(404)),
    page("POST", "accounts/2fa/recovery-codes/", signed_in(405)),
    page("GET", "accounts/2fa/recovery-codes/download/", signed_in(404)),
    page("POST", "accounts/2fa/recovery-codes/download/", signed_in(404)),
    page("GET", "accounts/2fa/recovery-codes/generate/", REAUTHENTICATE),
    page("POST", "accounts/2fa/recovery-codes/generate/", REAUTHENTICATE),
    page("GET", "accounts/2fa/webauthn/", signed_in(200)),
    page("POST", "accounts/2fa/webauthn/", signed_in(405)),
    page("GET", "accounts/2fa/webauthn/add/", REAUTHENTICATE),
    page("POST", "accounts/2fa/webauthn/add/", REAUTHENTICATE),
    page("GET", "accounts/2fa/webauthn/reauthenticate/", REAUTHENTICATE),
    page("POST", "accounts/2fa/webauthn/reauthenticate/", REAUTHENTICATE),
    *(
        page(
            method,
            f"accounts/2fa/webauthn/keys/<int:pk>/{action}/",
            REAUTHENTICATE,
            path=f"/accounts/2fa/webauthn/keys/1/{action}/",
        )
        for action in ("edit", "remove")
        for method in ("GET", "POST")
    ),
    # The development mailbox: staff of a DEBUG run only (the tests do not run in DEBUG).
    page("GET", "dev/mail/", everyone(404)),
    page(
        "GET",
        "dev/mail/<str:name>/<int:index>/",
        everyone(404),
        path="/dev/mail/20260101-000000-1.log/0/",
    ),
]

PAGES = [
    page("GET", "", everyone(200)),
    page("GET", "livez", everyone(200)),
    page("GET", "readyz", everyone(200)),  # workers are not part of readiness
    page("GET", "healthz", everyone((200, 503))),  # 503 while no Celery worker answers
    page("GET", "i18n/setlang/", everyone(302)),
    page("POST", "i18n/setlang/", everyone(302), body={"language": "fr", "next": "/"}),
    # Accounts: signed-in people are sent on to where they were going.
    page("GET", "accounts/login/", expect(200, 302, 302, 302, 302, 302)),
    page(
        "POST",
        "accounts/login/",
        everyone(302),
        body={"login": "team-outsider", "password": DEFAULT_PASSWORD},
    ),
    # GET asks to confirm (allauth); visitors who are not signed in are sent home.
    page("GET", "accounts/logout/", expect(302, 200, 200, 200, 200, 200)),
    page("POST", "accounts/logout/", everyone(302)),
    # Leaving and your data: one's own account only; someone else's export is not found.
    page("GET", "accounts/leave/", signed_in(200)),
    page(
        "POST",
        "accounts/leave/",
        signed_in(302),
        body={"action": "deactivate", "off-password": DEFAULT_PASSWORD},
    ),
    page("GET", "accounts/data/", signed_in(200)),
    page("POST", "accounts/data/export/", signed_in(302)),
    page("GET", "accounts/data/status/", signed_in(200)),
    page(
        "GET",
        "accounts/data/<int:pk>/download/",
        expect(SIGN_IN, 404, 404, 404, 200, 404),
        path="/accounts/data/{w.owner_export.pk}/download/",
    ),
    page("GET", "accounts/tokens/", signed_in(200)),
    page("POST", "accounts/tokens/", signed_in(201), body={"name": "matrix", "expiry": "30"}),
    page(
        "POST",
        "accounts/tokens/<int:token_id>/revoke/",
        signed_in(302),
        path="/accounts/tokens/2147483647/revoke/",
    ),
    page("GET", "accounts/signup/", expect(200, 302, 302, 302, 302, 302)),
    page(
        "POST",
        "accounts/signup/",
        everyone(302),
        body={
            "username": "newcomer",
            "email": "newcomer@example.org",
            "password1": DEFAULT_PASSWORD,
            "password2": DEFAULT_PASSWORD,
        },
    ),
    *ACCOUNT_PAGES,
    # /connect: People, Opportunities, Workspace
    page("GET", "connect/", everyone(200)),
    page("GET", "connect/", everyone(200), path="/connect/?tab=opportunities"),
    page("GET", "connect/", everyone(200), path="/connect/?tab=workspace"),
    page(
        "POST",
        "connect/people/<str:username>/follow/",
        signed_in(302),
        path="/connect/people/team-owner/follow/",
    ),
    page(
        "POST",
        "connect/people/<str:username>/follow/",
        signed_in(404),
        path="/connect/people/no-such-person/follow/",
    ),
    # A plain request is sent to the People tab; htmx gets the panel.
    page("GET", "connect/suggestions/", everyone(302)),
    page("GET", "connect/suggestions/", everyone(200), headers={"HX-Request": "true"}),
    page(
        "POST",
        "connect/suggestions/<str:username>/follow/",
        signed_in(302),
        path="/connect/suggestions/team-owner/follow/",
    ),
    page(
        "POST",
        "connect/suggestions/<str:username>/dismiss/",
        signed_in(302),
        path="/connect/suggestions/team-owner/dismiss/",
    ),
    page("POST", "connect/opportunities/new/", signed_in(302), body=OPPORTUNITY_FORM),
    page("GET", OPPORTUNITY, everyone(200), path=OPP),
    page(
        "POST",
        f"{OPPORTUNITY}edit/",
        expect(SIGN_IN, 403, 403, 403, 302, 302),
        path=OPP + "edit/",
        body=OPPORTUNITY_FORM,
    ),
    page(
        "POST",
        f"{OPPORTUNITY}<str:change>/",
        expect(SIGN_IN, 403, 403, 403, 302, 302),
        path=OPP + "close/",
    ),
    page(
        "POST",
        f"{OPPORTUNITY}<str:change>/",
        signed_in(404),
        path=OPP + "reopen/",
    ),
    page("POST", f"{OPPORTUNITY}save/", signed_in(302), path=OPP + "save/"),
    # Applications: the applicant's (collaborator), the poster's (owner) once submitted, the
    # jurors' (mentor) while in a round; anyone else gets a 404.
    page("GET", "connect/applications/", signed_in(200)),
    page("GET", APPLICATION, expect(SIGN_IN, 404, 200, 200, 200, 404), path=APP),
    page(
        "POST",
        f"{APPLICATION}edit/",
        expect(SIGN_IN, 404, 404, 409, 404, 404),
        path=APP + "edit/",
        body={"statement": "Changed."},
    ),
    page(
        "POST",
        f"{APPLICATION}score/",
        expect(SIGN_IN, 404, 302, 404, 404, 404),
        path=APP + "score/",
        body=lambda w: {f"score_{w.call.review_rounds.get().criteria.get().pk}": "4"},
    ),
    page(
        "POST",
        f"{APPLICATION}<str:step>/",
        expect(SIGN_IN, 404, 404, 302, 404, 404),
        path=APP + "withdraw/",
    ),
    # the applicant is sent to the application they already have
    page(
        "GET", f"{CALL}apply/", expect(SIGN_IN, 200, 200, 302, 200, 200), path=CALL_PATH + "apply/"
    ),
    page(
        "POST",
        f"{CALL}apply/",
        expect(SIGN_IN, 302, 302, 302, 403, 302),
        path=CALL_PATH + "apply/",
        body={"statement": "Mine."},
    ),
    page(
        "GET",
        f"{CALL}review/",
        expect(SIGN_IN, 404, 200, 404, 200, 404),
        path=CALL_PATH + "review/",
    ),
    page(
        "POST",
        f"{CALL}review/<str:change>/",
        expect(SIGN_IN, 404, 404, 404, 302, 404),
        path=CALL_PATH + "review/juror/",
        body={"username": "team-outsider"},
    ),
    # Saved searches: one's own only, anyone else's is a 404 (staff included).
    page("GET", "connect/saved-searches/", signed_in(200)),
    page(
        "GET",
        "connect/saved-searches/new/",
        signed_in(200),
        path="/connect/saved-searches/new/?tab=opportunities&type=call",
    ),
    page(
        "POST",
        "connect/saved-searches/new/",
        signed_in(302),
        body={"name": "Calls", "alert": "daily", "kind": "opportunities", "filters": "type=call"},
    ),
    page("GET", SAVED_SEARCH, owner_only(200), path=SEARCH),
    page(
        "POST",
        f"{SAVED_SEARCH}edit/",
        owner_only(302),
        path=SEARCH + "edit/",
        body={"name": "Print", "alert": "immediate"},
    ),
    page("GET", f"{SAVED_SEARCH}delete/", owner_only(200), path=SEARCH + "delete/"),
    page("POST", f"{SAVED_SEARCH}delete/", owner_only(302), path=SEARCH + "delete/"),
    page("POST", "connect/workspaces/new/", signed_in(302), body=ROOM_FORM),
    page(
        "GET",
        "connect/workspaces/<int:pk>/",
        expect(SIGN_IN, 404, 404, 200, 200, 404),
        path=ROOM,
    ),
    # A room that does not exist: the same answers as a room one is outside of.
    page(
        "GET",
        "connect/workspaces/<int:pk>/",
        expect(SIGN_IN, 404, 404, 404, 404, 404),
        path="/connect/workspaces/999999/",
    ),
    page(
        "POST",
        "connect/workspaces/<int:pk>/invite/",
        expect(SIGN_IN, 404, 404, 403, 302, 404),
        path=ROOM + "invite/",
        body={"participants": "team-outsider"},
    ),
    page(
        "POST",
        "connect/workspaces/<int:pk>/end/",
        expect(SIGN_IN, 404, 404, 403, 302, 404),
        path=ROOM + "end/",
    ),
    # The host is refused with a message on the room page; the collaborator leaves.
    page(
        "POST",
        "connect/workspaces/<int:pk>/leave/",
        expect(SIGN_IN, 404, 404, 302, 302, 404),
        path=ROOM + "leave/",
    ),
    # The canvas is empty: a message on the room page says so.
    page(
        "POST",
        "connect/workspaces/<int:pk>/save-canvas/",
        expect(SIGN_IN, 404, 404, 302, 302, 404),
        path=ROOM + "save-canvas/",
    ),
    page(
        "GET",
        "connect/workspaces/<int:pk>/export/",
        expect(SIGN_IN, 404, 404, 200, 200, 404),
        path=ROOM + "export/",
    ),
    # Profiles: the owner's is public, the collaborator's members-only, the mentor's hidden.
    page("GET", "profile/<str:username>/", everyone(200), path="/profile/team-owner/"),
    page(
        "GET",
        "profile/<str:username>/",
        expect(404, 200, 200, 200, 200, 200),
        path="/profile/team-collaborator/",
    ),
    page(
        "GET",
        "profile/<str:username>/",
        expect(404, 404, 200, 404, 404, 404),
        path="/profile/team-mentor/",
    ),
    page(
        "GET",
        "profile/<str:username>/",
        expect(404, 404, 200, 404, 404, 404),
        path="/profile/team-mentor/?tab=reviews",
    ),
    page(
        "POST",
        "profile/<str:username>/edit/",
        expect(SIGN_IN, 404, 404, 404, 302, 404),
        path="/profile/team-owner/edit/",
        body={"role": "creator", "visibility": "public", "headline": "Etcher"},
    ),
    # Only the mentor has an engagement with the owner left to endorse.
    page(
        "POST",
        "profile/<str:username>/endorse/",
        expect(SIGN_IN, 404, 302, 404, 404, 404),
        path="/profile/team-owner/endorse/",
        body=lambda w: {"engagement": f"session:{w.ended_session.pk}", "rating": "5"},
    ),
    # Only the subject of a published endorsement replies to it.
    page(
        "POST",
        "profile/<str:username>/reviews/<int:pk>/reply/",
        expect(SIGN_IN, 404, 404, 302, 404, 404),
        path="/profile/team-collaborator/reviews/{w.endorsement.pk}/reply/",
        body={"reply": "Thank you"},
    ),
    # /projects
    page("GET", "projects/", everyone(200)),
    page("GET", "projects/", everyone(200), path="/projects/?tab=create"),
    page("GET", "projects/", everyone(200), path="/projects/?tab=mine"),
    page(
        "POST",
        "projects/",
        signed_in(302),
        body={"title": "Fresh", "visibility": "public"},
    ),
    page("GET", "search/", everyone(200)),
    page("GET", "search/", everyone(200), path="/search/?q=plan"),
]

# A project's pages, for the public project and the members-only one. `outside` is what
# outsiders, staff and (reading) anonymous visitors get: the page, or a 404 that tells nothing.
PROJECT = "projects/<slug:slug>/"
BLUEPRINT = f"{PROJECT}blueprints/<int:resource_id>/"
COMMENT = f"{BLUEPRINT}comments/<int:comment_id>/"


def _project_pages(key: str, *, public: bool) -> list[Page]:
    p = f"/projects/{{w.{key}_project.slug}}/"
    doc = p + f"blueprints/{{w.documents[{key}_plan].pk}}/"
    trashed = p + f"blueprints/{{w.documents[{key}_trashed].pk}}/"
    comment = doc + f"comments/{{w.comments[{0 if public else 1}].pk}}/"
    # Reading: everyone sees a public project's pages; a members-only one is its team's.
    read = everyone(200) if public else expect(404, 404, 200, 200, 200, 404)
    # Changing: anonymous visitors sign in first; outsiders see the public project (403) or
    # nothing (404).
    outside = 403 if public else 404
    # Commenting needs only the read level: outsiders comment on a public project's documents.
    reader = 302 if public else 404

    def change(mentor: int, collaborator: int, owner: int) -> dict[str, Expected]:
        return expect(SIGN_IN, outside, mentor, collaborator, owner, outside)

    return [
        page("GET", PROJECT, read, path=p),
        page("GET", PROJECT, read, path=p + "?tab=blueprints"),
        page(
            "POST",
            f"{PROJECT}update/",
            change(403, 403, 302),
            path=p + "update/",
            body={"title": "Renamed", "visibility": "public", "status": "active"},
        ),
        page("POST", f"{PROJECT}delete/", change(403, 403, 302), path=p + "delete/"),
        page(
            "POST",
            f"{PROJECT}team/",
            change(403, 403, 302),
            path=p + "team/",
            body={"username": "team-outsider", "role": "collaborator"},
        ),
        page(
            "POST",
            f"{PROJECT}team/<str:username>/role/",
            change(403, 403, 302),
            path=p + "team/team-mentor/role/",
            body={"role": "collaborator"},
        ),
        # Owners remove members; the mentor leaves.
        page(
            "POST",
            f"{PROJECT}team/<str:username>/remove/",
            change(302, 403, 302),
            path=p + "team/team-mentor/remove/",
        ),
        page(
            "GET",
            f"{PROJECT}blueprints/",
            read,
            path=p + "blueprints/",
        ),
        page("GET", f"{PROJECT}search/", read, path=p + "search/"),
        page(
            "GET",
            f"{PROJECT}search/",
            read,
            path=p + "search/?q=plan",
        ),
        page("GET", BLUEPRINT, read, path=doc),
        page(
            "GET",
            f"{BLUEPRINT}diff/",
            read,
            path=doc + "diff/?old=1&new=2",
        ),
        page(
            "POST",
            f"{BLUEPRINT}restore/",
            change(403, 302, 302),
            path=doc + "restore/",
            body={"version": "1"},
        ),
        page(
            "POST",
            f"{BLUEPRINT}permissions/",
            change(403, 403, 302),
            path=doc + "permissions/",
            body={"level-team-mentor": "read"},
        ),
        page("POST", f"{BLUEPRINT}trash/", change(403, 302, 302), path=doc + "trash/"),
        page("POST", f"{BLUEPRINT}untrash/", change(403, 302, 302), path=trashed + "untrash/"),
        page("GET", f"{BLUEPRINT}lock/", read, path=doc + "lock/"),
        page("GET", f"{BLUEPRINT}live/", read, path=doc + "live/"),
        page(
            "POST",
            f"{BLUEPRINT}lock/take/",
            change(403, 302, 302),
            path=doc + "lock/take/",
            body={"note": "Mine", "hours": "24"},
        ),
        # Nobody holds a lock here: whoever may read the document is told so on the page.
        page(
            "POST",
            f"{BLUEPRINT}lock/release/",
            expect(SIGN_IN, 302 if public else 404, 302, 302, 302, 302 if public else 404),
            path=doc + "lock/release/",
        ),
        page("POST", f"{BLUEPRINT}lock/break/", change(403, 403, 302), path=doc + "lock/break/"),
        # Comments: whoever reads the document comments, resolves and reopens; authors (the
        # owner here) edit; authors and admins delete.
        page("GET", f"{BLUEPRINT}comments/", read, path=doc + "comments/"),
        page(
            "POST",
            f"{BLUEPRINT}comments/new/",
            expect(SIGN_IN, reader, 302, 302, 302, reader),
            path=doc + "comments/new/",
            body={"body": "A remark"},
        ),
        *(
            page(
                "POST",
                f"{COMMENT}{action}/",
                expect(SIGN_IN, other, *mine, other),
                path=comment + f"{action}/",
                body={"body": "Edited"} if action == "edit" else None,
            )
            for action, mine, other in (
                ("edit", (403, 403, 302), outside),
                ("delete", (403, 403, 302), outside),
                ("resolve", (302, 302, 302), reader),
                ("reopen", (302, 302, 302), reader),
            )
        ),
        page(
            "POST",
            f"{BLUEPRINT}purge/",
            change(403, 403, 302),
            path=trashed + "purge/",
            body={"confirm": "yes"},
        ),
        page(
            "POST",
            f"{BLUEPRINT}edit/",
            change(403, 302, 302),
            path=doc + "edit/",
            body={"title": "Renamed", "description": ""},
        ),
        page(
            "POST",
            f"{BLUEPRINT}versions/<int:number>/label/",
            change(403, 302, 302),
            path=doc + "versions/1/label/",
            body={"label": "Rev A", "note": ""},
        ),
        page("POST", f"{BLUEPRINT}purge/", change(403, 403, 302), path=trashed + "purge/"),
        page("POST", f"{BLUEPRINT}reindex/", change(403, 403, 302), path=doc + "reindex/"),
        page(
            "POST",
            f"{BLUEPRINT}share-links/",
            change(403, 403, 201),
            path=doc + "share-links/",
            body={"version": "latest", "expiry": "7"},
        ),
        page(
            "POST",
            f"{BLUEPRINT}share-links/<int:link_id>/revoke/",
            change(403, 403, 302),
            path=doc + f"share-links/{{w.share_links[{key}].link.pk}}/revoke/",
        ),
        page(
            "POST",
            f"{PROJECT}upload-links/",
            change(403, 403, 201),
            path=p + "upload-links/",
            body={"label": "Suppliers", "expiry": "7"},
        ),
        page(
            "POST",
            f"{PROJECT}upload-links/<int:link_id>/revoke/",
            change(403, 403, 302),
            path=p + f"upload-links/{{w.upload_links[{key}].link.pk}}/revoke/",
        ),
        # The public pages of links: the same for everyone holding the address, members-only
        # project or not (docs/sharing.md).
        page("GET", "s/<str:token>/", everyone(200), path=f"/s/{{w.share_links[{key}].token}}/"),
        page(
            "POST",
            "s/<str:token>/",
            everyone(302),
            path=f"/s/{{w.share_links[{key}].token}}/",
            body={"password": "none is set"},
        ),
        page(
            "GET",
            "s/<str:token>/download/",
            everyone(200),
            path=f"/s/{{w.share_links[{key}].token}}/download/",
        ),
        # No preview is made in the world (no indexing worker).
        page(
            "GET",
            "s/<str:token>/preview/",
            everyone(404),
            path=f"/s/{{w.share_links[{key}].token}}/preview/",
        ),
        page("GET", "u/<str:token>/", everyone(200), path=f"/u/{{w.upload_links[{key}].token}}/"),
        # Without a file: the form again, with its error.
        page(
            "POST",
            "u/<str:token>/",
            everyone(400),
            path=f"/u/{{w.upload_links[{key}].token}}/",
            body={"name": "Ada"},
        ),
    ]


PAGES += [
    *_project_pages("public", public=True),
    *_project_pages("members", public=False),
    # The document the mentor's entry hides: a 404 for the mentor as for outsiders.
    page(
        "GET",
        BLUEPRINT,
        expect(404, 404, 404, 200, 200, 404),
        path="/projects/{w.members_project.slug}/blueprints/{w.documents[members_restricted].pk}/",
    ),
    # A link that does not exist.
    page("GET", "s/<str:token>/", everyone(404), path="/s/NoSuchTokenNoSuchTokenNoSuch/"),
    page("GET", "u/<str:token>/", everyone(404), path="/u/NoSuchTokenNoSuchTokenNoSuch/"),
    # A project that does not exist: the same answers as a members-only one.
    page("GET", PROJECT, everyone(404), path="/projects/no-such-project/"),
    page(
        "POST",
        f"{PROJECT}update/",
        signed_in(404),
        path="/projects/no-such-project/update/",
        body={"title": "Renamed", "visibility": "public", "status": "active"},
    ),
]

# The notification centre: one's own notifications and settings; a watch is for what one sees.
SETTINGS_FORM = {kind: "immediate" for kind in Kind.values} | {
    "version_added": "off",
    "comment_added": "digest",
    "permission_changed": "digest",
    "share_link_used": "digest",
    "upload_link_received": "digest",
    "saved_search_daily": "digest",
}
PAGES += [
    page("GET", "notifications/", signed_in(200)),
    page(
        "POST",
        "notifications/<int:notification_id>/read/",
        signed_in(404),
        path="/notifications/2147483647/read/",
    ),
    page("POST", "notifications/read-all/", signed_in(302)),
    page("GET", "notifications/settings/", signed_in(200)),
    page("POST", "notifications/settings/", signed_in(302), body=SETTINGS_FORM),
    page(
        "POST",
        "watch/",
        expect(SIGN_IN, 404, 302, 302, 302, 404),
        body=lambda w: {
            "target_type": "document",
            "target_id": w.documents["members_plan"].pk,
            "watch": "on",
        },
    ),
]
