import io

import pytest
from PIL import Image

from konnaxion.keenkonnect.analysis import AnalysisFailed
from konnaxion.keenkonnect.analysis.pdf import pdf_analyse, pdf_first_page_png
from konnaxion.keenkonnect.tests.analysis_files import (
    multipage_pdf,
    pdf_deeply_nested,
    pdf_self_referencing,
    pdf_with_content,
)


def test_text_is_extracted_page_by_page_with_metadata():
    # given
    content = multipage_pdf(
        ["Cover sheet", "Ground floor plan", "Roof detail zanzibar"], title="House", author="Ana"
    )
    # when
    analysis = pdf_analyse(io.BytesIO(content))
    # then
    assert analysis.page_count == 3
    assert analysis.pages == ["Cover sheet", "Ground floor plan", "Roof detail zanzibar"]
    assert [number for number, text in enumerate(analysis.pages, 1) if "zanzibar" in text] == [3]
    assert analysis.metadata == {"Title": "House", "Author": "Ana"}
    assert analysis.pdf_version == "PDF-1.7"
    assert analysis.page_size == [612.0, 792.0]
    assert analysis.preview_png is None


def test_first_page_is_rendered_to_a_png_of_the_asked_size():
    # given
    content = multipage_pdf(["First", "Second"])
    # when
    png = pdf_first_page_png(io.BytesIO(content), longest=300)
    # then
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG"
    assert max(image.size) == 300
    assert image.size == (232, 300)  # 612 x 792 points
    assert image.convert("L").getextrema()[0] < 200  # the text was drawn


def test_analysis_and_preview_in_one_child():
    # when
    analysis = pdf_analyse(io.BytesIO(multipage_pdf(["One"])), preview_longest=128)
    # then
    assert analysis.pages == ["One"]
    assert max(Image.open(io.BytesIO(analysis.preview_png)).size) == 128


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (pdf_self_referencing(), "pdf_invalid"),
        (pdf_deeply_nested(), "pdf_invalid"),
        (b"%PDF-1.4\nnot a pdf at all\n%%EOF\n", "pdf_invalid"),
    ],
)
def test_malformed_pdfs_fail_with_a_reason(content, reason):
    # when
    with pytest.raises(AnalysisFailed) as raised:
        pdf_analyse(io.BytesIO(content))
    # then
    assert raised.value.reason == reason
    assert raised.value.status == 422


def test_a_pdf_that_balloons_hits_the_memory_limit_and_the_caller_goes_on():
    # given: 70 MB of text operators compressed into about 140 kB
    bomb = pdf_with_content(b"BT /F1 12 Tf " + b"(word) Tj " * 7_000_000 + b"ET")
    # when
    with pytest.raises(AnalysisFailed) as raised:
        pdf_analyse(io.BytesIO(bomb), memory_mb=64)
    # then
    assert raised.value.reason == "memory_limit"
    assert pdf_analyse(io.BytesIO(multipage_pdf(["Still here"]))).pages == ["Still here"]


def test_a_pdf_that_takes_too_long_is_stopped_at_the_wall_clock_limit():
    # given: a million text operators, far more than one second of work
    slow = pdf_with_content(b"BT /F1 12 Tf " + b"(word) Tj " * 1_000_000 + b"ET")
    # when
    with pytest.raises(AnalysisFailed) as raised:
        pdf_analyse(io.BytesIO(slow), timeout=1, memory_mb=4096)
    # then
    assert raised.value.reason == "timeout"
    assert pdf_analyse(io.BytesIO(multipage_pdf(["Next"]))).pages == ["Next"]


def test_text_beyond_the_limit_is_truncated(settings):
    # given
    settings.ANALYSIS_MAX_TEXT_CHARS = 10
    # when
    analysis = pdf_analyse(io.BytesIO(multipage_pdf(["abcdefgh", "ijklmnop", "qrst"])))
    # then
    assert analysis.pages == ["abcdefgh", "ij", ""]
    assert analysis.text_truncated is True
