from django.conf import settings
from django.db import models
from django.db.models import F, Q

from konnaxion.kreative.models.collab_sessions import CollabSession
from konnaxion.tags.models import Tag


class Endorsement(models.Model):
    """One collaborator's rating of another after a shared engagement (partner_recommendation).

    The engagement is an ended CollabSession or a completed Project both took part in, or an
    application the poster accepted (between its applicant and its poster). Hidden
    (double-blind) until the subject endorses the author back for it, or until the blind period
    after the engagement ended; `published_at` says when it became public.
    """

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="endorsements_given"
    )
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="endorsements_received"
    )
    session = models.ForeignKey(
        CollabSession, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    project = models.ForeignKey(
        "keenkonnect.Project", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    # An application the poster accepted: its applicant and its poster worked together.
    application = models.ForeignKey(
        "kreative.OpportunityApplication",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    engagement_ended_at = models.DateTimeField()
    rating = models.PositiveSmallIntegerField()
    skills = models.ManyToManyField(Tag, related_name="endorsements", blank=True)
    comment = models.TextField(blank=True)
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    reply = models.TextField(blank=True)
    replied_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("-published_at", "-id")
        constraints = [
            models.CheckConstraint(
                condition=Q(session__isnull=True, project__isnull=False, application__isnull=True)
                | Q(session__isnull=False, project__isnull=True, application__isnull=True)
                | Q(session__isnull=True, project__isnull=True, application__isnull=False),
                name="kreative_endorsement_one_engagement",
            ),
            models.CheckConstraint(
                condition=~Q(author=F("subject")), name="kreative_endorsement_not_self"
            ),
            models.CheckConstraint(
                condition=Q(rating__gte=1) & Q(rating__lte=5),
                name="kreative_endorsement_rating_range",
            ),
            models.UniqueConstraint(
                fields=["author", "subject", "session"],
                condition=Q(session__isnull=False),
                name="kreative_endorsement_once_per_session",
            ),
            models.UniqueConstraint(
                fields=["author", "subject", "project"],
                condition=Q(project__isnull=False),
                name="kreative_endorsement_once_per_project",
            ),
            models.UniqueConstraint(
                fields=["author", "subject", "application"],
                condition=Q(application__isnull=False),
                name="kreative_endorsement_once_per_application",
            ),
            # A reply exists only with its date, and only on a published endorsement.
            models.CheckConstraint(
                condition=Q(replied_at__isnull=True, reply="")
                | Q(replied_at__isnull=False, published_at__isnull=False),
                name="kreative_endorsement_reply_when_published",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.author_id} -> {self.subject_id} ({self.rating})"
