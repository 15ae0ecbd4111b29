import factory

from konnaxion.konnected.models import (
    CertificationPath,
    CoCreationProject,
    Evaluation,
    ForumTopic,
    KnowledgeResource,
)
from konnaxion.users.tests.factories import UserFactory

QUIZ = [
    {"question": f"Question {n}", "options": ["a", "b", "c"], "answer": n % 3} for n in range(10)
]


class CertificationPathFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CertificationPath

    name = factory.Sequence(lambda n: f"Path {n}")
    quiz = factory.LazyFunction(lambda: list(QUIZ))


class EvaluationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Evaluation

    user = factory.SubFactory(UserFactory)
    path = factory.SubFactory(CertificationPathFactory)
    raw_score = 90
    passed = True


class KnowledgeResourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KnowledgeResource

    title = factory.Sequence(lambda n: f"Resource {n}")
    type = KnowledgeResource.Type.ARTICLE
    url = "https://example.org/resource"


class CoCreationProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CoCreationProject

    title = factory.Sequence(lambda n: f"Project {n}")
    owner = factory.SubFactory(UserFactory)
    status = CoCreationProject.Status.ACTIVE


class ForumTopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ForumTopic

    title = factory.Sequence(lambda n: f"Topic {n}")
    creator = factory.SubFactory(UserFactory)
