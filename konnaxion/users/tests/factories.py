import factory
from allauth.account.models import EmailAddress

from konnaxion.users.models import User
from konnaxion.users.tokens import personal_token_create

DEFAULT_PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    name = factory.Faker("name")
    password = factory.django.Password(DEFAULT_PASSWORD)

    @factory.post_generation
    def email_verified(user, create, extracted, **kwargs):
        """A verified primary address, as after following the sign-up mail; pass
        `email_verified=False` for someone who has not followed it yet."""
        if not create or not user.email:
            return
        EmailAddress.objects.update_or_create(
            user=user,
            email=user.email,
            defaults={"primary": True, "verified": extracted is not False},
        )


def token_for(user: User, *, read_only: bool = False) -> str:
    """The key of a new personal API token of `user`."""
    return personal_token_create(owner=user, name="Test token", read_only=read_only).key
