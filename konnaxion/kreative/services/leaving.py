"""Kontact's part when someone leaves (konnaxion.users.leaving; docs/accounts.md).

Deletion: artworks and the portfolio go with their files, the profile and its picture too;
endorsements written and received, follows, blocks, suggestions, saved searches and reminders
go; opportunities are closed, then removed; the rooms they host end and their places in rooms
end. The chat lines they wrote stay, signed "a former member": the others' conversation stays
readable, as in the team chats people know (Slack, Teams, Discord keep a departed member's
messages).

Export: the profile, the artworks with their files, the chat lines written, the endorsements
written and those received that were published, the opportunities posted, the saved searches.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from konnaxion.files.services import blob_read
from konnaxion.kreative.models import (
    Block,
    CollabChatMessage,
    CollabSession,
    CollabSessionParticipant,
    Endorsement,
    Follow,
    Gallery,
    KreativeArtwork,
    Opportunity,
    OpportunityReminder,
    PrecomputedSuggestions,
    ProfessionalProfile,
    SavedOpportunity,
    SavedSearch,
    SuggestionDismissal,
    SuggestionImpression,
)
from konnaxion.kreative.services.artworks import artwork_delete
from konnaxion.kreative.services.collab_sessions import (
    collab_session_end,
    rooms_access_recheck_on_commit,
)
from konnaxion.kreative.services.galleries import gallery_delete
from konnaxion.kreative.services.opportunity_announcement import (
    opportunity_close,
    opportunity_delete,
)
from konnaxion.users.leaving import ExportArchive
from konnaxion.users.models import User


def account_kreative_delete(user: User) -> list[int]:
    """Remove `user`'s Kontact things (module docstring); returns the blobs let go."""
    blob_ids: list[int] = []
    for artwork in KreativeArtwork.objects.filter(artist=user).prefetch_related("derivatives"):
        blob_ids += [d.blob_id for d in artwork.derivatives.all()]
        if artwork.media_id is not None:
            blob_ids.append(artwork.media_id)
        artwork_delete(artwork=artwork, actor=user)
    for gallery in Gallery.objects.filter(created_by=user):
        gallery_delete(gallery=gallery, actor=user)
    profile = ProfessionalProfile.objects.filter(user=user).first()
    if profile is not None:
        if profile.avatar_id is not None:
            blob_ids.append(profile.avatar_id)
        profile.delete()
    Endorsement.objects.filter(Q(author=user) | Q(subject=user)).delete()
    for opportunity in Opportunity.objects.filter(posted_by=user).prefetch_related("attachments"):
        blob_ids += [attachment.blob_id for attachment in opportunity.attachments.all()]
        if opportunity.status == Opportunity.Status.OPEN:
            opportunity = opportunity_close(opportunity=opportunity, actor=user)
        opportunity_delete(opportunity=opportunity, actor=user)
    SavedOpportunity.objects.filter(user=user).delete()
    SavedSearch.objects.filter(owner=user).delete()
    OpportunityReminder.objects.filter(user=user).delete()
    for session in CollabSession.objects.filter(host=user, ended_at__isnull=True):
        collab_session_end(session=session, actor=user)
    rooms_access_recheck_on_commit(user_ids=[user.pk])
    CollabSessionParticipant.objects.filter(user=user).delete()
    Follow.objects.filter(Q(follower=user) | Q(followee=user)).delete()
    Block.objects.filter(Q(blocker=user) | Q(blocked=user)).delete()
    SuggestionDismissal.objects.filter(Q(viewer=user) | Q(dismissed=user)).delete()
    SuggestionImpression.objects.filter(Q(viewer=user) | Q(shown=user)).delete()
    PrecomputedSuggestions.objects.filter(viewer=user).delete()
    return blob_ids


def _endorsement_json(endorsement: Endorsement) -> dict[str, Any]:
    return {
        "author": endorsement.author.username,
        "subject": endorsement.subject.username,
        "rating": endorsement.rating,
        "skills": sorted(tag.name for tag in endorsement.skills.all()),
        "comment": endorsement.comment,
        "reply": endorsement.reply,
        "engagement_ended_at": endorsement.engagement_ended_at,
        "published_at": endorsement.published_at,
        "created_at": endorsement.created_at,
    }


def account_kreative_export(user: User, archive: ExportArchive) -> None:
    """Write `user`'s Kontact data (module docstring) into `archive`."""
    profile = ProfessionalProfile.objects.filter(user=user).first()
    if profile is not None:
        archive.add_json(
            "profile/professional_profile.json",
            {
                "display_name": profile.display_name,
                "headline": profile.headline,
                "bio": profile.bio,
                "role": profile.role,
                "skills": sorted(tag.name for tag in profile.skills.all()),
                "styles": sorted(tag.name for tag in profile.styles.all()),
                "region": profile.region,
                "city": profile.city,
                "languages": profile.languages,
                "links": profile.links,
                "visibility": profile.visibility,
                "open_to_collaboration": profile.open_to_collaboration,
            },
        )
    artworks = []
    for artwork in (
        KreativeArtwork.objects.filter(artist=user).select_related("media").order_by("pk")
    ):
        file = ""
        if artwork.media is not None:
            file = f"artworks/files/{artwork.pk}-{artwork.media_name or 'file'}"
            archive.add_bytes(file, blob_read(blob=artwork.media))
        artworks.append(
            {
                "id": artwork.pk,
                "title": artwork.title,
                "description": artwork.description,
                "media_type": artwork.media_type,
                "year": artwork.year,
                "medium": artwork.medium,
                "style": artwork.style,
                "tags": sorted(tag.name for tag in artwork.tags.all()),
                "created_at": artwork.created_at,
                "file": file,
            }
        )
    archive.add_json("artworks/artworks.json", artworks)
    archive.add_json(
        "chat/messages.json",
        [
            {"room": message.session.name, "body": message.body, "created_at": message.created_at}
            for message in CollabChatMessage.objects.filter(author=user)
            .select_related("session")
            .order_by("pk")
        ],
    )
    endorsements = Endorsement.objects.select_related("author", "subject").prefetch_related(
        "skills"
    )
    archive.add_json(
        "endorsements/written.json",
        [_endorsement_json(e) for e in endorsements.filter(author=user).order_by("pk")],
    )
    # Received ones only once published: a hidden (double-blind) one is not theirs to read yet.
    archive.add_json(
        "endorsements/received.json",
        [
            _endorsement_json(e)
            for e in endorsements.filter(subject=user, published_at__isnull=False).order_by("pk")
        ],
    )
    archive.add_json(
        "opportunities/opportunities.json",
        [
            {
                "type": o.type,
                "title": o.title,
                "description": o.description,
                "organisation": o.organisation,
                "city": o.city,
                "country": o.country,
                "status": o.status,
                "deadline": o.deadline,
                "apply_url": o.apply_url,
                "created_at": o.created_at,
            }
            for o in Opportunity.objects.filter(posted_by=user).order_by("pk")
        ],
    )
    archive.add_json(
        "searches/saved_searches.json",
        [
            {
                "name": search.name,
                "kind": search.kind,
                "filters": search.filters,
                "alert": search.alert,
                "created_at": search.created_at,
                "last_run_at": search.last_run_at,
            }
            for search in SavedSearch.objects.filter(owner=user).order_by("pk")
        ],
    )
