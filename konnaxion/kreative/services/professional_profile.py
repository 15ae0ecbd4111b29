"""professional_profile: Kontact profiles, portfolios, follows and blocks."""

from __future__ import annotations

import io
import re
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.postgres.search import SearchVector
from django.core.files.base import ContentFile, File
from django.db import IntegrityError, transaction
from django.db.models import Q, Value
from PIL import Image, ImageOps

from konnaxion.core.errors import (
    NotFound,
    PayloadTooLarge,
    UnsupportedMediaType,
    ValidationFailed,
)
from konnaxion.core.images import UNREADABLE, ImageUnreadable, image_open
from konnaxion.core.search import ENGLISH_CONFIGURATION
from konnaxion.files.services import blob_store_file
from konnaxion.keenkonnect.models import Project
from konnaxion.kreative.models import (
    Block,
    Follow,
    KreativeArtwork,
    PortfolioArtwork,
    PortfolioProject,
    ProfessionalProfile,
)
from konnaxion.kreative.selectors import users_hidden_from
from konnaxion.kreative.services.collab_sessions import rooms_access_recheck_on_commit
from konnaxion.kreative.services.intelligent_matching import (
    matching_statistics_invalidate_on_commit,
    suggestions_refresh_on_commit,
)
from konnaxion.tags.services import tags_get_or_create
from konnaxion.users.models import User

SEARCH_CONFIG = ENGLISH_CONFIGURATION
EDITABLE_FIELDS = (
    "display_name",
    "headline",
    "bio",
    "role",
    "region",
    "city",
    "open_to_collaboration",
    "visibility",
    "discoverable",
)
MAX_LINKS = 10
MAX_LANGUAGES = 12
MAX_PORTFOLIO = 100
LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
AVATAR_FORMATS = ("PNG", "JPEG", "WEBP")


def profile_get_or_create(*, user: User) -> ProfessionalProfile:
    """The profile of `user`, created with defaults (members-only, discoverable) when missing."""
    profile, created = ProfessionalProfile.objects.get_or_create(
        user=user, defaults={"display_name": user.name or user.username}
    )
    if created:
        profile_search_vector_refresh(profile=profile)
    return profile


def profile_search_vector_refresh(*, profile: ProfessionalProfile) -> None:
    """Recompute the profile's search document: skills and styles A, name and headline B, bio C."""
    tags = " ".join(
        [tag.name for tag in profile.skills.all()] + [tag.name for tag in profile.styles.all()]
    )
    ProfessionalProfile.objects.filter(pk=profile.pk).update(
        search_vector=SearchVector(Value(tags), weight="A", config=SEARCH_CONFIG)
        + SearchVector("display_name", "headline", weight="B", config=SEARCH_CONFIG)
        + SearchVector("bio", weight="C", config=SEARCH_CONFIG)
    )


def profile_links_clean(links: list[Any]) -> list[dict[str, str]]:
    """`[{"label", "url"}]` with https URLs only. Raises ValidationFailed."""
    if not isinstance(links, list) or len(links) > MAX_LINKS:
        raise ValidationFailed(
            f"At most {MAX_LINKS} links.", details={"fields": {"links": "too many"}}
        )
    cleaned = []
    for position, link in enumerate(links):
        label = str(link.get("label", "")).strip() if isinstance(link, dict) else ""
        url = str(link.get("url", "")).strip() if isinstance(link, dict) else ""
        parts = urlsplit(url) if len(url) <= 500 else None
        if not label or len(label) > 60 or parts is None or parts.scheme != "https":
            raise ValidationFailed(
                "Each link needs a label (at most 60 characters) and an https URL.",
                details={"fields": {"links": {str(position): "invalid"}}},
            )
        if not parts.hostname or "." not in parts.hostname or parts.username or parts.password:
            raise ValidationFailed(
                "A link's URL needs a public host name and no credentials.",
                details={"fields": {"links": {str(position): "invalid host"}}},
            )
        cleaned.append({"label": label, "url": url})
    return cleaned


def _languages_clean(languages: list[str]) -> list[str]:
    cleaned: list[str] = []
    for code in languages:
        if not LANGUAGE_CODE.match(code):
            raise ValidationFailed(
                "Languages are language codes such as en, fr or pt-BR.",
                details={"fields": {"languages": code[:20]}},
            )
        if code not in cleaned:
            cleaned.append(code)
    if len(cleaned) > MAX_LANGUAGES:
        raise ValidationFailed(details={"fields": {"languages": "too many"}})
    return cleaned


def profile_avatar_prepare(*, upload: File[bytes]) -> ContentFile[bytes]:
    """The avatar image, re-encoded as a square-bounded WebP (EXIF orientation applied).

    Raises PayloadTooLarge (file or pixel count), UnsupportedMediaType.
    """
    limit = settings.ARTWORK_MAX_IMAGE_MB * 1024 * 1024
    if upload.size > limit:
        raise PayloadTooLarge(
            "The avatar is too large.", code="file_too_large", details={"max_bytes": limit}
        )
    side = settings.PROFILE_AVATAR_SIZE
    try:
        with image_open(upload, formats=AVATAR_FORMATS) as original:
            image = ImageOps.exif_transpose(original)
            image = image.convert("RGBA" if "A" in image.getbands() else "RGB")
            image.thumbnail((side, side), Image.Resampling.LANCZOS)
            buffer = io.BytesIO()
            image.save(buffer, format="WEBP", quality=85)
    except (ImageUnreadable, *UNREADABLE) as error:
        raise UnsupportedMediaType(
            "The avatar must be a PNG, JPEG or WebP image.", code="unsupported_media_type"
        ) from error
    return ContentFile(buffer.getvalue(), name="avatar.webp")


@transaction.atomic
def profile_update(
    *,
    user: User,
    skills: list[str] | None = None,
    styles: list[str] | None = None,
    links: list[Any] | None = None,
    languages: list[str] | None = None,
    avatar: File[bytes] | None = None,
    portfolio: list[dict[str, Any]] | None = None,
    portfolio_projects: list[str] | None = None,
    **fields: Any,
) -> ProfessionalProfile:
    """Change `user`'s own profile; only the given fields change.

    `portfolio` is the ordered list of `{"artwork": id, "pinned": bool}` (the user's own
    artworks); `portfolio_projects` the slugs of public projects the user is on the team of.
    A new avatar is stored as an encrypted blob once every other change is accepted; the one it
    replaces is left to the blob garbage collection. Raises ValidationFailed; an avatar that is
    not an image is UnsupportedMediaType.
    """
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationFailed(details={"fields": {name: "not editable" for name in unknown}})
    profile = profile_get_or_create(user=user)
    profile = ProfessionalProfile.objects.select_for_update().get(pk=profile.pk)
    for name, value in fields.items():
        setattr(profile, name, value)
    if links is not None:
        profile.links = profile_links_clean(links)
    if languages is not None:
        profile.languages = _languages_clean(languages)
    picture = profile_avatar_prepare(upload=avatar) if avatar is not None else None
    profile.save()
    if skills is not None:
        profile.skills.set(tags_get_or_create(names=skills))
    if styles is not None:
        profile.styles.set(tags_get_or_create(names=styles))
    if skills is not None or styles is not None:
        matching_statistics_invalidate_on_commit()
    if skills is not None or styles is not None or "discoverable" in fields:
        suggestions_refresh_on_commit(user_ids=[user.pk])
    if portfolio is not None:
        _portfolio_set(profile=profile, entries=portfolio)
    if portfolio_projects is not None:
        _portfolio_projects_set(profile=profile, slugs=portfolio_projects)
    if picture is not None:  # last: nothing refuses the update once the blob is stored
        profile.avatar = blob_store_file(file=picture, content_type="image/webp")
        profile.save(update_fields=["avatar", "updated_at"])
    profile_search_vector_refresh(profile=profile)
    return profile


def _portfolio_set(*, profile: ProfessionalProfile, entries: list[dict[str, Any]]) -> None:
    ids = [int(entry["artwork"]) for entry in entries]
    if len(ids) != len(set(ids)) or len(ids) > MAX_PORTFOLIO:
        raise ValidationFailed(details={"fields": {"portfolio": "duplicate or too many artworks"}})
    own = set(
        KreativeArtwork.objects.filter(artist=profile.user, pk__in=ids).values_list("pk", flat=True)
    )
    foreign = [artwork_id for artwork_id in ids if artwork_id not in own]
    if foreign:
        raise ValidationFailed(
            "A portfolio shows only one's own artworks.",
            details={"fields": {"portfolio": {"not_yours": foreign}}},
        )
    PortfolioArtwork.objects.filter(profile=profile).delete()
    PortfolioArtwork.objects.bulk_create(
        PortfolioArtwork(
            profile=profile,
            artwork_id=int(entry["artwork"]),
            order=position,
            pinned=bool(entry.get("pinned", False)),
        )
        for position, entry in enumerate(entries)
    )


def _portfolio_projects_set(*, profile: ProfessionalProfile, slugs: list[str]) -> None:
    if len(slugs) != len(set(slugs)) or len(slugs) > MAX_PORTFOLIO:
        raise ValidationFailed(details={"fields": {"portfolio_projects": "duplicate or too many"}})
    projects = {
        project.slug: project
        for project in Project.objects.filter(
            slug__in=slugs, visibility=Project.Visibility.PUBLIC, team__user=profile.user
        )
    }
    missing = [slug for slug in slugs if slug not in projects]
    if missing:
        raise ValidationFailed(
            "Only public projects one is on the team of can be shown.",
            details={"fields": {"portfolio_projects": {"not_allowed": missing}}},
        )
    PortfolioProject.objects.filter(profile=profile).delete()
    PortfolioProject.objects.bulk_create(
        PortfolioProject(profile=profile, project=projects[slug], order=position)
        for position, slug in enumerate(slugs)
    )


def users_blocked_between(*, user: User, other: User) -> bool:
    """True when either of the two blocked the other."""
    return Block.objects.filter(
        Q(blocker=user, blocked=other) | Q(blocker=other, blocked=user)
    ).exists()


def follow_create(*, follower: User, followee: User) -> Follow:
    """`follower` follows `followee` (idempotent). Refused for oneself, and with NotFound for
    someone who does not exist for the follower (deactivated, hidden, across a block)."""
    if follower.pk == followee.pk:
        raise ValidationFailed("One cannot follow oneself.", code="follow_self")
    if users_hidden_from(user=follower).filter(pk=followee.pk).exists():
        raise NotFound("No such user.")
    try:
        with transaction.atomic():
            follow, created = Follow.objects.get_or_create(follower=follower, followee=followee)
    except IntegrityError:
        follow, created = Follow.objects.get(follower=follower, followee=followee), False
    if created:
        suggestions_refresh_on_commit(user_ids=[follower.pk, followee.pk])
    return follow


def follow_delete(*, follower: User, followee: User) -> None:
    """Stop following (idempotent)."""
    deleted, _ = Follow.objects.filter(follower=follower, followee=followee).delete()
    if deleted:
        suggestions_refresh_on_commit(user_ids=[follower.pk, followee.pk])


@transaction.atomic
def block_create(*, blocker: User, blocked: User) -> Block:
    """`blocker` blocks `blocked` (idempotent); follows in both directions are removed, and
    after commit their open room sockets re-check access (a block with the host shuts the
    other out of the room at once)."""
    if blocker.pk == blocked.pk:
        raise ValidationFailed("One cannot block oneself.", code="block_self")
    try:
        with transaction.atomic():
            block, _ = Block.objects.get_or_create(blocker=blocker, blocked=blocked)
    except IntegrityError:
        block = Block.objects.get(blocker=blocker, blocked=blocked)
    Follow.objects.filter(
        Q(follower=blocker, followee=blocked) | Q(follower=blocked, followee=blocker)
    ).delete()
    rooms_access_recheck_on_commit(user_ids=[blocker.pk, blocked.pk], together=True)
    return block


def block_delete(*, blocker: User, blocked: User) -> None:
    """Lift one's own block (idempotent); the other's block, if any, stays."""
    Block.objects.filter(blocker=blocker, blocked=blocked).delete()
