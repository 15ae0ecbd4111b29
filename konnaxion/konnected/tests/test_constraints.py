"""The database itself refuses what KonnectED forbids."""

import pytest
from django.db import IntegrityError, transaction

from konnaxion.konnected.models import (
    CoCreationProject,
    KnowledgeResource,
    LearningProgress,
    PeerValidation,
)
from konnaxion.konnected.tests.factories import EvaluationFactory, KnowledgeResourceFactory
from konnaxion.users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_peer_validation_of_ones_own_evaluation_is_refused():
    # given
    evaluation = EvaluationFactory()
    # when / then
    with pytest.raises(IntegrityError), transaction.atomic():
        PeerValidation.objects.create(
            evaluation=evaluation,
            evaluated_user=evaluation.user,
            peer=evaluation.user,
            decision="approved",
        )


def test_evaluated_user_must_be_the_evaluations_user():
    # given: a peer pretending the evaluation is someone else's
    evaluation, peer = EvaluationFactory(), UserFactory()
    # when / then
    with pytest.raises(IntegrityError), transaction.atomic():
        PeerValidation.objects.create(
            evaluation=evaluation, evaluated_user=peer, peer=evaluation.user, decision="approved"
        )
    assert not PeerValidation.objects.exists()


def test_peer_validation_decision_is_approved_or_rejected():
    # given
    evaluation = EvaluationFactory()
    # when / then
    with pytest.raises(IntegrityError), transaction.atomic():
        PeerValidation.objects.create(
            evaluation=evaluation,
            evaluated_user=evaluation.user,
            peer=UserFactory(),
            decision="maybe",
        )


@pytest.mark.parametrize("percent", [-1, 101])
def test_learning_progress_is_0_to_100(percent):
    with pytest.raises(IntegrityError), transaction.atomic():
        LearningProgress.objects.create(
            user=UserFactory(), resource=KnowledgeResourceFactory(), progress_percent=percent
        )


def test_learning_progress_is_unique_per_user_and_resource():
    # given
    user, resource = UserFactory(), KnowledgeResourceFactory()
    LearningProgress.objects.create(user=user, resource=resource, progress_percent=10)
    # when / then
    with pytest.raises(IntegrityError), transaction.atomic():
        LearningProgress.objects.create(user=user, resource=resource, progress_percent=20)


def test_resource_type_and_project_status_are_checked():
    with pytest.raises(IntegrityError), transaction.atomic():
        KnowledgeResource.objects.create(title="x", type="course", url="https://example.org")
    with pytest.raises(IntegrityError), transaction.atomic():
        CoCreationProject.objects.create(title="x", owner=UserFactory(), status="done")
