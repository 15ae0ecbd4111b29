"""Demo data for a first run: idempotent, so `konnaxion up --demo` can run it every time."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from konnaxion.keenkonnect.demo import demo_projects_load
from konnaxion.kreative.demo import demo_people_load
from konnaxion.users.services import email_address_set_verified

DEMO_ADMIN = ("admin", "admin@konnaxion.local", "konnaxion-admin")


class Command(BaseCommand):
    help = "Load the demo data (safe to run again: nothing is duplicated)."

    @transaction.atomic
    def handle(self, *args: object, **options: object) -> None:
        user_model = get_user_model()
        username, email, password = DEMO_ADMIN
        if not user_model.objects.filter(username=username).exists():
            user_model.objects.create_superuser(username=username, email=email, password=password)
        admin = user_model.objects.get(username=username)
        email_address_set_verified(user=admin, email=email)
        demo_projects_load(owner=admin)
        demo_people_load(admin=admin)
        self.stdout.write(f"Demo data ready. Sign in to /admin/ as {username} / {password}.")
