"""Applications and juries: an application is its applicant's; the poster sees it once submitted;
jurors while it is in a round; anyone else gets a 404.

`apps_poster` posts a call taking applications; `apps_applicant` submitted an application with
an artwork and a PDF attachment, now in the first round; `apps_juror` sits on the jury;
`stranger` is any other signed-in user.
"""

from konnaxion.users.tests.factories import UserFactory
from tests.security.matrix import World, row
from tests.security.matrix.core import api_client_for

C = "api/connect/"
PK = r"(?P<pk>\d+)"
APPLICATION = "/api/connect/applications/{w.application.pk}/"
CALL = "/api/connect/opportunities/{w.call.pk}/"
# Anyone outside an application or a call's review: nothing to see. The questions once
# applications came in (409 questions_locked) and a round with nothing left to review (409
# nothing_to_review) are refusals of the state, not of the caller.
OUT = {"anonymous": 401, "stranger": 404}


def world_setup(world: World) -> None:
    from konnaxion.keenkonnect.tests.files import incoming_file, pdf_bytes
    from konnaxion.kreative.services.opportunity_applications import (
        application_create,
        application_submit,
    )
    from konnaxion.kreative.services.opportunity_review import juror_invite, round_create
    from konnaxion.kreative.tests.applications import applicant_with_artworks, call_for

    poster = world.users["apps_poster"] = UserFactory(username="apps-poster")
    juror = world.users["apps_juror"] = UserFactory(username="apps-juror")
    applicant, artworks = applicant_with_artworks(count=1)
    world.users["apps_applicant"] = applicant
    world.call = call_for(poster=poster)
    draft = application_create(
        opportunity=world.call,
        applicant=applicant,
        statement="Small etchings.",
        artworks=[artworks[0].pk],
        attachments=[incoming_file(pdf_bytes("CV"), name="cv.pdf")],
    )
    world.application = application_submit(application=draft, actor=applicant)
    world.application_artwork = artworks[0]
    world.application_attachment = world.application.attachments.get()
    juror_invite(opportunity=world.call, actor=poster, user=juror)
    world.review_round = round_create(
        opportunity=world.call,
        actor=poster,
        name="First round",
        criteria=[{"label": "Craft", "weight": 1}],
    )
    world.criterion = world.review_round.criteria.get()


CALLERS = {
    "apps_poster": lambda world: api_client_for(world.users["apps_poster"]),
    "apps_applicant": lambda world: api_client_for(world.users["apps_applicant"]),
    "apps_juror": lambda world: api_client_for(world.users["apps_juror"]),
}


def _scores(world: World) -> dict:
    return {"scores": [{"criterion": world.criterion.pk, "value": 4}]}


ROWS = [
    # The applicant's own applications (drafts included).
    row(
        "GET",
        f"{C}^applications/$",
        {**OUT, "stranger": 200, "apps_applicant": 200},
        path="/api/connect/applications/",
    ),
    row(
        "GET",
        f"{C}^applications/{PK}/$",
        {**OUT, "apps_applicant": 200, "apps_poster": 200, "apps_juror": 200},
        path=APPLICATION,
    ),
    row(
        "PATCH",
        f"{C}^applications/{PK}/$",
        {**OUT, "apps_applicant": 409, "apps_poster": 404, "apps_juror": 404},
        path=APPLICATION,
        body={"statement": "Changed."},
    ),
    row(
        "DELETE",
        f"{C}^applications/{PK}/$",
        {**OUT, "apps_applicant": 409, "apps_poster": 404, "apps_juror": 404},
        path=APPLICATION,
    ),
    row(
        "GET",
        f"{C}^applications/{PK}/artworks/(?P<artwork_id>\\d+)/media/$",
        {**OUT, "apps_applicant": 200, "apps_poster": 200, "apps_juror": 200},
        path=lambda w: (
            f"/api/connect/applications/{w.application.pk}/artworks/"
            f"{w.application_artwork.pk}/media/"
        ),
    ),
    row(
        "POST",
        f"{C}^applications/{PK}/attachments/$",
        {**OUT, "apps_applicant": 409, "apps_poster": 404, "apps_juror": 404},
        path=APPLICATION + "attachments/",
    ),
    row(
        "GET",
        f"{C}^applications/{PK}/attachments/(?P<attachment_id>\\d+)/$",
        {**OUT, "apps_applicant": 200, "apps_poster": 200, "apps_juror": 200},
        path=lambda w: (
            f"/api/connect/applications/{w.application.pk}/attachments/"
            f"{w.application_attachment.pk}/"
        ),
    ),
    row(
        "DELETE",
        f"{C}^applications/{PK}/attachments/(?P<attachment_id>\\d+)/$",
        {**OUT, "apps_applicant": 409, "apps_poster": 404, "apps_juror": 404},
        path=lambda w: (
            f"/api/connect/applications/{w.application.pk}/attachments/"
            f"{w.application_attachment.pk}/"
        ),
    ),
    row(
        "POST",
        f"{C}^applications/{PK}/submit/$",
        {**OUT, "apps_applicant": 409, "apps_poster": 404, "apps_juror": 404},
        path=APPLICATION + "submit/",
    ),
    row(
        "POST",
        f"{C}^applications/{PK}/withdraw/$",
        {**OUT, "apps_applicant": 200, "apps_poster": 404, "apps_juror": 404},
        path=APPLICATION + "withdraw/",
    ),
    # The poster's decisions and the jurors' scores.
    row(
        "POST",
        f"{C}^applications/{PK}/fee/$",
        {**OUT, "apps_applicant": 403, "apps_poster": 200, "apps_juror": 403},
        path=APPLICATION + "fee/",
        body={"fee_status": "paid"},
    ),
    row(
        "POST",
        f"{C}^applications/{PK}/shortlist/$",
        {**OUT, "apps_applicant": 403, "apps_poster": 200, "apps_juror": 403},
        path=APPLICATION + "shortlist/",
    ),
    row(
        "POST",
        f"{C}^applications/{PK}/decide/$",
        {**OUT, "apps_applicant": 403, "apps_poster": 200, "apps_juror": 403},
        path=APPLICATION + "decide/",
        body={"decision": "accepted"},
    ),
    row(
        "GET",
        f"{C}^applications/{PK}/scores/$",
        # the applicant reads no score: an empty list
        {**OUT, "apps_applicant": 200, "apps_poster": 200, "apps_juror": 200},
        path=APPLICATION + "scores/",
    ),
    row(
        "PUT",
        f"{C}^applications/{PK}/scores/$",
        {**OUT, "apps_applicant": 404, "apps_poster": 404, "apps_juror": 200},
        path=APPLICATION + "scores/",
        body=_scores,
    ),
    # One call's applications, questions, jury and rounds.
    row(
        "GET",
        f"{C}opportunities/<int:pk>/applications/",
        {**OUT, "apps_applicant": 404, "apps_poster": 200, "apps_juror": 200},
        path=CALL + "applications/",
    ),
    row(
        "POST",
        f"{C}opportunities/<int:pk>/applications/",
        {**OUT, "stranger": 201, "apps_applicant": 409, "apps_poster": 403, "apps_juror": 201},
        path=CALL + "applications/",
        body={"statement": "Mine."},
    ),
    row(
        "GET",
        f"{C}opportunities/<int:pk>/applications/scores.csv",
        {**OUT, "apps_applicant": 404, "apps_poster": 200, "apps_juror": 200},
        path=CALL + "applications/scores.csv",
    ),
    row(
        "GET",
        f"{C}opportunities/<int:pk>/questions/",
        {**OUT, "stranger": 200, "apps_applicant": 200, "apps_poster": 200, "apps_juror": 200},
        path=CALL + "questions/",
    ),
    row(
        "PUT",
        f"{C}opportunities/<int:pk>/questions/",
        {**OUT, "apps_applicant": 404, "apps_poster": 409, "apps_juror": 403},
        path=CALL + "questions/",
        body={"questions": [{"label": "Sizes?", "kind": "text"}]},
    ),
    row(
        "GET",
        f"{C}opportunities/<int:pk>/jurors/",
        {**OUT, "apps_applicant": 404, "apps_poster": 200, "apps_juror": 403},
        path=CALL + "jurors/",
    ),
    row(
        "POST",
        f"{C}opportunities/<int:pk>/jurors/",
        {**OUT, "apps_applicant": 404, "apps_poster": 201, "apps_juror": 403},
        path=CALL + "jurors/",
        body=lambda w: {"username": w.users["stranger"].username},
    ),
    row(
        "DELETE",
        f"{C}opportunities/<int:pk>/jurors/<str:username>/",
        {**OUT, "apps_applicant": 404, "apps_poster": 204, "apps_juror": 403},
        path=CALL + "jurors/apps-juror/",
    ),
    row(
        "GET",
        f"{C}opportunities/<int:pk>/rounds/",
        {**OUT, "apps_applicant": 404, "apps_poster": 200, "apps_juror": 200},
        path=CALL + "rounds/",
    ),
    row(
        "POST",
        f"{C}opportunities/<int:pk>/rounds/",
        {**OUT, "apps_applicant": 404, "apps_poster": 409, "apps_juror": 403},
        path=CALL + "rounds/",
        body={"name": "Second", "criteria": [{"label": "Fit", "weight": 1}]},
    ),
]
