# Every plain file of Kontact (artworks and their derived sizes, avatars, tradition media) is
# copied from the default storage into the blob store: encrypted, and deduplicated with the blobs
# already there. A file missing from storage is logged and its row left without one.
#
# Rows are converted one transaction each (a blob store holds a lock on its content until its
# transaction ends: one transaction for everything would hold one lock per file), and the
# migration can be run again after an interruption: converted rows are skipped. The plain files,
# unencrypted copies, are deleted once every row is converted and committed.
#
# Reversible: going back writes each blob back as a plain file under the names the file fields
# gave (the blobs stay, for the blob garbage collection once nothing refers to them).

import logging
import mimetypes
import posixpath

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import migrations, transaction

from konnaxion.files.services import blob_open, blob_store_file

logger = logging.getLogger(__name__)

OCTET_STREAM = "application/octet-stream"


def _tradition_content_type(handle) -> str:
    # The type the tradition media view read from the file on every request until now.
    from konnaxion.core.errors import ApplicationError
    from konnaxion.kreative.services.media import media_sniff

    try:
        return media_sniff(handle).content_type
    except ApplicationError:
        return OCTET_STREAM


class _PlainFiles:
    """Copies plain files into blobs, remembering which ones to delete at the end."""

    def __init__(self, blob_model) -> None:
        self.blob_model = blob_model
        self.copied: set[str] = set()

    def blob(self, name: str, *, content_type, owner: str):
        """The blob holding the plain file `name`; None (logged) when storage lacks it.
        `content_type` is a type, or a function reading it from the open file."""
        if not default_storage.exists(name):
            logger.warning(
                "%s: its file %r is missing from storage; left without one.", owner, name
            )
            return None
        with default_storage.open(name, "rb") as handle:
            if callable(content_type):
                content_type = content_type(handle)
            blob = blob_store_file(file=handle, content_type=content_type, model=self.blob_model)
        self.copied.add(name)
        return blob

    def converted(self, name: str) -> None:
        """`name` was copied by an earlier, interrupted run: delete it too."""
        self.copied.add(name)

    def delete(self) -> None:
        for name in sorted(self.copied):
            default_storage.delete(name)
        logger.info("%d plain files moved into the blob store.", len(self.copied))


def files_into_blobs(apps, schema_editor):
    alias = schema_editor.connection.alias
    Artwork = apps.get_model("kreative", "KreativeArtwork")
    ArtworkDerivative = apps.get_model("kreative", "ArtworkDerivative")
    ProfessionalProfile = apps.get_model("kreative", "ProfessionalProfile")
    TraditionEntry = apps.get_model("kreative", "TraditionEntry")
    plain = _PlainFiles(apps.get_model("files", "Blob"))

    artworks = Artwork.objects.using(alias).exclude(media_file="").order_by("pk")
    for artwork in artworks.iterator():
        name, owner = artwork.media_file.name, f"Artwork {artwork.pk}"
        if artwork.media_id is not None:
            plain.converted(name)
            plain.copied.update(artwork.derivative_files.values())
            continue
        with transaction.atomic(using=alias):
            artwork.media = plain.blob(
                name, content_type=artwork.content_type or OCTET_STREAM, owner=owner
            )
            if artwork.media is not None:
                artwork.media_name = posixpath.basename(name)
            artwork.save(update_fields=["media", "media_name"])
            for size, derived in sorted(artwork.derivative_files.items()):
                blob = plain.blob(derived, content_type="image/webp", owner=f"{owner} ({size})")
                if blob is not None:  # (again, when an interrupted run is resumed)
                    ArtworkDerivative.objects.using(alias).update_or_create(
                        artwork=artwork, size=int(size), defaults={"blob": blob}
                    )

    profiles = ProfessionalProfile.objects.using(alias).exclude(avatar_file="").order_by("pk")
    for profile in profiles.iterator():
        name = profile.avatar_file.name
        if profile.avatar_id is not None:
            plain.converted(name)
            continue
        content_type = mimetypes.guess_type(name)[0] or OCTET_STREAM  # as the avatar view did
        with transaction.atomic(using=alias):
            profile.avatar = plain.blob(
                name, content_type=content_type, owner=f"Avatar of user {profile.pk}"
            )
            profile.save(update_fields=["avatar"])

    entries = TraditionEntry.objects.using(alias).exclude(media_file="").order_by("pk")
    for entry in entries.iterator():
        name = entry.media_file.name
        if entry.media_id is not None:
            plain.converted(name)
            continue
        with transaction.atomic(using=alias):
            entry.media = plain.blob(
                name, content_type=_tradition_content_type, owner=f"Tradition entry {entry.pk}"
            )
            if entry.media is not None:
                entry.media_name = posixpath.basename(name)
                entry.media_content_type = entry.media.content_type
            entry.save(update_fields=["media", "media_name", "media_content_type"])

    plain.delete()


def _plain_save(name: str, blob) -> str:
    with blob_open(blob=blob) as plaintext:
        return default_storage.save(name, File(plaintext, name=name))


def blobs_into_files(apps, schema_editor):
    alias = schema_editor.connection.alias
    Artwork = apps.get_model("kreative", "KreativeArtwork")
    ArtworkDerivative = apps.get_model("kreative", "ArtworkDerivative")
    ProfessionalProfile = apps.get_model("kreative", "ProfessionalProfile")
    TraditionEntry = apps.get_model("kreative", "TraditionEntry")

    # The folders are those the file fields' `upload_to` gave.
    artworks = Artwork.objects.using(alias).filter(media__isnull=False, media_file="")
    for artwork in artworks.select_related("media").order_by("pk").iterator():
        derivatives = ArtworkDerivative.objects.using(alias).filter(artwork=artwork)
        with transaction.atomic(using=alias):
            artwork.media_file = _plain_save(
                f"kreative/artworks/{artwork.artist_id}/{artwork.media_name or 'artwork'}",
                artwork.media,
            )
            artwork.derivative_files = {
                str(derivative.size): _plain_save(
                    f"kreative/derived/{artwork.pk}/{derivative.size}.webp", derivative.blob
                )
                for derivative in derivatives.select_related("blob")
            }
            artwork.save(update_fields=["media_file", "derivative_files"])

    profiles = ProfessionalProfile.objects.using(alias).filter(avatar__isnull=False, avatar_file="")
    for profile in profiles.select_related("avatar").order_by("pk").iterator():
        extension = mimetypes.guess_extension(profile.avatar.content_type) or ""
        with transaction.atomic(using=alias):
            profile.avatar_file = _plain_save(
                f"kreative/avatars/{profile.pk}/avatar{extension}", profile.avatar
            )
            profile.save(update_fields=["avatar_file"])

    entries = TraditionEntry.objects.using(alias).filter(media__isnull=False, media_file="")
    for entry in entries.select_related("media").order_by("pk").iterator():
        with transaction.atomic(using=alias):
            entry.media_file = _plain_save(
                f"kreative/traditions/{entry.media_name or 'media'}", entry.media
            )
            entry.save(update_fields=["media_file"])


class Migration(migrations.Migration):
    # One transaction per row (see above).
    atomic = False

    dependencies = [("kreative", "0009_blob_references")]

    operations = [migrations.RunPython(files_into_blobs, blobs_into_files)]
