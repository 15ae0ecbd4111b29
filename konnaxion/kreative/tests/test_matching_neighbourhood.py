"""The database-backed neighbourhood of one viewer: capped candidates and cached statistics."""

import pytest
from django.core.cache import cache

from konnaxion.kreative.matching import rank
from konnaxion.kreative.matching.neighbourhood import neighbourhood_index
from konnaxion.kreative.matching.statistics import STATISTICS_CACHE_KEY, population_statistics
from konnaxion.kreative.services.artworks import artwork_update
from konnaxion.kreative.services.professional_profile import (
    block_create,
    follow_create,
    profile_update,
)
from konnaxion.kreative.tests.factories import KreativeArtworkFactory, profile_for
from konnaxion.tags.models import Tag
from konnaxion.users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db
NOTHING = frozenset()


def person(username: str, skills=(), **fields):
    user = UserFactory(username=username)
    profile_for(user=user, skills=list(skills), **fields)
    return user


def candidates(viewer, limit=None) -> set[str]:
    index = neighbourhood_index(viewer_id=viewer.pk, signals=NOTHING, limit=limit)
    return {index.usernames[user_id] for user_id in index.usernames if user_id != viewer.pk}


@pytest.fixture
def cached_statistics(settings):
    settings.SUGGESTION_STATISTICS_SECONDS = 600
    cache.delete(STATISTICS_CACHE_KEY)
    yield
    cache.delete(STATISTICS_CACHE_KEY)


def tag_id(name: str) -> int:
    return Tag.objects.get(name=name).pk


def test_the_cap_keeps_the_people_with_the_best_score_bound():
    # given: "ada" shares two rare skills, "bob" one, "cy" a common one
    viewer = person("viewer", skills=["etching", "cyanotype", "paint"])
    person("ada", skills=["etching", "cyanotype"])
    person("bob", skills=["etching"])
    person("cy", skills=["paint"])
    for number in range(6):
        person(f"painter{number}", skills=["paint"])
    # when
    kept = candidates(viewer, limit=2)
    # then
    assert kept == {"ada", "bob"}


def test_excluded_people_take_no_place_under_the_cap():
    # given: the two best matches are blocked and hidden
    viewer = person("viewer", skills=["etching", "cyanotype"])
    blocked = person("blocked", skills=["etching", "cyanotype"])
    person("hidden", skills=["etching", "cyanotype"], visibility="hidden")
    person("quiet", skills=["etching", "cyanotype"], discoverable=False)
    person("kept", skills=["etching"])
    block_create(blocker=blocked, blocked=viewer)
    # when
    kept = candidates(viewer, limit=1)
    # then
    assert kept == {"kept"}


def test_a_generous_cap_ranks_like_no_cap():
    # given: tags, a friend of a friend and a follower
    viewer = person("viewer", skills=["etching", "weaving"])
    friend = person("friend", skills=["pottery"])
    follow_create(follower=viewer, followee=friend)
    for number in range(12):
        other = person(f"p{number}", skills=["etching"] if number % 2 else ["weaving", "clay"])
        if number % 3 == 0:
            follow_create(follower=friend, followee=other)
        if number % 4 == 0:
            follow_create(follower=other, followee=viewer)

    def ranked(limit):
        index = neighbourhood_index(viewer_id=viewer.pk, signals=NOTHING, limit=limit)
        ranking = rank(viewer=viewer.pk, index=index, top_n=4)
        return [(item.username, item.score, item.reasons) for item in ranking]

    # when / then: twice as many candidates as shown, against all 13
    assert ranked(limit=8) == ranked(limit=1_000)


def test_statistics_are_cached_until_skills_change(
    cached_statistics, django_capture_on_commit_callbacks
):
    # given: statistics computed once, then a skill row added behind the services' back
    ada = person("ada", skills=["etching"])
    assert population_statistics()["tag_frequencies"] == {tag_id("etching"): 1}
    noor = person("noor")
    noor.professional_profile.skills.add(tag_id("etching"))
    assert population_statistics()["tag_frequencies"] == {tag_id("etching"): 1}
    # when: a profile's skills change through the service
    with django_capture_on_commit_callbacks(execute=True):
        profile_update(user=ada, skills=["etching", "weaving"])
    # then: the next read computes them again
    assert population_statistics()["tag_frequencies"] == {
        tag_id("etching"): 2,
        tag_id("weaving"): 1,
    }


def test_statistics_are_dropped_when_artwork_tags_change(
    cached_statistics, django_capture_on_commit_callbacks
):
    # given
    ada = person("ada")
    artwork = KreativeArtworkFactory(artist=ada)
    assert population_statistics()["tag_frequencies"] == {}
    # when
    with django_capture_on_commit_callbacks(execute=True):
        artwork_update(artwork=artwork, actor=ada, tags=["cyanotype"])
    # then
    assert population_statistics()["tag_frequencies"] == {tag_id("cyanotype"): 1}


def test_a_rolled_back_change_keeps_the_cached_statistics(
    cached_statistics, django_capture_on_commit_callbacks
):
    # given
    ada = person("ada", skills=["etching"])
    population_statistics()
    # when: the change is never committed, so its callbacks never run
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        profile_update(user=ada, skills=["weaving"])
    # then
    assert len(callbacks) >= 1
    assert cache.get(STATISTICS_CACHE_KEY) is not None


def test_to_work_with_reads_projects_and_openness_from_the_database():
    # given: the viewer shares a project with "ann", who shares another one with "cal"; "cal"
    # is open to collaboration and shares no tag with the viewer
    from konnaxion.keenkonnect.tests.factories import ProjectTeamFactory, project_for

    viewer = person("viewer", skills=["etching"])
    ann = person("ann", skills=["etching"])
    cal = person("cal", skills=["weaving"], open_to_collaboration=True)
    ProjectTeamFactory(project=project_for(creator=viewer), user=ann)
    ProjectTeamFactory(project=project_for(creator=ann), user=cal)

    # when
    index = neighbourhood_index(viewer_id=viewer.pk, signals=NOTHING)
    to_work_with = rank(viewer=viewer.pk, index=index, purpose="collaborate", top_n=5)
    to_follow = rank(viewer=viewer.pk, index=index, purpose="follow", top_n=5)

    # then
    reasons = {item.username: {r["code"] for r in item.reasons} for item in to_work_with}
    assert {"worked_with_your_collaborators", "open_to_collaboration"} <= reasons["cal"]
    followed = {item.username: {r["code"] for r in item.reasons} for item in to_follow}
    assert not {"worked_with_your_collaborators", "open_to_collaboration"} & followed["cal"]
    assert index.worked_together[cal.pk] == {ann.pk: 1}
