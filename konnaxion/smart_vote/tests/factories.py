import factory

from konnaxion.smart_vote.models import IntegrationMapping


class IntegrationMappingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IntegrationMapping
        django_get_or_create = ("module_name", "context_type")

    module_name = "ethikos"
    context_type = factory.Sequence(lambda n: f"topic{n}")
    mapping_details = factory.LazyFunction(dict)
