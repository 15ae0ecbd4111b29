from django.db import models
from django.db.models.functions import Lower


class Tag(models.Model):
    """The one tag vocabulary shared by every module (Kontact's skills, Stockage's keywords)."""

    name = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "kreative_tag"  # where Kontact first created it
        ordering = ("name",)
        constraints = [
            models.UniqueConstraint(Lower("name"), name="kreative_tag_name_ci_unique"),
            models.CheckConstraint(
                condition=~models.Q(name=""), name="kreative_tag_name_not_blank"
            ),
        ]

    def __str__(self) -> str:
        return self.name
