"""Make the search's vocabulary of documents' words again, from every document."""

from django.core.management.base import BaseCommand

from konnaxion.keenkonnect.services.search_vocabulary import search_vocabulary_rebuild


class Command(BaseCommand):
    help = "Rebuild the vocabulary the search corrects misspelt words from (docs/search.md)."

    def handle(self, *args, **options) -> None:
        words = search_vocabulary_rebuild()
        self.stdout.write(f"The vocabulary holds {words} words.")
