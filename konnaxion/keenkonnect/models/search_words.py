"""The words of documents' titles and texts, for the search's "did you mean"."""

from django.contrib.postgres.indexes import GinIndex
from django.db import models


class SearchWord(models.Model):
    """One word found in documents (lowercased, without accents, letters only, 3 to 40 of
    them) and in about how many documents: a ranking hint, kept up by indexing and made exact
    again by `search_vocabulary_rebuild`. It holds the words of private documents too: a
    correction is offered only when the corrected query finds something the caller may see."""

    word = models.CharField(max_length=40, unique=True)
    documents = models.IntegerField(default=0)

    class Meta:
        indexes = [
            # Trigram similarity (`word % 'kernell'`) is answered by this index.
            GinIndex(fields=["word"], opclasses=["gin_trgm_ops"], name="kk_search_word_trgm"),
        ]

    def __str__(self) -> str:
        return self.word
