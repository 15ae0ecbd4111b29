"""vote_cast: declared targets only, checked by modality, weighted by EkoH, replaced on re-vote."""

from decimal import Decimal

import pytest

from konnaxion.core.errors import NotFound, ValidationFailed
from konnaxion.ekoh.services.expertise import ethics_score_set, expertise_score_set
from konnaxion.ekoh.tests.factories import category
from konnaxion.keenkonnect.models import Project
from konnaxion.keenkonnect.tests.factories import project_for
from konnaxion.smart_vote.models import Vote, VoteModality, VoteResult
from konnaxion.smart_vote.services.voting import vote_cast
from konnaxion.smart_vote.tests.factories import IntegrationMappingFactory
from konnaxion.users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def rated_projects():
    """keenKonnect projects are rated 1-5 and weighted in their own category."""
    return IntegrationMappingFactory(
        module_name="keenkonnect",
        context_type="project",
        mapping_details={
            "model": "keenkonnect.Project",
            "modality": "rating",
            "category_field": "category",
        },
    )


def test_weighted_value_is_raw_value_times_the_voter_weight_in_the_target_domain(rated_projects):
    # given an ICT project and a voter with ICT expertise (80 x 1.5 x 1.2 = 144) and ethics 1.2
    project = project_for(category=category("061"))
    voter = UserFactory()
    ethics_score_set(user=voter, ethical_score="1.2")
    expertise_score_set(user=voter, category=category("061"), raw_score=80, reason="r")
    # when
    vote = vote_cast(
        user=voter, target_type="keenkonnect.project", target_id=project.pk, raw_value=4
    )
    # then weight = 1.2 + 144 / 100 = 2.64; weighted = 4 x 2.64
    assert vote.raw_value == 4
    assert vote.weight == Decimal("2.640")
    assert vote.weighted_value == Decimal("10.560")


def test_without_expertise_the_weight_is_the_ethics_multiplier(rated_projects):
    project = project_for(category=category("061"))
    voter = UserFactory()
    ethics_score_set(user=voter, ethical_score="0.5")
    vote = vote_cast(
        user=voter, target_type="keenkonnect.project", target_id=project.pk, raw_value=4
    )
    assert vote.weighted_value == Decimal("2.000")


def test_voting_again_replaces_the_vote_and_the_result_follows(rated_projects):
    # given
    project = project_for()
    voter, other = UserFactory(), UserFactory()
    vote_cast(user=voter, target_type="keenkonnect.project", target_id=project.pk, raw_value=2)
    vote_cast(user=other, target_type="keenkonnect.project", target_id=project.pk, raw_value=5)
    # when
    vote_cast(user=voter, target_type="keenkonnect.project", target_id=project.pk, raw_value=4)
    # then
    assert Vote.objects.filter(user=voter).count() == 1
    result = VoteResult.objects.get(target_type="keenkonnect.project", target_id=str(project.pk))
    assert (result.vote_count, result.sum_weighted_value) == (2, Decimal("9.000"))


def test_an_undeclared_target_type_is_refused():
    with pytest.raises(ValidationFailed) as error:
        vote_cast(user=UserFactory(), target_type="nowhere.thing", target_id=1, raw_value=1)
    assert error.value.code == "unknown_target_type"
    assert not Vote.objects.exists() and not VoteResult.objects.exists()


def test_a_missing_target_is_not_found(rated_projects):
    with pytest.raises(NotFound):
        vote_cast(
            user=UserFactory(), target_type="keenkonnect.project", target_id=999999, raw_value=3
        )
    with pytest.raises(NotFound):
        vote_cast(user=UserFactory(), target_type="keenkonnect.project", target_id="x", raw_value=3)
    assert not VoteResult.objects.exists()


def test_a_modality_other_than_the_declared_one_is_refused(rated_projects):
    project = project_for()
    with pytest.raises(ValidationFailed) as error:
        vote_cast(
            user=UserFactory(),
            target_type="keenkonnect.project",
            target_id=project.pk,
            raw_value=1,
            modality="approval",
        )
    assert error.value.code == "wrong_modality"


def test_a_fixed_category_in_the_mapping_weights_every_target():
    # given
    IntegrationMappingFactory(
        module_name="ethikos", context_type="law_topic", mapping_details={"category": "042"}
    )
    lawyer = UserFactory()
    expertise_score_set(user=lawyer, category=category("042"), raw_score=100, reason="r")
    # when approval 1 with weight 1 + 150/100
    vote = vote_cast(user=lawyer, target_type="ethikos.law_topic", target_id="t-1", raw_value=1)
    # then
    assert vote.weighted_value == Decimal("2.500")


def test_ranking_ballots_are_tallied_by_borda_points_times_weight():
    # given
    IntegrationMappingFactory(
        module_name="ethikos", context_type="options", mapping_details={"modality": "ranking"}
    )
    first, second = UserFactory(), UserFactory()
    ethics_score_set(user=second, ethical_score="0.5")
    # when
    vote_cast(user=first, target_type="ethikos.options", target_id="q", raw_value=["a", "b", "c"])
    vote_cast(user=second, target_type="ethikos.options", target_id="q", raw_value=["c", "a"])
    # then a: 3x1 + 1x0.5, b: 2x1, c: 1x1 + 2x0.5
    result = VoteResult.objects.get(target_type="ethikos.options", target_id="q")
    assert result.tallies == {"a": "3.500", "b": "2.000", "c": "2.000"}
    assert result.vote_count == 2
    assert result.sum_weight == Decimal("1.500")


def test_modalities_are_seeded_with_their_parameters():
    assert VoteModality.objects.get(name="rating").parameters == {"min": 1, "max": 5}


def test_nobody_votes_on_a_target_they_may_not_see(rated_projects):
    # given a members-only project and a voter outside its team
    project = project_for(visibility=Project.Visibility.MEMBERS)
    outsider = UserFactory()
    # when / then it is as if the project did not exist, and nothing is recorded
    with pytest.raises(NotFound):
        vote_cast(
            user=outsider, target_type="keenkonnect.project", target_id=project.pk, raw_value=4
        )
    assert not Vote.objects.filter(target_id=str(project.pk)).exists()
    assert not VoteResult.objects.filter(target_id=str(project.pk)).exists()
