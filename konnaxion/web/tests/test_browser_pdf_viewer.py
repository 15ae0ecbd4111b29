"""The document page's PDF viewer in Debian's Chromium (headless): a search hit opens at its page
with the words highlighted, every page is drawn as it scrolls into view, thumbnails, zoom, text
selection, find, a large file opened on demand, a file that cannot be read, a new version arriving
live, and Arabic on a phone."""

import io

import pypdf
import pytest
from PIL import Image
from playwright.sync_api import expect

from konnaxion.files.models import Blob
from konnaxion.keenkonnect.models import ProjectTeam
from konnaxion.keenkonnect.samples import pdf_document
from konnaxion.keenkonnect.selectors import resource_get_visible
from konnaxion.keenkonnect.services.intelligent_indexing import resource_index
from konnaxion.keenkonnect.services.secure_document_storage import resource_create
from konnaxion.keenkonnect.services.team import project_member_add
from konnaxion.keenkonnect.services.version_labels import version_annotate
from konnaxion.keenkonnect.tests.analysis_files import multipage_pdf
from konnaxion.keenkonnect.tests.factories import project_for
from konnaxion.keenkonnect.tests.files import incoming_file
from konnaxion.users.tests.factories import UserFactory
from konnaxion.web.tests.test_blueprints_pages import second_version
from konnaxion.web.tests.test_browser_blueprints import sign_in

pytestmark = pytest.mark.browser

PAGES = [
    "Site survey of the meadow.\nBoundary stones along the lane.",
    "Foundations on compacted gravel.\nDrains towards the hedge.",
    "The pond margin is planted with quillwort.\nA swale takes the overflow.",
    "Roof timbers in larch.\nGutters feed the cistern.",
    "Finishes and the paint schedule.\nLime wash for the walls.",
]


def _indexed_pdf(project, owner, pages=PAGES, *, name="survey.pdf", title="Survey"):
    resource = resource_create(
        project=project,
        upload=incoming_file(multipage_pdf(pages), name=name),
        actor=owner,
        title=title,
    )
    resource_index(resource_id=resource.pk, version_number=1)
    return resource


@pytest.fixture
def team(live_server_url):
    olga, walt = UserFactory(username="olga"), UserFactory(username="walt")
    project = project_for(creator=olga, title="Pond house", visibility="members")
    project_member_add(project=project, user=walt, role=ProjectTeam.Role.MENTOR)
    return project, olga, walt


def _page_number(page):
    return page.get_by_role("group", name="PDF viewer").get_by_label("Page number", exact=True)


def _ready(page):
    expect(page.locator("[data-pdf-viewer][data-state=ready]")).to_have_count(1)


def test_a_search_hit_opens_the_viewer_at_its_page_with_the_words_highlighted(page, team):
    # given a five-page PDF whose third page alone says "quillwort"
    project, olga, walt = team
    resource = _indexed_pdf(project, olga)
    sign_in(page, walt)
    # when walt searches for it and follows the hit
    page.goto("/search/")
    page.get_by_label("Search for").fill("quillwort")
    page.get_by_label("Search for").press("Enter")
    page.get_by_role("link", name="Survey").click()
    # then the document opens at page 3 of 5, the word highlighted in the text layer, in view
    expect(page).to_have_url(
        f"{page.url.split('/projects/')[0]}/projects/{project.slug}/blueprints/{resource.pk}/"
        "?q=quillwort#page=3"
    )
    _ready(page)
    expect(_page_number(page)).to_have_value("3")
    expect(page.locator("[data-pdf-count]")).to_have_text("of 5")
    mark = page.locator('.pdf-page[data-page="3"] .textLayer mark.pdf-match')
    expect(mark).to_have_text("quillwort")
    expect(mark).to_have_class("pdf-match pdf-match--current")
    expect(mark).to_be_in_viewport()
    expect(page.locator("[data-pdf-find-status]")).to_have_text("Match 1 of 1")
    expect(page.get_by_role("searchbox", name="Find in the document")).to_have_value("quillwort")
    # the server's picture of the first page steps aside for the viewer
    expect(page.locator("section.preview figure")).to_be_hidden()


def test_a_word_the_search_stemmed_is_still_highlighted(page, team):
    # given the search found "quillworts" on page 3 (as "quillwort")
    project, olga, walt = team
    resource = _indexed_pdf(project, olga)
    sign_in(page, walt)
    # when walt follows the hit
    page.goto(f"/projects/{project.slug}/blueprints/{resource.pk}/?q=quillworts#page=3")
    # then the word as the page writes it is highlighted
    _ready(page)
    mark = page.locator('.pdf-page[data-page="3"] .textLayer mark.pdf-match--current')
    expect(mark).to_have_text("quillwort")
    expect(mark).to_be_in_viewport()
    expect(_page_number(page)).to_have_value("3")


def test_every_page_thumbnails_zoom_selection_and_find(page, team):
    # given the five-page PDF, opened by walt
    project, olga, walt = team
    resource = _indexed_pdf(project, olga)
    sign_in(page, walt)
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.goto(f"/projects/{project.slug}/blueprints/{resource.pk}/")
    _ready(page)
    expect(page.locator("[data-pdf-count]")).to_have_text("of 5")
    pages = page.get_by_role("region", name="The pages of the PDF")

    # when walt turns the pages with the keyboard
    pages.focus()
    for number in range(2, 6):
        page.keyboard.press("PageDown")
        expect(_page_number(page)).to_have_value(str(number))
    # then every page has been drawn, with its text layer
    expect(page.locator(".pdf-page[data-rendered=true] canvas")).to_have_count(5)
    expect(page.locator(".pdf-page[data-rendered=true] .textLayer")).to_have_count(5)
    page.keyboard.press("PageUp")
    expect(_page_number(page)).to_have_value("4")

    # when he picks page 2 among the thumbnails
    page.get_by_role("button", name="Go to page 2").click()
    # then page 2 is shown and its thumbnail is the current one
    expect(_page_number(page)).to_have_value("2")
    expect(page.locator('.pdf-page[data-page="2"]')).to_be_in_viewport()
    expect(page.get_by_role("button", name="Go to page 2")).to_have_attribute(
        "aria-current", "page"
    )
    # and typing a page number goes there
    _page_number(page).fill("4")
    _page_number(page).press("Enter")
    expect(page.locator('.pdf-page[data-page="4"]')).to_be_in_viewport()

    # when he zooms in, then out with the keyboard
    first = page.locator('.pdf-page[data-page="1"]')
    fitted = first.bounding_box()["width"]
    page.get_by_role("button", name="Zoom in").click()
    expect(page.locator("[data-pdf-zoom]")).not_to_have_text("")
    zoomed = first.bounding_box()["width"]
    assert zoomed > fitted
    pages.focus()
    page.keyboard.press("-")
    page.keyboard.press("-")
    assert first.bounding_box()["width"] < zoomed
    page.get_by_role("button", name="Fit to width").click()
    assert first.bounding_box()["width"] == pytest.approx(fitted, abs=2)
    # and the page he was reading stays in view
    expect(_page_number(page)).to_have_value("4")

    # when he triple-clicks a line of page 4's text
    # (the fit above redraws the page's text layer in the background: a line picked while it is
    # being replaced is picked again, at most three times)
    word = page.locator('.pdf-page[data-page="4"] .textLayer span', has_text="larch").first
    selected = ""
    for _attempt in range(3):
        word.click(click_count=3)
        selected = page.evaluate("window.getSelection().toString()")
        if "larch" in selected:
            break
    # then the text is selected, as text
    assert "larch" in selected

    # when he looks for a word of two pages
    page.get_by_role("searchbox", name="Find in the document").fill("the")
    page.get_by_role("button", name="Find", exact=True).click()
    # then the matches are counted from the current page on and highlighted
    status = page.locator("[data-pdf-find-status]")
    expect(status).to_have_text("Match 6 of 8")
    expect(page.locator(".pdf-match--current")).to_be_in_viewport()
    expect(page.locator(".pdf-match--current")).to_have_text("the")
    page.get_by_role("button", name="Next match").click()
    expect(status).to_have_text("Match 7 of 8")
    expect(_page_number(page)).to_have_value("5")
    page.get_by_role("searchbox", name="Find in the document").fill("nowhere")
    page.get_by_role("searchbox", name="Find in the document").press("Enter")
    expect(status).to_have_text("No match in the document.")
    expect(page.locator("mark.pdf-match")).to_have_count(0)
    # and the library, its worker and its fonts kept within the Content-Security-Policy
    assert errors == []


def test_a_live_change_of_the_same_version_keeps_the_open_viewer(page, team):
    # given walt reading page 4 of the PDF, zoomed in
    project, olga, walt = team
    resource = _indexed_pdf(project, olga)
    sign_in(page, walt)
    page.goto(f"/projects/{project.slug}/blueprints/{resource.pk}/#page=4")
    _ready(page)
    expect(page.locator("#document-live[data-live=connected]")).to_have_count(1)
    expect(_page_number(page)).to_have_value("4")
    page.get_by_role("button", name="Zoom in").click()
    zoom = page.locator("[data-pdf-zoom]").text_content()
    page.evaluate("window.openViewer = document.querySelector('[data-pdf-viewer]')")
    # when olga labels the version, which refreshes the preview and history in place
    version_annotate(
        resource=resource_get_visible(user=olga, project=project, resource_id=resource.pk),
        number=1,
        actor=olga,
        label="Tender",
    )
    expect(page.locator("#version-1")).to_contain_text("Tender")
    # then the same viewer is still there, at the same page and zoom, the picture still aside
    assert page.evaluate("document.querySelector('[data-pdf-viewer]') === window.openViewer")
    expect(_page_number(page)).to_have_value("4")
    expect(page.locator("[data-pdf-zoom]")).to_have_text(zoom)
    expect(page.locator("section.preview figure")).to_be_hidden()
    # and it still works
    page.get_by_role("button", name="Next page").click()
    expect(_page_number(page)).to_have_value("5")


def test_a_new_version_arriving_live_restarts_the_viewer(page, team):
    # given walt reading a five-page PDF
    project, olga, walt = team
    resource = _indexed_pdf(project, olga)
    sign_in(page, walt)
    page.goto(f"/projects/{project.slug}/blueprints/{resource.pk}/")
    _ready(page)
    expect(page.locator("#document-live[data-live=connected]")).to_have_count(1)
    # when olga uploads a two-page version
    version = second_version(resource, olga, content=multipage_pdf(["New cover.", "New plan."]))
    resource_index(resource_id=resource.pk, version_number=version.number)
    # then the page's viewer shows the new version's pages, without a reload
    viewer = page.locator("[data-pdf-viewer]")
    expect(viewer).to_have_attribute("data-src", f"{viewer.get_attribute('data-src')[:-1]}2")
    _ready(page)
    expect(page.locator("[data-pdf-count]")).to_have_text("of 2")
    expect(page.locator(".pdf-page")).to_have_count(2)
    expect(page.locator(".pdf-page[data-rendered=true] .textLayer").first).to_contain_text(
        "New cover."
    )


def _large_pdf(padding: int) -> bytes:
    """A one-page PDF carrying `padding` bytes in an object no page uses."""
    text = b"BT /F1 12 Tf 72 720 Td (A heavy survey.) Tj ET"
    return pdf_document(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792]"
            b" /Resources << /Font << /F1 3 0 R >> >> /Contents 5 0 R >>",
            b"<< /Length %d >>\nstream\n%s\nendstream" % (len(text), text),
            b"<< /Length %d >>\nstream\n%s\nendstream" % (padding, b"\0" * padding),
        ]
    )


def test_a_large_pdf_is_downloaded_only_when_asked(page, team):
    # given a PDF of 21 MB
    project, olga, walt = team
    resource = resource_create(
        project=project,
        upload=incoming_file(_large_pdf(21 * 1024 * 1024), name="heavy.pdf"),
        actor=olga,
        title="Heavy",
    )
    sign_in(page, walt)
    downloads = []
    page.on("request", lambda request: "/download/" in request.url and downloads.append(request))
    # when walt opens its page
    page.goto(f"/projects/{project.slug}/blueprints/{resource.pk}/")
    # then the viewer offers to open it, and nothing is downloaded yet
    button = page.get_by_role("button", name="Show every page here")
    expect(button).to_be_visible()
    expect(button).to_contain_text("21.0")
    expect(page.get_by_role("group", name="PDF viewer")).to_be_hidden()
    assert downloads == []
    # when he asks for it
    button.click()
    # then it opens, the keyboard in its pages
    _ready(page)
    expect(page.get_by_role("region", name="The pages of the PDF")).to_be_focused()
    expect(page.locator("[data-pdf-count]")).to_have_text("of 1")
    expect(page.locator(".pdf-page .textLayer").first).to_contain_text("A heavy survey.")
    assert downloads


def test_a_pdf_that_cannot_be_read_keeps_the_server_picture(page, team):
    # given a PDF indexed (its first page pictured), whose stored file then cannot be decrypted
    project, olga, walt = team
    resource = _indexed_pdf(project, olga)
    Blob.objects.filter(document_versions__resource=resource).update(key_id="lost-key")
    sign_in(page, walt)
    # when walt opens it
    page.goto(f"/projects/{project.slug}/blueprints/{resource.pk}/")
    # then the viewer says so and the picture of the first page stays
    expect(page.locator("[data-pdf-viewer]")).to_have_attribute("data-state", "failed")
    expect(page.get_by_role("alert").filter(has_text="PDF")).to_have_text(
        "The PDF could not be loaded. Reload the page, or download the file."
    )
    expect(page.locator("section.preview figure img")).to_be_visible()
    expect(page.get_by_role("group", name="PDF viewer")).to_be_hidden()


def _protected(content: bytes) -> bytes:
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(content)))
    writer.encrypt(user_password="tender", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_a_pdf_protected_by_a_password_says_so(page, team):
    # given a PDF that opens only with its password
    project, olga, walt = team
    resource = resource_create(
        project=project,
        upload=incoming_file(_protected(multipage_pdf(PAGES)), name="locked.pdf"),
        actor=olga,
        title="Locked",
    )
    resource_index(resource_id=resource.pk, version_number=1)
    sign_in(page, walt)
    # when walt opens it
    page.goto(f"/projects/{project.slug}/blueprints/{resource.pk}/")
    # then the viewer says why it cannot show it, and asks for no password
    expect(page.locator("[data-pdf-viewer]")).to_have_attribute("data-state", "failed")
    expect(page.get_by_role("alert").filter(has_text="password")).to_have_text(
        "This PDF is protected by a password and cannot be shown here. Download it to open it."
    )
    expect(page.locator(".pdf-page")).to_have_count(0)


def _jpeg_2000_pdf() -> bytes:
    """A one-page PDF whose only content is a red square in JPEG 2000 (as in scanned drawings)."""
    out = io.BytesIO()
    Image.new("RGB", (40, 40), (220, 20, 20)).save(out, format="JPEG2000")
    image = out.getvalue()
    draw = b"q 200 0 0 200 0 0 cm /Im1 Do Q"
    return pdf_document(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200]"
            b" /Resources << /XObject << /Im1 5 0 R >> >> /Contents 4 0 R >>",
            b"<< /Length %d >>\nstream\n%s\nendstream" % (len(draw), draw),
            b"<< /Type /XObject /Subtype /Image /Width 40 /Height 40 /Filter /JPXDecode"
            b" /Length %d >>\nstream\n%s\nendstream" % (len(image), image),
        ]
    )


def test_a_jpeg_2000_image_is_drawn_without_webassembly(page, team):
    # given a PDF holding a JPEG 2000 image
    project, olga, walt = team
    resource = resource_create(
        project=project,
        upload=incoming_file(_jpeg_2000_pdf(), name="scan.pdf"),
        actor=olga,
        title="Scan",
    )
    sign_in(page, walt)
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    # when walt opens it
    page.goto(f"/projects/{project.slug}/blueprints/{resource.pk}/")
    _ready(page)
    expect(page.locator(".pdf-page[data-rendered=true] canvas")).to_have_count(1)
    # then the middle of the page is the image's red, decoded by the JavaScript decoder
    red, green, blue, _ = page.evaluate(
        """() => {
          const canvas = document.querySelector(".pdf-page canvas");
          const middle = [Math.floor(canvas.width / 2), Math.floor(canvas.height / 2)];
          return [...canvas.getContext("2d").getImageData(...middle, 1, 1).data];
        }"""
    )
    assert red > 180 and green < 80 and blue < 80
    assert errors == []


def test_in_arabic_on_a_phone_the_viewer_fits_and_works_by_keyboard(
    new_page, team, live_server_url
):
    # given walt on a 390 px wide phone, in Arabic
    project, olga, walt = team
    resource = _indexed_pdf(project, olga)
    phone = new_page(viewport={"width": 390, "height": 844})
    sign_in(phone, walt)
    phone.context.add_cookies([{"name": "django_language", "value": "ar", "url": live_server_url}])
    phone.goto(f"/projects/{project.slug}/blueprints/{resource.pk}/")
    _ready(phone)
    expect(phone.locator("html")).to_have_attribute("dir", "rtl")
    expect(phone.locator("[data-pdf-count]")).to_have_text("من 5")
    # then nothing scrolls sideways, the controls are laid right to left, the pages left to right
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    assert (
        phone.evaluate("getComputedStyle(document.querySelector('[data-pdf-toolbar]')).direction")
        == "rtl"
    )
    assert (
        phone.evaluate("getComputedStyle(document.querySelector('[data-pdf-pages]')).direction")
        == "ltr"
    )
    # the thumbnails start folded; the keyboard opens them and picks a page
    pages_button = phone.locator("[data-pdf-thumbs]")
    expect(pages_button).to_have_attribute("aria-expanded", "false")
    pages_button.focus()
    phone.keyboard.press("Enter")
    expect(pages_button).to_have_attribute("aria-expanded", "true")
    thumbnail = phone.locator('.pdf-thumbnail[data-page="3"]')
    thumbnail.focus()
    phone.keyboard.press("Enter")
    expect(phone.locator("[data-pdf-page]")).to_have_value("3")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
