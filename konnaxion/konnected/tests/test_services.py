from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.utils import timezone

from konnaxion.core.errors import Conflict, PermissionDenied, ValidationFailed
from konnaxion.konnected.models import CoCreationContribution, Evaluation, PeerValidation
from konnaxion.konnected.services.certification import evaluation_submit, peer_validation_record
from konnaxion.konnected.services.cocreation import contribution_review, contribution_submit
from konnaxion.konnected.tests.factories import (
    QUIZ,
    CertificationPathFactory,
    CoCreationProjectFactory,
    EvaluationFactory,
)
from konnaxion.users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db
RIGHT = [question["answer"] for question in QUIZ]


def _answers(right: int) -> list[int]:
    return RIGHT[:right] + [(answer + 1) % 3 for answer in RIGHT[right:]]


@pytest.mark.parametrize(("right", "passed"), [(8, True), (10, True), (7, False), (0, False)])
def test_evaluation_passes_at_cert_pass_percent(right, passed):
    # given
    assert settings.CERT_PASS_PERCENT == 80
    path, user = CertificationPathFactory(), UserFactory()
    # when
    evaluation = evaluation_submit(user=user, path=path, answers=_answers(right))
    # then
    assert evaluation.raw_score == Decimal(right * 10)
    assert evaluation.passed is passed


def test_a_retry_within_the_cooldown_is_refused_and_allowed_after():
    # given
    path, user = CertificationPathFactory(), UserFactory()
    first = evaluation_submit(user=user, path=path, answers=_answers(5))
    # when / then
    with pytest.raises(Conflict) as refused:
        evaluation_submit(user=user, path=path, answers=_answers(10))
    assert refused.value.code == "retry_cooldown"
    assert Evaluation.objects.count() == 1
    # given the cooldown has passed
    Evaluation.objects.filter(pk=first.pk).update(
        created_at=timezone.now() - timedelta(minutes=settings.QUIZ_RETRY_COOLDOWN_MIN, seconds=1)
    )
    # when
    second = evaluation_submit(user=user, path=path, answers=_answers(10))
    # then
    assert second.passed and Evaluation.objects.count() == 2


def test_answers_must_match_the_quiz_length():
    with pytest.raises(ValidationFailed):
        evaluation_submit(user=UserFactory(), path=CertificationPathFactory(), answers=[0])
    assert not Evaluation.objects.exists()


def test_peer_validation_by_the_evaluated_user_is_refused():
    # given
    evaluation = EvaluationFactory()
    # when / then
    with pytest.raises(ValidationFailed):
        peer_validation_record(evaluation=evaluation, peer=evaluation.user, decision="approved")
    assert not PeerValidation.objects.exists()


def test_a_peer_validates_once():
    # given
    evaluation, peer = EvaluationFactory(), UserFactory()
    peer_validation_record(evaluation=evaluation, peer=peer, decision="rejected")
    # when / then
    with pytest.raises(Conflict):
        peer_validation_record(evaluation=evaluation, peer=peer, decision="approved")
    assert PeerValidation.objects.get().decision == "rejected"


def test_at_most_max_contribution_drafts_pending_per_user():
    # given
    user = UserFactory()
    projects = CoCreationProjectFactory.create_batch(2)
    for index in range(settings.MAX_CONTRIBUTION_DRAFTS):
        contribution_submit(project=projects[index % 2], user=user, content=f"draft {index}")
    # when / then
    with pytest.raises(Conflict) as refused:
        contribution_submit(project=projects[0], user=user, content="one too many")
    assert refused.value.code == "too_many_pending_contributions"
    # when one is reviewed, a slot frees up
    pending = CoCreationContribution.objects.filter(project=projects[0]).first()
    contribution_review(contribution=pending, actor=projects[0].owner, status="accepted")
    contribution_submit(project=projects[0], user=user, content="now it fits")
    assert CoCreationContribution.objects.filter(user=user, status="pending").count() == 10


def test_only_the_owner_reviews_and_archived_projects_take_no_contribution():
    # given
    project = CoCreationProjectFactory()
    contribution = contribution_submit(project=project, user=UserFactory(), content="x")
    # when / then
    with pytest.raises(PermissionDenied):
        contribution_review(contribution=contribution, actor=UserFactory(), status="accepted")
    project.status = "archived"
    project.save()
    with pytest.raises(Conflict):
        contribution_submit(project=project, user=UserFactory(), content="y")
