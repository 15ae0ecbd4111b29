from django.db import models


class DimDate(models.Model):
    """One calendar day, 2020-01-01 to 2035-12-31; `date_id` is YYYYMMDD, so fact tables are
    range-partitioned on it by month (YYYYMM00 to the next month) or year."""

    date_id = models.IntegerField(primary_key=True)
    calendar_date = models.DateField(unique=True)
    year = models.SmallIntegerField()
    quarter = models.SmallIntegerField()
    month = models.SmallIntegerField()
    # Week of the year with weeks starting on Monday (week 0 before the first Monday).
    week = models.SmallIntegerField()
    day = models.SmallIntegerField()
    day_of_week = models.SmallIntegerField()  # ISO: 1 Monday ... 7 Sunday
    iso_year = models.SmallIntegerField()
    iso_week = models.SmallIntegerField()

    class Meta:
        db_table = "dim_date"
        ordering = ("date_id",)

    def __str__(self) -> str:
        return self.calendar_date.isoformat()


class DimDomain(models.Model):
    """A platform module, as facts are attributed to it."""

    class Code(models.TextChoices):
        EKOH = "ekoh", "EkoH"
        SMART_VOTE = "smart_vote", "Smart Vote"
        ETHIKOS = "ethikos", "ethiKos"
        KONNECTED = "konnected", "KonnectED"
        KREATIVE = "kreative", "Kreative"
        KEENKONNECT = "keenkonnect", "keenKonnect"

    domain_id = models.SmallAutoField(primary_key=True)
    domain_code = models.CharField(max_length=20, choices=Code.choices, unique=True)

    class Meta:
        db_table = "dim_domain"
        ordering = ("domain_code",)

    def __str__(self) -> str:
        return self.domain_code


class DimEndpoint(models.Model):
    """An API endpoint: the HTTP method and the resolved URL route (never the raw path)."""

    endpoint_id = models.AutoField(primary_key=True)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=300)

    class Meta:
        db_table = "dim_endpoint"
        ordering = ("path", "method")
        constraints = [
            models.UniqueConstraint(
                fields=["method", "path"], name="dim_endpoint_method_path_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.method} {self.path}"
