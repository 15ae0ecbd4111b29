"""Insights reference data: dim_date for 2020-2035 and dim_domain with the platform's modules."""

from __future__ import annotations

from datetime import date

DIM_DATE_FIRST = date(2020, 1, 1)
DIM_DATE_LAST = date(2035, 12, 31)
DOMAIN_CODES = ("ekoh", "smart_vote", "ethikos", "konnected", "kreative", "keenkonnect")

# One statement fills (or completes) the calendar; `week` counts Monday-started weeks of the year.
DIM_DATE_SQL = """
INSERT INTO dim_date
    (date_id, calendar_date, year, quarter, month, week, day, day_of_week, iso_year, iso_week)
SELECT to_char(d, 'YYYYMMDD')::integer, d, extract(year FROM d), extract(quarter FROM d),
       extract(month FROM d), floor((extract(doy FROM d) - extract(isodow FROM d) + 7) / 7),
       extract(day FROM d), extract(isodow FROM d), extract(isoyear FROM d), extract(week FROM d)
FROM generate_series(%s::date, %s::date, interval '1 day') AS d
ON CONFLICT (date_id) DO NOTHING
"""


def load(apps) -> None:
    """Fill the calendar and the domains (idempotent)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(DIM_DATE_SQL, [DIM_DATE_FIRST, DIM_DATE_LAST])
    DimDomain = apps.get_model("insights", "DimDomain")
    for code in DOMAIN_CODES:
        DimDomain.objects.get_or_create(domain_code=code)
