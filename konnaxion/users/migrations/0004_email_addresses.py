"""Every account with an email address gets allauth's EmailAddress row for it: primary, not
verified (nobody has proved they read that mailbox yet). Passwords are left as they are."""

from django.db import migrations
from django.db.models import Q


def email_addresses_create(apps, schema_editor):
    User = apps.get_model("users", "User")
    EmailAddress = apps.get_model("account", "EmailAddress")
    have_one = EmailAddress.objects.values("user_id")
    users = User.objects.exclude(Q(email="") | Q(pk__in=have_one)).order_by("pk")
    seen: set[str] = set()
    rows = []
    for user_id, email in users.values_list("pk", "email").iterator():
        # allauth refuses two accounts with one address (ACCOUNT_UNIQUE_EMAIL): the oldest
        # account keeps it, the others can add an address of their own.
        key = email.lower()
        if key in seen or EmailAddress.objects.filter(email__iexact=email).exists():
            continue
        seen.add(key)
        rows.append(EmailAddress(user_id=user_id, email=email, primary=True, verified=False))
        if len(rows) >= 1000:
            EmailAddress.objects.bulk_create(rows)
            rows = []
    EmailAddress.objects.bulk_create(rows)


class Migration(migrations.Migration):
    dependencies = [
        ("users", "0003_account_closure"),
        ("account", "0009_emailaddress_unique_primary_email"),
    ]

    operations = [migrations.RunPython(email_addresses_create, migrations.RunPython.noop)]
