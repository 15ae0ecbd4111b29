from django.conf import settings
from django.db import models
from django.db.models import Q


class ForumTopic(models.Model):
    """A discussion thread of the learning forums."""

    title = models.CharField(max_length=200)
    category = models.CharField(max_length=100, blank=True)
    creator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_topics"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-created_at", "-id")
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="forum_topic_title_not_blank")
        ]

    def __str__(self) -> str:
        return self.title


class ForumPost(models.Model):
    topic = models.ForeignKey(ForumTopic, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_posts"
    )
    content = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("created_at", "id")
        constraints = [
            models.CheckConstraint(condition=~Q(content=""), name="forum_post_content_not_blank")
        ]

    def __str__(self) -> str:
        return f"post {self.pk} in {self.topic_id}"
