"""Pictures and artworks: avatars, artworks and their files, seen by whoever may see the
profile they belong to.

`media_artist` has a members-only profile with a picture and an artwork; `media_blocked` is
blocked by the artist. Anonymous visitors and the blocked user are told nothing exists.
"""

from django.core.files.uploadedfile import SimpleUploadedFile

from konnaxion.users.tests.factories import UserFactory
from tests.security.matrix import World, row
from tests.security.matrix.core import api_client_for

USERNAME = r"(?P<username>[\w.@+-]+)"
PK = r"(?P<pk>[^/.]+)"


def world_setup(world: World) -> None:
    from konnaxion.kreative.services.artworks import artwork_create
    from konnaxion.kreative.services.professional_profile import block_create, profile_update
    from konnaxion.kreative.tests.factories import png_bytes, png_upload

    artist = world.users["media_artist"] = UserFactory(username="media-artist")
    blocked = world.users["media_blocked"] = UserFactory(username="media-blocked")
    profile_update(user=artist, visibility="members", avatar=png_upload("me.png"))
    block_create(blocker=artist, blocked=blocked)
    world.media_artwork = artwork_create(
        artist=artist,
        title="Harbour",
        media_file=SimpleUploadedFile("harbour.png", png_bytes(), "image/png"),
        nsfw=False,
    )


CALLERS = {
    "media_artist": lambda world: api_client_for(world.users["media_artist"]),
    "media_blocked": lambda world: api_client_for(world.users["media_blocked"]),
}

SEEN_BY_MEMBERS = {"anonymous": 404, "stranger": 200, "media_artist": 200, "media_blocked": 404}

ROWS = [
    row(
        "GET",
        f"api/profiles/^{USERNAME}/avatar/$",
        SEEN_BY_MEMBERS,
        path="/api/profiles/media-artist/avatar/",
    ),
    row(
        "GET",
        f"api/kreative/^artworks/{PK}/$",
        SEEN_BY_MEMBERS,
        path="/api/kreative/artworks/{w.media_artwork.pk}/",
    ),
    row(
        "GET",
        f"api/kreative/^artworks/{PK}/media/$",
        SEEN_BY_MEMBERS,
        path="/api/kreative/artworks/{w.media_artwork.pk}/media/",
    ),
]
