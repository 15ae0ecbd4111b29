"""Demo applications: the "Small works salon" takes applications here, with entries in every
state, a jury of two and a first (blind) round already scored."""

from __future__ import annotations

from konnaxion.kreative.models import KreativeArtwork, Opportunity
from konnaxion.kreative.services.opportunity_announcement import opportunity_update
from konnaxion.kreative.services.opportunity_applications import (
    application_create,
    application_fee_set,
    application_submit,
    application_withdraw,
    opportunity_questions_set,
)
from konnaxion.kreative.services.opportunity_review import (
    application_shortlist,
    juror_invite,
    round_create,
    scores_set,
)
from konnaxion.users.models import User

SALON = "Small works salon"
# Who applies, with what statement; the first three are submitted, the last stays a draft.
APPLICANTS = (
    ("noor", "Three miniature landscapes in gouache, each 20 cm wide."),
    ("kenji", "A series of small woodcuts of harbour cranes."),
    ("amara", "Tiny ceramic vessels, glazed in the colours of the coast."),
    ("marta", "Small studies for the market hall mural."),
    ("priya", "An illustrated concertina book, closed it is 15 cm."),
)


def demo_applications_load(*, people: list[User], admin: User) -> None:
    """Applications to the demo salon in several states, one round and its scores."""
    by_name = {person.username: person for person in people}
    salon = Opportunity.objects.filter(title=SALON, posted_by=by_name.get("lucia")).first()
    if salon is None:
        return
    poster = salon.posted_by
    salon = opportunity_update(opportunity=salon, actor=poster, accepts_applications=True)
    questions = opportunity_questions_set(
        opportunity=salon,
        actor=poster,
        questions=[
            {"label": "Sizes of the works (cm)", "kind": "text", "required": True},
            {"label": "Can you deliver?", "kind": "choice", "options": ["Yes", "No"]},
        ],
    )
    applications = []
    for username, statement in APPLICANTS:
        person = by_name.get(username)
        if person is None:
            continue
        works = KreativeArtwork.objects.filter(artist=person).order_by("id")[:2]
        applications.append(
            application_create(
                opportunity=salon,
                applicant=person,
                statement=statement,
                artworks=[work.pk for work in works],
                answers={questions[0].pk: "20 x 15", questions[1].pk: "Yes"},
            )
        )
    submitted = [
        application_submit(application=application, actor=application.applicant)
        for application in applications[:4]
    ]
    application_fee_set(application=submitted[0], actor=poster, fee_status="paid")
    application_fee_set(application=submitted[1], actor=poster, fee_status="waived")
    jurors = [by_name["ines"], admin]
    for juror in jurors:
        juror_invite(opportunity=salon, actor=poster, user=juror)
    application_withdraw(application=submitted[3], actor=submitted[3].applicant)
    round_ = round_create(
        opportunity=salon,
        actor=poster,
        name="First look",
        blind=True,
        criteria=[{"label": "Craft", "weight": 2}, {"label": "Fit with the show", "weight": 1}],
    )
    craft, fit = round_.criteria.order_by("order")
    for juror, values in zip(jurors, ((5, 4, 3), (4, 4, 2)), strict=True):
        for application, value in zip(submitted[:3], values, strict=True):
            scores_set(
                application=application,
                juror=juror,
                scores=[
                    {"criterion": craft.pk, "value": value, "comment": ""},
                    {"criterion": fit.pk, "value": max(1, value - 1), "comment": ""},
                ],
            )
    application_shortlist(application=submitted[0], actor=poster)
