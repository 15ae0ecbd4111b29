"""Language, keywords and auto-tags of extracted text.

The language (English, French or Spanish) is the one whose most common words the text uses
most; keywords come from YAKE with that language's stop words; auto-tags are the shared
`kreative.Tag` names that a keyword equals, compared case-insensitively.
"""

from __future__ import annotations

import re

import yake
from django.db.models.functions import Lower

from konnaxion.core.search import TEXT_SEARCH_CONFIGURATIONS
from konnaxion.tags.models import Tag

LANGUAGES = ("en", "fr", "es")
# PostgreSQL text-search configurations, for the index built on top of this.
SEARCH_CONFIGURATIONS = TEXT_SEARCH_CONFIGURATIONS


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


STOP_WORDS = {
    "en": _words(
        """
        the of and to in is that for it with as was on be by this are from at or an
        which have not but all were they their has been its also would will can there
        more these into than other then only
        """
    ),
    "fr": _words(
        """
        le la les de des du un une et est en que qui dans pour pas sur au aux avec ce
        cette ces il elle sont par plus ne se ou mais leur nous vous été être à où
        """
    ),
    "es": _words(
        """
        el la los las de del y que en un una es por con para no se al lo como más pero
        sus su le ya o este esta son entre cuando muy sin sobre también fue ha
        """
    ),
}
WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
MIN_STOP_WORDS = 3
KEYWORD_TEXT_LIMIT = 200_000


def language_detect(text: str) -> str | None:
    """`en`, `fr` or `es`, or None when the text has too few common words to tell."""
    counts = dict.fromkeys(LANGUAGES, 0)
    for word in WORD.findall(text[:KEYWORD_TEXT_LIMIT].lower()):
        for language in LANGUAGES:
            if word in STOP_WORDS[language]:
                counts[language] += 1
    best = max(LANGUAGES, key=lambda language: counts[language])
    ranked = sorted(counts.values(), reverse=True)
    if ranked[0] < MIN_STOP_WORDS or ranked[0] == ranked[1]:
        return None
    return best


def keywords_extract(text: str, *, language: str | None = None, top: int = 15) -> list[str]:
    """The `top` keywords (phrases of up to two words) of `text`, most relevant first, in the
    text's language (detected when not given; English stop words when unknown)."""
    text = text[:KEYWORD_TEXT_LIMIT]
    if not WORD.search(text):
        return []
    language = language or language_detect(text) or "en"
    extractor = yake.KeywordExtractor(lan=language, n=2, top=top, dedupLim=0.7)
    keywords, seen = [], set()
    for phrase, _score in extractor.extract_keywords(text):
        key = phrase.casefold()
        if key not in seen:
            seen.add(key)
            keywords.append(phrase)
    return keywords


def tags_matching(*, keywords: list[str]) -> list[str]:
    """The names of the shared tags equal to one of `keywords` (case-insensitively), each
    once, in tag order."""
    wanted = {keyword.strip().lower() for keyword in keywords if keyword.strip()}
    if not wanted:
        return []
    return list(
        Tag.objects.annotate(lowered=Lower("name"))
        .filter(lowered__in=wanted)
        .values_list("name", flat=True)
    )
