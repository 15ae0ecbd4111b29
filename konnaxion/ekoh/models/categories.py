from django.db import models
from django.utils.translation import gettext, gettext_noop

# The ISCED-F 2013 field names the fixture loads (fixtures/isced_f_2013.json), marked here so
# that the catalogs translate them: the database keeps UNESCO's English names.
ISCED_NAMES = (
    gettext_noop("Education"),
    gettext_noop("Arts"),
    gettext_noop("Humanities (except languages)"),
    gettext_noop("Languages"),
    gettext_noop("Social and behavioural sciences"),
    gettext_noop("Journalism and information"),
    gettext_noop("Business and administration"),
    gettext_noop("Law"),
    gettext_noop("Biological and related sciences"),
    gettext_noop("Environment"),
    gettext_noop("Physical sciences"),
    gettext_noop("Mathematics and statistics"),
    gettext_noop("Information and Communication Technologies"),
    gettext_noop("Engineering and engineering trades"),
    gettext_noop("Manufacturing and processing"),
    gettext_noop("Architecture and construction"),
    gettext_noop("Agriculture"),
    gettext_noop("Forestry"),
    gettext_noop("Fisheries"),
    gettext_noop("Veterinary"),
    gettext_noop("Health"),
    gettext_noop("Welfare"),
    gettext_noop("Personal services"),
    gettext_noop("Hygiene and occupational health services"),
    gettext_noop("Security services"),
    gettext_noop("Transport services"),
)


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
        return self.label

    @property
    def label(self) -> str:
        """The name in the reader's language (the stored name when the catalogs lack it)."""
        return gettext(self.name)
