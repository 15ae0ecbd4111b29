import pytest

from konnaxion.keenkonnect.analysis.keywords import (
    keywords_extract,
    language_detect,
    tags_matching,
)
from konnaxion.tags.models import Tag

ENGLISH = (
    "The foundation plan shows the concrete footings and the steel beams of the warehouse. "
    "Each steel beam is bolted to the concrete footings, and the warehouse roof rests on them."
)
FRENCH = (
    "Le plan de la maison comprend une cuisine et un salon. La cuisine est ouverte sur le "
    "salon, et les chambres sont à l'étage avec une salle de bains."
)
SPANISH = (
    "El plano de la casa muestra la cocina y el salón. La cocina está abierta al salón y los "
    "dormitorios están en el piso de arriba con un baño."
)


@pytest.mark.parametrize(
    ("text", "language"),
    [(ENGLISH, "en"), (FRENCH, "fr"), (SPANISH, "es"), ("Bolt M8 x 40", None), ("", None)],
)
def test_language_is_detected_from_common_words(text, language):
    assert language_detect(text) == language


def test_keywords_come_from_the_text_in_its_language():
    # when
    english = [keyword.lower() for keyword in keywords_extract(ENGLISH)]
    french = [keyword.lower() for keyword in keywords_extract(FRENCH)]
    # then
    assert any("steel" in keyword for keyword in english)
    assert any("concrete" in keyword for keyword in english)
    assert not {"the", "and", "of"} & set(english)
    assert any("cuisine" in keyword for keyword in french)
    assert not {"le", "la", "et"} & set(french)


def test_no_keywords_without_words():
    assert keywords_extract("  1234 5678 ") == []


@pytest.mark.django_db
def test_keywords_map_to_existing_tags_case_insensitively():
    # given
    Tag.objects.create(name="Steel")
    Tag.objects.create(name="Timber")
    Tag.objects.create(name="Concrete Footings")
    # when
    tags = tags_matching(keywords=["steel", "concrete footings", "STEEL", "glass", " "])
    # then
    assert tags == ["Concrete Footings", "Steel"]


@pytest.mark.django_db
def test_no_tags_for_no_keywords(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert tags_matching(keywords=[]) == []
