"""The vocabulary of documents (`SearchWord`): the words of their titles and texts, from which
the search corrects a misspelt word ("did you mean", docs/search.md).

Words are lowercased, without accents (`unaccent`, as the text-search configurations read
them), letters only, 3 to 40 of them. Indexing a version adds its document's words; the counts
of documents per word may drift (a document indexed again counts again, a deleted one is not
taken off): they only rank corrections, and `search_vocabulary_rebuild` makes them exact.
"""

from __future__ import annotations

from django.db import connection, transaction

WORD_MIN, WORD_MAX = 3, 40


def _words_sql(where: str) -> str:
    """(word, number of documents) of the resources matched by `where` (alias r), by word."""
    return f"""
        SELECT word, count(DISTINCT r.id)
        FROM keenkonnect_projectresource AS r
        CROSS JOIN LATERAL regexp_split_to_table(
            lower(unaccent(coalesce(r.title, '') || ' ' || coalesce(r.extracted_text, ''))),
            '[^[:alpha:]]+'
        ) AS word
        WHERE {where} AND length(word) BETWEEN {WORD_MIN} AND {WORD_MAX}
        GROUP BY word
        ORDER BY word
    """  # noqa: S608 (built from constants; values are passed as parameters)


def search_words_add(*, text: str) -> None:
    """Count the words of one document's `text` (its title and extracted text) once more in
    the vocabulary. Words are written in their order, so that two documents indexed at once
    never wait on each other's rows in opposite orders."""
    if not text:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO keenkonnect_searchword AS known (word, documents) "  # noqa: S608 - constants
            "SELECT DISTINCT word, 1 FROM regexp_split_to_table(lower(unaccent(%s)), "
            f"'[^[:alpha:]]+') AS word WHERE length(word) BETWEEN {WORD_MIN} AND {WORD_MAX} "
            "ORDER BY word "
            "ON CONFLICT (word) DO UPDATE SET documents = known.documents + excluded.documents",
            [text],
        )


@transaction.atomic
def search_vocabulary_rebuild() -> int:
    """Make the vocabulary again from every document's title and text, with exact counts.
    Searches go on reading the former vocabulary until this commits. Returns the number of
    words."""
    with connection.cursor() as cursor:
        # Indexing that adds words meanwhile waits, then adds them to the new vocabulary.
        cursor.execute("LOCK TABLE keenkonnect_searchword IN EXCLUSIVE MODE")
        cursor.execute("DELETE FROM keenkonnect_searchword")
        cursor.execute("INSERT INTO keenkonnect_searchword (word, documents) " + _words_sql("TRUE"))
        return cursor.rowcount
