from datetime import timedelta

import pytest
from django.utils import timezone

from konnaxion.keenkonnect.models import Project
from konnaxion.keenkonnect.services.team import project_member_add
from konnaxion.keenkonnect.tests.factories import project_for
from konnaxion.kreative.models import Endorsement
from konnaxion.kreative.services.partner_recommendation import (
    AlreadyEndorsed,
    NotEligible,
    WindowClosed,
    endorsement_create,
    endorsement_reply,
    endorsement_update,
    endorsements_publish_due,
)
from konnaxion.kreative.services.professional_profile import block_create
from konnaxion.kreative.tests.factories import ended_session, profile_for
from konnaxion.users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair():
    return UserFactory(), UserFactory()


def test_an_outsider_of_the_session_is_not_eligible(pair):
    # given
    author, subject = pair
    session = ended_session(host=subject, participants=[])
    # when / then
    with pytest.raises(NotEligible) as refused:
        endorsement_create(author=author, subject=subject, session=session, rating=5)
    assert refused.value.code == "not_eligible"
    assert Endorsement.objects.count() == 0


def test_a_session_still_running_is_not_eligible(pair):
    # given
    author, subject = pair
    session = ended_session(host=author, participants=[subject])
    type(session).objects.filter(pk=session.pk).update(ended_at=None)
    session.refresh_from_db()
    # when / then
    with pytest.raises(NotEligible):
        endorsement_create(author=author, subject=subject, session=session, rating=4)


def test_oneself_and_blocked_users_are_not_eligible(pair):
    # given
    author, subject = pair
    session = ended_session(host=author, participants=[subject])
    block_create(blocker=subject, blocked=author)
    # when / then
    for target in (author, subject):
        with pytest.raises(NotEligible):
            endorsement_create(author=author, subject=target, session=session, rating=4)
    assert Endorsement.objects.count() == 0


def test_only_a_completed_project_both_were_on_qualifies(pair):
    # given
    author, subject = pair
    project = project_for(creator=author, status=Project.Status.ACTIVE)
    project_member_add(project=project, actor=author, user=subject)
    # when / then: still active
    with pytest.raises(NotEligible):
        endorsement_create(author=author, subject=subject, project=project, rating=4)
    Project.objects.filter(pk=project.pk).update(status=Project.Status.COMPLETED)
    project.refresh_from_db()
    endorsement = endorsement_create(author=author, subject=subject, project=project, rating=4)
    assert endorsement.project_id == project.pk
    assert endorsement.published_at is None


def test_one_endorsement_per_engagement(pair):
    # given
    author, subject = pair
    session = ended_session(host=author, participants=[subject])
    endorsement_create(author=author, subject=subject, session=session, rating=5)
    # when / then
    with pytest.raises(AlreadyEndorsed) as refused:
        endorsement_create(author=author, subject=subject, session=session, rating=1)
    assert refused.value.code == "already_endorsed"
    assert Endorsement.objects.get().rating == 5


def test_the_window_closes_thirty_days_after_the_engagement(pair):
    # given
    author, subject = pair
    session = ended_session(host=author, participants=[subject], ended_days_ago=31)
    # when / then
    with pytest.raises(WindowClosed) as refused:
        endorsement_create(author=author, subject=subject, session=session, rating=5)
    assert refused.value.code == "window_closed"
    assert Endorsement.objects.count() == 0


def test_endorsed_skills_must_be_the_subjects(pair):
    # given
    author, subject = pair
    profile_for(subject, skills=["Etching", "Lithography"])
    session = ended_session(host=author, participants=[subject])
    # when
    endorsement = endorsement_create(
        author=author, subject=subject, session=session, rating=5, skills=["etching"]
    )
    # then
    assert [tag.name for tag in endorsement.skills.all()] == ["Etching"]
    with pytest.raises(Exception) as refused:
        endorsement_update(endorsement=endorsement, actor=author, skills=["Welding"])
    assert refused.value.code == "invalid"


def test_double_blind_second_endorsement_publishes_both(pair):
    # given
    author, subject = pair
    session = ended_session(host=author, participants=[subject])
    first = endorsement_create(author=author, subject=subject, session=session, rating=5)
    assert first.published_at is None
    # when
    second = endorsement_create(author=subject, subject=author, session=session, rating=3)
    # then
    first.refresh_from_db()
    assert first.published_at is not None
    assert second.published_at == first.published_at


def test_double_blind_publish_task_after_fourteen_days(pair):
    # given: a controlled clock, the engagement ended 1 day before "now"
    author, subject = pair
    session = ended_session(host=author, participants=[subject], ended_days_ago=1)
    endorsement = endorsement_create(author=author, subject=subject, session=session, rating=4)
    # when: 12 days later, then 14 days after the end
    early = endorsements_publish_due(now=timezone.now() + timedelta(days=12))
    endorsement.refresh_from_db()
    hidden_after_twelve = endorsement.published_at
    late = endorsements_publish_due(now=timezone.now() + timedelta(days=13, minutes=1))
    # then
    endorsement.refresh_from_db()
    assert (early, hidden_after_twelve) == (0, None)
    assert late == 1
    assert endorsement.published_at is not None
    assert endorsements_publish_due(now=timezone.now() + timedelta(days=20)) == 0


def test_author_edits_until_published_and_subject_replies_once(pair):
    # given
    author, subject = pair
    session = ended_session(host=author, participants=[subject])
    endorsement = endorsement_create(author=author, subject=subject, session=session, rating=2)
    # when
    endorsement_update(endorsement=endorsement, actor=author, rating=4, comment="Reliable")
    with pytest.raises(Exception) as hidden:
        endorsement_reply(endorsement=endorsement, actor=subject, reply="Thanks")
    endorsements_publish_due(now=timezone.now() + timedelta(days=14))
    endorsement_reply(endorsement=endorsement, actor=subject, reply="Thanks")
    # then
    endorsement.refresh_from_db()
    assert (endorsement.rating, endorsement.comment, endorsement.reply) == (4, "Reliable", "Thanks")
    assert hidden.value.status == 404
    with pytest.raises(Exception) as edited:
        endorsement_update(endorsement=endorsement, actor=author, rating=1)
    assert edited.value.code == "already_published"
    with pytest.raises(Exception) as again:
        endorsement_reply(endorsement=endorsement, actor=subject, reply="Again")
    assert again.value.code == "already_replied"
