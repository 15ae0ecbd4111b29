from datetime import timedelta

import factory
from django.utils import timezone

from konnaxion.ethikos.models import Consultation, EthikosArgument, EthikosTopic
from konnaxion.users.tests.factories import UserFactory


class EthikosTopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EthikosTopic

    title = factory.Sequence(lambda n: f"Debate {n}")
    created_by = factory.SubFactory(UserFactory)
    start_date = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))


class EthikosArgumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EthikosArgument

    topic = factory.SubFactory(EthikosTopicFactory)
    author = factory.SubFactory(UserFactory)
    content = factory.Sequence(lambda n: f"Argument {n}")


class ConsultationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consultation

    title = factory.Sequence(lambda n: f"Consultation {n}")
    created_by = factory.SubFactory(UserFactory, is_staff=True)
    open_date = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    close_date = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))
