"""Reasons worded in the active language, with each language's plural forms and list style."""

import pytest
from django.utils import translation

from konnaxion.kreative.matching import REASON_CODES
from konnaxion.kreative.matching.reason_text import SENTENCES, is_reason, reason_text


def skills(count: int) -> dict:
    names = ["etching", "cyanotype", "risograph"][:count]
    return {"code": "shared_skills", "count": count, "names": names, "more": count - len(names)}


def test_every_code_has_its_sentence():
    assert set(SENTENCES) == set(REASON_CODES)


@pytest.mark.parametrize(
    ("reason", "text"),
    [
        (skills(1), "shares 1 skill: etching"),
        (skills(5), "shares 5 skills: etching, cyanotype, risograph and 2 more"),
        (
            {"code": "shared_tags", "count": 2, "names": ["a", "b"], "more": 0},
            "shares 2 tags: a, b",
        ),
        (
            {"code": "shared_styles", "count": 1, "names": ["op art"], "more": 0},
            "shares 1 style: op art",
        ),
        ({"code": "followed_by_people_you_follow", "count": 1}, "followed by 1 person you follow"),
        ({"code": "followed_by_people_you_follow", "count": 2}, "followed by 2 people you follow"),
        ({"code": "follows_you"}, "follows you"),
        ({"code": "followers", "count": 40}, "followed by 40 people"),
        ({"code": "collaborated", "count": 1}, "collaborated with you in 1 session"),
        ({"code": "strong_in", "domain": "Fine arts"}, "strong in Fine arts"),
        ({"code": "well_rated", "count": 12}, "well rated in Smart Vote (12 votes)"),
    ],
)
def test_english_is_the_default(reason, text):
    assert reason_text(reason) == text


@pytest.mark.parametrize(
    ("count", "text"),
    [
        (1, "partage 1 compétence : etching"),
        (2, "partage 2 compétences : etching, cyanotype"),
        (4, "partage 4 compétences : etching, cyanotype, risograph et 1 autre"),
        (5, "partage 5 compétences : etching, cyanotype, risograph et 2 autres"),
    ],
)
def test_french_singular_and_plural(count, text):
    with translation.override("fr"):
        assert reason_text(skills(count)) == text


@pytest.mark.parametrize(
    ("count", "text"),
    [
        (1, "يتابعه شخص واحد"),  # one
        (2, "يتابعه شخصان"),  # two: the dual, without the digit
        (3, "يتابعه 3 أشخاص"),  # few: 3-10, plural noun
        (11, "يتابعه 11 شخصًا"),  # many: 11-99, singular noun in the accusative
        (100, "يتابعه 100 شخص"),  # other: 100, 101, ...
        (103, "يتابعه 103 أشخاص"),  # few again: the rule reads n % 100
    ],
)
def test_arabic_has_its_six_plural_forms(count, text):
    with translation.override("ar"):
        assert reason_text({"code": "followers", "count": count}) == text


def test_arabic_lists_names_with_its_own_comma_and_counts_the_rest():
    with translation.override("ar"):
        assert reason_text(skills(2)) == "مهارتان مشتركتان: etching، cyanotype"
        assert reason_text(skills(6)) == (
            "6 مهارات مشتركة: etching، cyanotype، risograph و3 عناصر أخرى"
        )


def test_spanish():
    with translation.override("es"):
        assert reason_text({"code": "collaborated", "count": 1}) == "colaboró contigo en 1 sesión"
        assert reason_text({"code": "follows_you"}) == "te sigue"


@pytest.mark.parametrize(
    ("value", "known"),
    [
        ({"code": "follows_you"}, True),
        ({"code": "retired_code"}, False),
        ("shares 1 skill: etching", False),
    ],
)
def test_is_reason_recognises_the_current_form_only(value, known):
    assert is_reason(value) is known
