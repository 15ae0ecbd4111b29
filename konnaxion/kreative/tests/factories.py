import io

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from konnaxion.files.services import blob_store_file
from konnaxion.kreative.models import CollabSession, Gallery, KreativeArtwork, TraditionEntry
from konnaxion.tags.models import Tag
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
    """`media_file` (with `media_file__data=`) is the file stored as the artwork's blob."""

    class Meta:
        model = KreativeArtwork
        skip_postgeneration_save = True
        exclude = ("media_file",)

    artist = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Artwork {n}")
    media_file = factory.django.FileField(filename="art.png", data=png_bytes())
    media_type = KreativeArtwork.MediaType.IMAGE
    content_type = "image/png"
    media = factory.LazyAttribute(
        lambda o: blob_store_file(file=o.media_file, content_type=o.content_type)
    )
    media_name = factory.LazyAttribute(lambda o: o.media_file.name)

    @factory.post_generation
    def artist_profile(artwork, create, extracted, **kwargs):
        """Like `artwork_create`, give the artist their (members-only) profile if they had none."""
        if create:
            from konnaxion.kreative.services.professional_profile import profile_get_or_create

            profile_get_or_create(user=artwork.artist)


class GalleryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Gallery

    title = factory.Sequence(lambda n: f"Gallery {n}")
    created_by = factory.SubFactory(UserFactory)


def _tradition_media_type(entry) -> str:
    from konnaxion.kreative.services.media import media_sniff

    return media_sniff(entry.media_file).content_type if entry.media_file else ""


class TraditionEntryFactory(factory.django.DjangoModelFactory):
    """`media_file` (a Django file, optional) is stored as the entry's blob."""

    class Meta:
        model = TraditionEntry
        exclude = ("media_file",)

    title = factory.Sequence(lambda n: f"Tradition {n}")
    description = "A harvest song sung in rounds."
    region = "Brittany"
    submitted_by = factory.SubFactory(UserFactory)
    media_file = None
    media_content_type = factory.LazyAttribute(_tradition_media_type)
    media = factory.LazyAttribute(
        lambda o: (
            blob_store_file(file=o.media_file, content_type=o.media_content_type)
            if o.media_file
            else None
        )
    )
    media_name = factory.LazyAttribute(lambda o: o.media_file.name if o.media_file else "")


class CollabSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CollabSession

    name = factory.Sequence(lambda n: f"Session {n}")
    host = factory.SubFactory(UserFactory)
    session_type = CollabSession.SessionType.PAINTING
    started_at = factory.LazyFunction(timezone.now)


def ended_session(*, host, participants, ended_days_ago: float = 1):
    """A session `host` ran with `participants`, ended `ended_days_ago` days ago."""
    from datetime import timedelta

    from konnaxion.kreative.services.collab_sessions import (
        collab_session_participant_add,
        collab_session_start,
    )

    ended_at = timezone.now() - timedelta(days=ended_days_ago)
    session = collab_session_start(
        host=host, name="Jam", session_type="music", started_at=ended_at - timedelta(hours=2)
    )
    for user in participants:
        collab_session_participant_add(session=session, actor=host, user=user)
    CollabSession.objects.filter(pk=session.pk).update(ended_at=ended_at)
    session.refresh_from_db()
    return session


def profile_for(user=None, **fields):
    """A profile made through the profile service (public unless told otherwise)."""
    from konnaxion.kreative.services.professional_profile import profile_update

    fields.setdefault("visibility", "public")
    return profile_update(user=user or UserFactory(), **fields)


def opportunity_for(posted_by=None, **fields):
    from konnaxion.kreative.services.opportunity_announcement import opportunity_create

    fields.setdefault("type", "residency")
    fields.setdefault("title", "Print residency")
    fields.setdefault("description", "Three months in a print studio.")
    fields.setdefault("apply_url", "https://example.org/apply")
    return opportunity_create(posted_by=posted_by or UserFactory(), **fields)
