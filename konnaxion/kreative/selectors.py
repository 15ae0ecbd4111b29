"""Reads of Kreative, prefetched and permission-filtered."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, TypeGuard

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db.models import Avg, Count, Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.db.models.expressions import Combinable
from django.utils import timezone

from konnaxion.core.errors import NotFound
from konnaxion.core.permissions import is_moderator
from konnaxion.core.search import ENGLISH_CONFIGURATION
from konnaxion.keenkonnect.models import Project
from konnaxion.kreative.models import (
    Block,
    CollabChatMessage,
    CollabSession,
    CollabSessionParticipant,
    Endorsement,
    Follow,
    Gallery,
    GalleryArtwork,
    KreativeArtwork,
    Opportunity,
    OpportunityApplication,
    PortfolioArtwork,
    PortfolioProject,
    ProfessionalProfile,
    SavedOpportunity,
    SavedSearch,
    TraditionEntry,
)
from konnaxion.tags.models import Tag
from konnaxion.users.models import User


def _signed_in(user: User | AnonymousUser) -> TypeGuard[User]:
    """Whether `user` is someone's account rather than an anonymous visitor."""
    return bool(getattr(user, "is_authenticated", False))


def tags_listed() -> QuerySet[Tag]:
    return Tag.objects.all()


def artworks_listed() -> QuerySet[KreativeArtwork]:
    return KreativeArtwork.objects.select_related("artist").prefetch_related("tags", "derivatives")


def galleries_visible_to(*, user: User | AnonymousUser) -> QuerySet[Gallery]:
    """Galleries with, in gallery order, only the artworks `user` may see
    (`artworks_visible_to`): a hidden artwork leaves no trace in the list. A gallery curated by
    someone who does not exist for `user` (`users_hidden_from`) is not there at all."""
    entries = (
        GalleryArtwork.objects.filter(artwork__in=artworks_visible_to(user=user).values("pk"))
        .select_related("artwork")
        .order_by("order")
    )
    return (
        Gallery.objects.exclude(created_by__in=users_hidden_from(user=user))
        .select_related("created_by")
        .prefetch_related(Prefetch("entries", queryset=entries))
    )


def traditions_visible_to(*, user: User) -> QuerySet[TraditionEntry]:
    """Approved entries, plus one's own pending ones, none submitted by someone who does not
    exist for `user` (`users_hidden_from`); moderators see every entry."""
    queryset = TraditionEntry.objects.select_related("submitted_by", "approved_by")
    if is_moderator(user):
        return queryset
    return queryset.filter(Q(approved=True) | Q(submitted_by=user)).exclude(
        submitted_by__in=users_hidden_from(user=user)
    )


# Kontact ------------------------------------------------------------------------------------


def users_blocked_for(*, user: User | AnonymousUser) -> QuerySet:
    """Ids of the users `user` blocked or was blocked by (a subquery)."""
    if not _signed_in(user):
        return User.objects.none().values("pk")
    return User.objects.filter(
        Q(blocks_made__blocked=user) | Q(blocks_received__blocker=user)
    ).values("pk")


def users_hidden_from(*, user: User | AnonymousUser) -> QuerySet:
    """Ids of the people who do not exist for `user` (a subquery): deactivated accounts, hidden
    profiles other than one's own, and everyone across a block (either direction).

    The SQL twin of `user_get_visible`: every list of people, and of what people made (follows,
    endorsements, opportunities, galleries), leaves these out."""
    hidden_profile = ProfessionalProfile.objects.filter(
        user=OuterRef("pk"), visibility=ProfessionalProfile.Visibility.HIDDEN
    )
    hidden: Q | Combinable = Q(is_active=False) | Exists(hidden_profile)
    if _signed_in(user):
        hidden = (hidden & ~Q(pk=user.pk)) | Q(pk__in=users_blocked_for(user=user))
    return User.objects.filter(hidden).values("pk")


def people_visible_to(*, user: User | AnonymousUser) -> QuerySet[User]:
    """The accounts that exist for `user` (see `users_hidden_from`; an anonymous viewer knows
    only people with a public profile). Other modules name a person beside their own data
    (EkoH scores, Smart Vote's emerging experts) only when it is one of these: the rule is
    registered for `users.user` in `core.visibility`."""
    people = User.objects.exclude(pk__in=users_hidden_from(user=user))
    if not _signed_in(user):
        people = people.filter(
            professional_profile__visibility=ProfessionalProfile.Visibility.PUBLIC
        )
    return people


def user_get_visible(*, viewer: User | AnonymousUser, username: str) -> User:
    """The account named `username` if it exists for `viewer` (`people_visible_to`). Raises
    NotFound otherwise, the same answer as for a name nobody has."""
    person = people_visible_to(user=viewer).filter(username=username).first()
    if person is None:
        raise NotFound("No such user.")
    return person


def user_get_blockable(*, viewer: User | AnonymousUser, username: str) -> User:
    """The account `viewer` may block or unblock: anyone who exists for them
    (`user_get_visible`), anyone they already block, and anyone they share a room with (they
    met them there, even behind a hidden profile). Someone who blocked `viewer` stays unknown.
    Raises NotFound, the same answer as for a name nobody has."""
    if not _signed_in(viewer):
        raise NotFound("No such user.")
    blocked_viewer = Block.objects.filter(blocked=viewer).values("blocker_id")
    met_in_rooms = CollabSessionParticipant.objects.filter(
        session__in=workspaces_of(user=viewer).order_by().values("pk")
    ).values("user_id")
    known = (
        ~Q(pk__in=users_hidden_from(user=viewer))
        | Q(pk__in=Block.objects.filter(blocker=viewer).values("blocked_id"))
        | (Q(pk__in=met_in_rooms, is_active=True) & ~Q(pk__in=blocked_viewer))
    )
    person = User.objects.filter(Q(username=username) & known).first()
    if person is None:
        raise NotFound("No such user.")
    return person


def profiles_visible_to(*, user: User | AnonymousUser) -> QuerySet[ProfessionalProfile]:
    """Profiles `user` may see: public ones, members-only ones when signed in, one's own; never
    a profile across a block (either direction), nor a deactivated account's."""
    queryset = (
        ProfessionalProfile.objects.filter(user__is_active=True)
        .select_related("user")
        .prefetch_related("skills", "styles")
    )
    Visibility = ProfessionalProfile.Visibility
    if not _signed_in(user):
        return queryset.filter(visibility=Visibility.PUBLIC)
    shown = Q(visibility__in=[Visibility.PUBLIC, Visibility.MEMBERS]) | Q(user=user)
    return queryset.filter(shown).exclude(user__in=users_blocked_for(user=user))


def artworks_visible_to(*, user: User | AnonymousUser) -> QuerySet[KreativeArtwork]:
    """Artworks whose artist's profile `user` may see, and one's own: a hidden or members-only
    profile, or a block in either direction, hides the works' files too."""
    artists = profiles_visible_to(user=user).values("user_id")
    shown = Q(artist__in=artists)
    if _signed_in(user):
        shown |= Q(artist=user)
    return artworks_listed().filter(shown)


def profile_get_visible(*, user: User | AnonymousUser, username: str) -> ProfessionalProfile:
    """The profile of `username` if `user` may see it. Raises NotFound otherwise. Its follower
    and following counts count only people who exist for `user`."""
    hidden = users_hidden_from(user=user)
    profile = (
        profiles_visible_to(user=user)
        .annotate(
            followers_count=Count(
                "user__follower_links",
                filter=~Q(user__follower_links__follower__in=hidden),
                distinct=True,
            ),
            following_count=Count(
                "user__following_links",
                filter=~Q(user__following_links__followee__in=hidden),
                distinct=True,
            ),
        )
        .filter(user__username=username)
        .first()
    )
    if profile is None:
        raise NotFound("No such profile.")
    return profile


def profiles_search(
    *,
    user: User | AnonymousUser,
    query: str = "",
    skills: list[str] | None = None,
    styles: list[str] | None = None,
    region: str = "",
    role: str = "",
    open_only: bool = False,
) -> QuerySet[ProfessionalProfile]:
    """Profiles matching a full-text `query` and filters, best matches first (skills and styles
    weigh most). Callable with (query, user) alone, for the platform search."""
    queryset = profiles_visible_to(user=user)
    for field, names in (("skills", skills), ("styles", styles)):
        for name in names or []:
            queryset = queryset.filter(
                Exists(
                    ProfessionalProfile.objects.filter(
                        pk=OuterRef("pk"), **{f"{field}__name__iexact": name}
                    )
                )
            )
    if region:
        queryset = queryset.filter(region__iexact=region)
    if role:
        queryset = queryset.filter(role=role)
    if open_only:
        queryset = queryset.filter(open_to_collaboration=True)
    if query.strip():
        search = SearchQuery(query, search_type="websearch", config=ENGLISH_CONFIGURATION)
        queryset = (
            queryset.filter(search_vector=search)
            .annotate(rank=SearchRank(F("search_vector"), search))
            .order_by("-rank", "user_id")
        )
    else:
        queryset = queryset.order_by("-updated_at", "user_id")
    return queryset


def portfolio_of(
    *, profile: ProfessionalProfile, viewer: User | AnonymousUser
) -> QuerySet[PortfolioArtwork]:
    """The artworks arranged on `profile`, those `viewer` may see (`artworks_visible_to`)."""
    return (
        PortfolioArtwork.objects.filter(
            profile=profile, artwork__in=artworks_visible_to(user=viewer).values("pk")
        )
        .select_related("artwork")
        .prefetch_related("artwork__tags")
    )


def portfolio_projects_of(*, profile: ProfessionalProfile) -> QuerySet[PortfolioProject]:
    """The projects shown on the profile that are still public."""
    return PortfolioProject.objects.filter(
        profile=profile, project__visibility="public"
    ).select_related("project")


def follows_of(*, user: User, direction: str = "following") -> QuerySet[Follow]:
    """Whom `user` follows (`following`) or who follows them (`followers`), without the people
    who do not exist for `user` (`users_hidden_from`)."""
    blocked = users_hidden_from(user=user)
    if direction == "followers":
        return (
            Follow.objects.filter(followee=user)
            .exclude(follower__in=blocked)
            .select_related("follower", "followee")
        )
    return (
        Follow.objects.filter(follower=user)
        .exclude(followee__in=blocked)
        .select_related("follower", "followee")
    )


def blocks_of(*, user: User) -> QuerySet[Block]:
    return Block.objects.filter(blocker=user).select_related("blocked")


def opportunities_visible_to(*, user: User | AnonymousUser) -> QuerySet[Opportunity]:
    """Every opportunity, except those posted by someone who does not exist for `user`
    (`users_hidden_from`: deactivated, hidden, across a block); one's own always."""
    queryset = (
        Opportunity.objects.exclude(posted_by__in=users_hidden_from(user=user))
        .select_related("posted_by")
        .prefetch_related("tags", "attachments")
    )
    if _signed_in(user):
        queryset = queryset.annotate(
            saved=Exists(SavedOpportunity.objects.filter(opportunity=OuterRef("pk"), user=user))
        )
    return queryset


def opportunities_search(*, user: User | AnonymousUser, query: str = "") -> QuerySet[Opportunity]:
    """Opportunities visible to `user` matching a full-text `query`, best matches first."""
    queryset = opportunities_visible_to(user=user)
    if query.strip():
        search = SearchQuery(query, search_type="websearch", config=ENGLISH_CONFIGURATION)
        queryset = (
            queryset.filter(search_vector=search)
            .annotate(rank=SearchRank(F("search_vector"), search))
            .order_by("-rank", "-id")
        )
    return queryset


def endorsements_about(*, subject: User, viewer: User | AnonymousUser) -> QuerySet[Endorsement]:
    """Published endorsements of `subject`, plus the unpublished ones `viewer` wrote about them;
    none by someone who does not exist for `viewer` (`users_hidden_from`)."""
    shown = Q(published_at__isnull=False)
    if _signed_in(viewer):
        shown |= Q(author=viewer)
    return (
        Endorsement.objects.filter(Q(subject=subject) & shown)
        .exclude(author__in=users_hidden_from(user=viewer))
        .select_related("author", "subject", "session", "project")
        .prefetch_related("skills")
        .order_by(F("published_at").desc(nulls_first=True), "-id")
    )


def endorsement_summary(*, subject: User, viewer: User | AnonymousUser) -> dict[str, Any]:
    """Count, average rating and the most endorsed skills of `subject`'s published endorsements,
    as `viewer` sees them (none by people who do not exist for them)."""
    published = Endorsement.objects.filter(subject=subject, published_at__isnull=False).exclude(
        author__in=users_hidden_from(user=viewer)
    )
    totals = published.aggregate(count=Count("pk"), average=Avg("rating"))
    top = (
        Tag.objects.filter(endorsements__in=published)
        .annotate(times=Count("endorsements"))
        .order_by("-times", "name")[:5]
    )
    average = totals["average"]
    return {
        "count": totals["count"],
        "average_rating": round(float(average), 2) if average is not None else None,
        "top_skills": [{"name": tag.name, "count": tag.times} for tag in top],
    }


def endorsement_get_for(*, user: User | AnonymousUser, pk: int) -> Endorsement:
    """An endorsement `user` may see: published, or written by them, between two people who
    exist for `user` (`users_hidden_from`). Raises NotFound."""
    hidden = users_hidden_from(user=user)
    endorsement = (
        Endorsement.objects.filter(pk=pk)
        .filter(Q(published_at__isnull=False) | Q(author=user))
        .exclude(author__in=hidden)
        .exclude(subject__in=hidden)
        .select_related("author", "subject", "session", "project")
        .prefetch_related("skills")
        .first()
    )
    if endorsement is None:
        raise NotFound("No such endorsement.")
    return endorsement


def workspaces_of(
    *, user: User | AnonymousUser, status: str | None = None
) -> QuerySet[CollabSession]:
    """The sessions `user` hosts or is invited to, newest first, with their participants; none
    whose host is across a block from `user`, none for a deactivated account (read from the
    database: a socket's user object may be stale). `status`: "active" (not ended) or "ended".

    The SQL twin of `collab_room_access`: every path to a room (both REST APIs, the web pages,
    the room socket, exports, chat history) goes through one of the two."""
    if not _signed_in(user):
        return CollabSession.objects.none()
    invited = Exists(
        CollabSessionParticipant.objects.filter(
            session=OuterRef("pk"), user=user, user__is_active=True
        )
    )
    # The host, even of a session kept from before participants were recorded (no host row).
    hosted = Q(host=user, host__is_active=True)
    sessions = (
        CollabSession.objects.filter(hosted | invited)
        .exclude(host__in=users_blocked_for(user=user))
        .select_related("host")
        .prefetch_related(
            Prefetch(
                "participants",
                queryset=CollabSessionParticipant.objects.select_related("user").order_by("id"),
            )
        )
        .order_by("-started_at", "-id")
    )
    if status == "active":
        sessions = sessions.filter(ended_at__isnull=True)
    elif status == "ended":
        sessions = sessions.filter(ended_at__isnull=False)
    return sessions


def workspace_get_for(*, user: User | AnonymousUser, pk: int) -> CollabSession:
    """A session `user` takes part in (host or invited, not across a block from the host).
    Raises NotFound otherwise: others do not learn it exists."""
    session = workspaces_of(user=user).filter(pk=pk).first()
    if session is None:
        raise NotFound("No such workspace.")
    return session


def collab_room_access(*, user: User | AnonymousUser, session_id: int) -> str | None:
    """How `user` may join the session's room: "editor", "viewer" (ended session) or None.

    The host and invited participants only; never someone who blocked or was blocked by the host.
    """
    session = (
        workspaces_of(user=user)
        .filter(pk=session_id)
        .prefetch_related(None)
        .values("ended_at")
        .first()
    )
    if session is None:
        return None
    return "viewer" if session["ended_at"] is not None else "editor"


def collab_chat_history(
    *, session_id: int, before_id: int | None = None, limit: int = 50
) -> tuple[list[CollabChatMessage], bool]:
    """A page of the room's chat, oldest first, ending just before `before_id` (the newest page
    without it), and whether older messages remain."""
    messages = CollabChatMessage.objects.filter(session_id=session_id).select_related("author")
    if before_id is not None:
        messages = messages.filter(pk__lt=before_id)
    page = list(messages.order_by("-id")[: limit + 1])
    return list(reversed(page[:limit])), len(page) > limit


def engagements_to_endorse(
    *, author: User | AnonymousUser, subject: User
) -> dict[str, QuerySet[Any]]:
    """What `author` may still endorse `subject` for: ended sessions both took part in,
    completed projects both are on the team of and accepted applications between the two (one
    applied, the other posted), within the endorsement window, not yet endorsed by `author`.
    `{"sessions": QuerySet[CollabSession], "projects": QuerySet[Project], "applications":
    QuerySet[OpportunityApplication]}`."""
    if not _signed_in(author) or author.pk == subject.pk:
        return {
            "sessions": CollabSession.objects.none(),
            "projects": Project.objects.none(),
            "applications": OpportunityApplication.objects.none(),
        }
    since = timezone.now() - timedelta(days=settings.ENDORSEMENT_WINDOW_DAYS)
    given = Endorsement.objects.filter(author=author, subject=subject)
    sessions = (
        CollabSession.objects.filter(ended_at__gte=since, participants__user=author)
        .filter(participants__user=subject)
        .exclude(pk__in=given.filter(session__isnull=False).values("session"))
        .order_by("-ended_at")
    )
    projects = (
        Project.objects.filter(
            status=Project.Status.COMPLETED, updated_at__gte=since, team__user=author
        )
        .filter(team__user=subject)
        .exclude(pk__in=given.filter(project__isnull=False).values("project"))
        .order_by("-updated_at")
    )
    pair = Q(applicant=author, opportunity__posted_by=subject) | Q(
        applicant=subject, opportunity__posted_by=author
    )
    applications = (
        OpportunityApplication.objects.filter(
            pair, status=OpportunityApplication.Status.ACCEPTED, decided_at__gte=since
        )
        .exclude(pk__in=given.filter(application__isnull=False).values("application"))
        .select_related("opportunity")
        .order_by("-decided_at")
    )
    return {"sessions": sessions, "projects": projects, "applications": applications}


def saved_searches_of(*, user: User | AnonymousUser) -> QuerySet[SavedSearch]:
    """`user`'s own saved searches, newest first (nobody else's: another's is a 404)."""
    if not _signed_in(user):
        return SavedSearch.objects.none()
    return SavedSearch.objects.filter(owner=user).order_by("-created_at", "-id")
