import factory

from konnaxion.insights.models import DimEndpoint


class DimEndpointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DimEndpoint

    method = "GET"
    path = factory.Sequence(lambda n: f"api/things{n}/")
