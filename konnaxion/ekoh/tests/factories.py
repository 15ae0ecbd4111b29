from decimal import Decimal

import factory

from konnaxion.ekoh.models import ExpertiseCategory, UserExpertiseScore
from konnaxion.users.tests.factories import UserFactory


def category(code: str = "061") -> ExpertiseCategory:
    """One of the ISCED-F categories loaded on migrate (061 is ICT)."""
    return ExpertiseCategory.objects.get(code=code)


class UserExpertiseScoreFactory(factory.django.DjangoModelFactory):
    """A score row written directly: for read tests only (writes go through the services)."""

    class Meta:
        model = UserExpertiseScore

    user = factory.SubFactory(UserFactory)
    category = factory.LazyFunction(category)
    raw_score = Decimal("40")
    weighted_score = Decimal("60")
