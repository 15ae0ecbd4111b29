from django.db import models


class ExpertiseCategory(models.Model):
    """A knowledge domain (ISCED-F 2013 field) in which expertise is scored."""

    name = models.CharField(max_length=120, unique=True)
    code = models.CharField(
        max_length=8, unique=True, help_text="ISCED-F 2013 field code, e.g. 0613."
    )
    description = models.TextField(blank=True)

    class Meta:
        ordering = ("code",)
        verbose_name_plural = "expertise categories"

    def __str__(self) -> str:
        return self.name
