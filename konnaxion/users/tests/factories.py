import factory

from konnaxion.users.models import User
from konnaxion.users.tokens import personal_token_create

DEFAULT_PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    name = factory.Faker("name")
    password = factory.django.Password(DEFAULT_PASSWORD)


def token_for(user: User, *, read_only: bool = False) -> str:
    """The key of a new personal API token of `user`."""
    return personal_token_create(owner=user, name="Test token", read_only=read_only).key
