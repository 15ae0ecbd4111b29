"""Queue the indexing of Stockage documents again (all of them, or the ids given)."""

from django.core.management.base import BaseCommand

from konnaxion.keenkonnect.services.intelligent_indexing import resources_reindex


class Command(BaseCommand):
    help = "Mark documents pending and queue their indexing again (all, or the ids given)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("ids", nargs="*", type=int, help="resource ids (default: all)")

    def handle(self, *args, ids: list[int], **options) -> None:
        queued = resources_reindex(resource_ids=ids or None)
        self.stdout.write(f"Queued {queued} documents for indexing.")
