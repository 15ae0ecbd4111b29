"""Re-wrap every blob's data key under the current master key, rewriting no blob."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from konnaxion.files.encryption import current_master_key
from konnaxion.files.services import blob_keys_rotate


class Command(BaseCommand):
    help = (
        "Re-wrap the data key of every blob under KONNAXION_STORAGE_KEY. Put the previous key in "
        "KONNAXION_STORAGE_OLD_KEYS first; remove it once this command has finished."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int, default=200)

    def handle(self, *args: Any, batch_size: int, **options: Any) -> None:
        rotated = blob_keys_rotate(batch_size=batch_size)
        key_id = current_master_key().key_id
        self.stdout.write(f"Re-wrapped {rotated} data keys under master key {key_id}.")
