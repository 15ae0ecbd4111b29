"""VoteResult equals the aggregate of the votes under parallel voting on separate connections."""

import threading
from decimal import Decimal

import pytest
from django.db import close_old_connections, connection
from django.db.models import Count, Sum

from konnaxion.ekoh.services.expertise import ethics_score_set
from konnaxion.smart_vote.models import Vote, VoteResult
from konnaxion.smart_vote.services.voting import vote_cast
from konnaxion.smart_vote.tests.factories import IntegrationMappingFactory
from konnaxion.users.tests.factories import UserFactory

VOTERS = 12


def run_in_threads(actions) -> list[BaseException]:
    """Run every action at once, each in its own thread with its own database connection."""
    barrier = threading.Barrier(len(actions))
    errors: list[BaseException] = []

    def run(action):
        try:
            barrier.wait()
            action()
        except BaseException as error:  # reported to the test below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(action,)) for action in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    close_old_connections()
    return errors


@pytest.mark.django_db(transaction=True)
def test_result_equals_the_votes_under_parallel_voting():
    # given voters with different weights on a rating target
    IntegrationMappingFactory(
        module_name="ethikos", context_type="claim", mapping_details={"modality": "rating"}
    )
    voters = [UserFactory() for _ in range(VOTERS)]
    for index, voter in enumerate(voters):
        ethics_score_set(user=voter, ethical_score=Decimal("0.5") + Decimal(index) / 20)

    def cast(voter, value):
        return lambda: vote_cast(
            user=voter, target_type="ethikos.claim", target_id="42", raw_value=value
        )

    # when every voter votes at once, then half of them change their vote at once
    assert run_in_threads([cast(v, 1 + i % 5) for i, v in enumerate(voters)]) == []
    assert run_in_threads([cast(v, 5) for v in voters[::2]]) == []

    # then the stored result is exactly the aggregate of the stored votes
    result = VoteResult.objects.get(target_type="ethikos.claim", target_id="42")
    votes = Vote.objects.filter(target_type="ethikos.claim", target_id="42")
    aggregate = votes.aggregate(total=Sum("weighted_value"), weights=Sum("weight"), n=Count("id"))
    assert result.vote_count == aggregate["n"] == VOTERS
    assert result.sum_weighted_value == aggregate["total"]
    assert result.sum_weight == aggregate["weights"]
    expected = sum(
        (Decimal(5 if i % 2 == 0 else 1 + i % 5) * (Decimal("0.5") + Decimal(i) / 20))
        for i in range(VOTERS)
    )
    assert result.sum_weighted_value == expected.quantize(Decimal("0.001"))
