import pytest

from konnaxion.core.tests.querycount import assert_flat_query_count
from konnaxion.konnected.models import (
    CoCreationContribution,
    ForumPost,
    InteropMapping,
    KnowledgeRecommendation,
    LearningProgress,
    PeerValidation,
    Portfolio,
)
from konnaxion.konnected.tests.factories import (
    CertificationPathFactory,
    CoCreationProjectFactory,
    EvaluationFactory,
    ForumTopicFactory,
    KnowledgeResourceFactory,
)
from konnaxion.users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _rows(kind, user):
    def one():
        if kind == "paths":
            CertificationPathFactory()
        elif kind == "evaluations":
            evaluation = EvaluationFactory(user=user)
            PeerValidation.objects.create(
                evaluation=evaluation,
                evaluated_user=user,
                peer=UserFactory(),
                decision="approved",
            )
        elif kind == "peer-validations":
            evaluation = EvaluationFactory()
            PeerValidation.objects.create(
                evaluation=evaluation,
                evaluated_user=evaluation.user,
                peer=user,
                decision="approved",
            )
        elif kind == "interop-mappings":
            path = CertificationPathFactory()
            InteropMapping.objects.create(
                local_certification=path, external_system="lms", external_id=str(path.pk)
            )
        elif kind == "resources":
            KnowledgeResourceFactory(author=UserFactory())
        elif kind == "recommendations":
            KnowledgeRecommendation.objects.create(
                user=user, resource=KnowledgeResourceFactory(), recommended_by=UserFactory()
            )
        elif kind == "progress":
            LearningProgress.objects.create(
                user=user, resource=KnowledgeResourceFactory(), progress_percent=50
            )
        elif kind == "portfolios":
            portfolio = Portfolio.objects.create(user=UserFactory(), title="p")
            portfolio.items.set(KnowledgeResourceFactory.create_batch(2))
        elif kind == "cocreation-projects":
            CoCreationProjectFactory()
        elif kind == "contributions":
            CoCreationContribution.objects.create(
                project=CoCreationProjectFactory(), user=UserFactory(), content="x"
            )
        elif kind == "forum-topics":
            ForumPost.objects.create(topic=ForumTopicFactory(), author=user, content="x")
        elif kind == "forum-posts":
            ForumPost.objects.create(topic=ForumTopicFactory(), author=UserFactory(), content="x")

    def make(count):
        for _ in range(count):
            one()

    return make


KINDS = [
    "paths",
    "evaluations",
    "peer-validations",
    "interop-mappings",
    "resources",
    "recommendations",
    "progress",
    "portfolios",
    "cocreation-projects",
    "contributions",
    "forum-topics",
    "forum-posts",
]


@pytest.mark.parametrize("kind", KINDS)
def test_list_query_count_is_flat(kind, user, user_client, django_assert_max_num_queries):
    assert_flat_query_count(
        user_client, f"/api/konnected/{kind}/", _rows(kind, user), django_assert_max_num_queries
    )


def test_quiz_answers_are_never_shown(user_client):
    # given
    path = CertificationPathFactory()
    # when
    body = user_client.get(f"/api/konnected/paths/{path.pk}/").json()
    # then
    assert body["quiz"][0] == {"question": "Question 0", "options": ["a", "b", "c"]}


def test_evaluation_retry_through_the_api_is_a_409(user_client):
    # given
    path = CertificationPathFactory()
    answers = [question["answer"] for question in path.quiz]
    first = user_client.post(
        "/api/konnected/evaluations/", {"path": path.pk, "answers": answers}, format="json"
    )
    # when
    retry = user_client.post(
        "/api/konnected/evaluations/", {"path": path.pk, "answers": answers}, format="json"
    )
    # then
    assert first.status_code == 201 and first.json()["passed"] is True
    assert retry.status_code == 409
    assert retry.json()["error"]["code"] == "retry_cooldown"


def test_portfolio_of_another_user_cannot_be_changed(user_client):
    # given
    portfolio = Portfolio.objects.create(user=UserFactory(), title="Theirs")
    # when
    response = user_client.patch(f"/api/konnected/portfolios/{portfolio.pk}/", {"title": "Mine"})
    # then
    assert response.status_code == 403
    portfolio.refresh_from_db()
    assert portfolio.title == "Theirs"


@pytest.mark.parametrize(
    ("url", "payload"),
    [
        ("/api/konnected/progress/", {"resource": 1, "progress_percent": 101}),
        ("/api/konnected/resources/", {"title": "x", "type": "course", "url": "https://e.org"}),
        ("/api/konnected/evaluations/", {"path": 999999, "answers": [1]}),
        ("/api/konnected/evaluations/", {"path": 1, "answers": "1,2"}),
        ("/api/konnected/contributions/", {"project": 999999, "content": "x"}),
        ("/api/konnected/peer-validations/", {"evaluation": 1, "decision": "maybe"}),
    ],
)
def test_bad_input_is_a_400(user_client, url, payload):
    # given
    KnowledgeResourceFactory()
    # when
    response = user_client.post(url, payload, format="json")
    # then
    assert response.status_code == 400
    assert "code" in response.json()["error"]
