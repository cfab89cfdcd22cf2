"""Documents shown to reviewers as pictures drawn by the server, beside the data.

Rana reviews and sees the pictures; Alice owns the documents but has no use for this address
(she downloads her own files); Bob and anonymous visitors must not reach it at all.
"""

import io

import pytest
from django.core.files.base import ContentFile
from PIL import Image

from applications.previews import MAX_HEIGHT, MAX_WIDTH
from applications.workflow import submit_application
from core.models import AccessAction, AccessRecord

from ..factories import ApplicationFactory, CPDActivityFactory, PractitionerProfileFactory

pytestmark = pytest.mark.django_db

# Page colours of the test PDF: a picture of page N must be the colour of page N.
PAGE_COLOURS = [(200, 30, 30), (30, 160, 60), (30, 60, 200), (240, 200, 20)]


def pdf_of_pages(colours=PAGE_COLOURS, size=(595, 842)):
    """A real PDF, one A4 page per colour (Pillow writes each image as a page)."""
    pages = [Image.new("RGB", size, colour) for colour in colours]
    output = io.BytesIO()
    pages[0].save(output, "PDF", save_all=True, append_images=pages[1:], resolution=72)
    return output.getvalue()


def image_bytes(image_format, size=(800, 600), colour=(30, 160, 60)):
    output = io.BytesIO()
    Image.new("RGB", size, colour).save(output, image_format)
    return output.getvalue()


def application_with(alice, content, name):
    application = ApplicationFactory(applicant=alice, employer_letter=ContentFile(content, name=name))
    return submit_application(application, alice, declared=True)


def preview_url(application, page, kind="employer_letter"):
    return f"/applications/{application.reference}/documents/{kind}/pages/{page}/"


def picture_of(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Cache-Control"] == "private, no-store"
    picture = Image.open(io.BytesIO(response.content))
    assert picture.format == "PNG"
    assert 0 < picture.width <= MAX_WIDTH
    assert 0 < picture.height <= MAX_HEIGHT
    return picture


@pytest.fixture
def reviewer_client(client, rana):
    client.force_login(rana)
    return client


def test_each_of_the_first_three_pdf_pages_is_drawn_as_a_png(reviewer_client, alice):
    application = application_with(alice, pdf_of_pages(), "letter.pdf")
    for page, colour in zip((1, 2, 3), PAGE_COLOURS, strict=False):
        picture = picture_of(reviewer_client.get(preview_url(application, page))).convert("RGB")
        drawn = picture.getpixel((picture.width // 2, picture.height // 2))
        # Pillow stores the pages as JPEG: a channel may be a little off.
        assert max(abs(a - b) for a, b in zip(drawn, colour, strict=True)) <= 8, (page, drawn)
        assert picture.height > picture.width  # an A4 page, upright


def test_pages_after_the_third_are_not_drawn(reviewer_client, alice):
    application = application_with(alice, pdf_of_pages(), "letter.pdf")
    assert reviewer_client.get(preview_url(application, 4)).status_code == 404
    assert reviewer_client.get(preview_url(application, 0)).status_code == 404


def test_a_huge_pdf_page_is_drawn_within_the_size_cap(reviewer_client, alice):
    application = application_with(alice, pdf_of_pages(colours=[(30, 60, 200)], size=(5000, 5000)), "plan.pdf")
    picture = picture_of(reviewer_client.get(preview_url(application, 1)))
    assert picture.size == (MAX_WIDTH, MAX_WIDTH)


@pytest.mark.parametrize(("image_format", "name"), [("PNG", "scan.png"), ("JPEG", "scan.jpg")])
def test_an_image_is_encoded_again_as_png_not_sent_as_uploaded(reviewer_client, alice, image_format, name):
    original = image_bytes(image_format, size=(3000, 2000))
    application = application_with(alice, original, name)
    response = reviewer_client.get(preview_url(application, 1))
    picture = picture_of(response)
    assert response.content != original
    assert picture.size == (MAX_WIDTH, 667)  # shrunk to the cap, proportions kept


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"%PDF-1.4\nthis is not really a PDF\n%%EOF\n", "broken.pdf"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "broken.png"),
        (b"\xff\xd8\xff" + b"garbage" * 10, "broken.jpg"),
    ],
)
def test_a_broken_file_gives_a_placeholder_picture_not_an_error(reviewer_client, alice, content, name):
    application = application_with(alice, content, name)
    picture = picture_of(reviewer_client.get(preview_url(application, 1)))
    assert picture.size == (400, 300)


def test_a_look_at_a_page_is_recorded_in_the_access_log(reviewer_client, rana, alice):
    application = application_with(alice, pdf_of_pages(), "letter.pdf")
    reviewer_client.get(preview_url(application, 1))
    record = AccessRecord.objects.get(staff=rana)
    assert (record.owner, record.action) == (alice, AccessAction.DOWNLOADED_DOCUMENT)
    assert record.target == f"{application.reference}/employer_letter"


@pytest.mark.parametrize("persona", ["alice", "bob"])
def test_applicants_get_404_even_for_their_own_document(client, request, alice, persona):
    application = application_with(alice, pdf_of_pages(), "letter.pdf")
    client.force_login(request.getfixturevalue(persona))
    assert client.get(preview_url(application, 1)).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client, alice):
    application = application_with(alice, pdf_of_pages(), "letter.pdf")
    response = client.get(preview_url(application, 1))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_missing_document_or_unknown_kind_is_404(reviewer_client, alice):
    application = application_with(alice, pdf_of_pages(), "letter.pdf")
    assert reviewer_client.get(preview_url(application, 1, kind="medical_report")).status_code == 404
    assert reviewer_client.get(preview_url(application, 1, kind="passport")).status_code == 404


def test_review_page_shows_each_page_as_a_picture_beside_the_data(reviewer_client, alice):
    application = application_with(alice, pdf_of_pages(), "letter.pdf")
    content = reviewer_client.get(f"/admin/applications/application/{application.pk}/change/").content.decode()
    assert 'class="review-layout"' in content
    for page in (1, 2, 3):
        assert f'src="{preview_url(application, page)}"' in content
    assert preview_url(application, 4) not in content
    assert "الصفحة 1 من 3" in content  # the picture's alt text
    assert f"/applications/{application.reference}/documents/employer_letter/" in content  # the whole file


def test_review_page_says_when_a_document_cannot_be_shown(reviewer_client, alice):
    application = application_with(alice, b"%PDF-1.4\nnot a PDF\n%%EOF\n", "broken.pdf")
    content = reviewer_client.get(f"/admin/applications/application/{application.pk}/change/").content.decode()
    assert preview_url(application, 1) not in content
    assert 'class="document-unavailable"' in content
    assert f"/applications/{application.reference}/documents/employer_letter/" in content


def test_cpd_certificate_is_shown_as_a_picture_to_reviewers_only(client, rana, alice, bob):
    profile = PractitionerProfileFactory(user=alice)
    activity = CPDActivityFactory(profile=profile, certificate=ContentFile(image_bytes("JPEG"), name="cert.jpg"))
    url = f"/services/cpd/{activity.pk}/certificate/pages/1/"
    client.force_login(rana)
    picture_of(client.get(url))
    page = client.get(f"/admin/applications/cpdactivity/{activity.pk}/change/").content.decode()
    assert f'src="{url}"' in page
    assert AccessRecord.objects.filter(staff=rana, owner=alice, target=f"CPD-{activity.pk}").exists()
    for applicant in (alice, bob):
        client.force_login(applicant)
        assert client.get(url).status_code == 404
