import io

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from konnaxion.kreative.models import CollabSession, Gallery, KreativeArtwork, Tag, TraditionEntry
from konnaxion.users.tests.factories import UserFactory


def png_bytes(width: int = 64, height: int = 48, color=(200, 30, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), color).save(buffer, format="PNG")
    return buffer.getvalue()


def png_upload(name: str = "work.png", width: int = 64, height: int = 48) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_bytes(width, height), content_type="image/png")


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag

    name = factory.Sequence(lambda n: f"tag {n}")


class KreativeArtworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KreativeArtwork

    artist = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Artwork {n}")
    media_file = factory.django.FileField(filename="art.png", data=png_bytes())
    media_type = KreativeArtwork.MediaType.IMAGE
    content_type = "image/png"


class GalleryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Gallery

    title = factory.Sequence(lambda n: f"Gallery {n}")
    created_by = factory.SubFactory(UserFactory)


class TraditionEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TraditionEntry

    title = factory.Sequence(lambda n: f"Tradition {n}")
    description = "A harvest song sung in rounds."
    region = "Brittany"
    submitted_by = factory.SubFactory(UserFactory)


class CollabSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CollabSession

    name = factory.Sequence(lambda n: f"Session {n}")
    host = factory.SubFactory(UserFactory)
    session_type = CollabSession.SessionType.PAINTING
    started_at = factory.LazyFunction(timezone.now)
