"""Documents: accepted by content, limited in size, served only to the owner and reviewers."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from applications.documents import detect_document_type

from ..factories import PDF_BYTES, ApplicationFactory
from .helpers import image, pdf, text_named_pdf


def code_of(uploaded):
    with pytest.raises(ValidationError) as caught:
        detect_document_type(uploaded)
    return caught.value.code


def test_pdf_jpeg_and_png_are_recognised_by_content():
    assert detect_document_type(pdf()) == "pdf"
    assert detect_document_type(image("JPEG", name="x.pdf")) == "jpeg"
    assert detect_document_type(image("PNG", name="x.txt")) == "png"


def test_text_named_pdf_is_refused():
    assert code_of(text_named_pdf()) == "type"


def test_empty_file_is_refused():
    assert code_of(SimpleUploadedFile("empty.pdf", b"")) == "empty"


def test_six_megabytes_is_refused():
    big = SimpleUploadedFile("big.pdf", PDF_BYTES + b"0" * (6 * 1024 * 1024))
    assert code_of(big) == "too_large"


def test_exactly_five_megabytes_is_accepted():
    limit = SimpleUploadedFile("limit.pdf", PDF_BYTES + b"0" * (5 * 1024 * 1024 - len(PDF_BYTES)))
    assert detect_document_type(limit) == "pdf"


def test_truncated_image_is_refused():
    whole = image("PNG").read()
    assert code_of(SimpleUploadedFile("cut.png", whole[:40])) == "damaged"


def test_html_pretending_to_be_an_image_is_refused():
    assert code_of(SimpleUploadedFile("x.png", b"<html><script>alert(1)</script></html>")) == "type"


def test_svg_is_refused():
    assert code_of(SimpleUploadedFile("x.png", b'<svg xmlns="http://www.w3.org/2000/svg"></svg>')) == "type"


def test_decompression_bomb_is_refused():
    assert code_of(image("PNG", size=(8000, 8000))) == "damaged"


# --- Download: the permission matrix -------------------------------------------------------
@pytest.fixture
def alices_application(alice):
    return ApplicationFactory(applicant=alice)


def document_url(application, kind="employer_letter"):
    return f"/applications/{application.reference}/documents/{kind}/"


@pytest.mark.django_db
def test_owner_downloads_as_an_attachment_with_a_clean_name(client, alice, alices_application):
    client.force_login(alice)
    response = client.get(document_url(alices_application))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    expected_name = f"{alices_application.reference}-employer_letter.pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{expected_name}"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF_BYTES


@pytest.mark.django_db
def test_reviewer_downloads(client, rana, alices_application):
    client.force_login(rana)
    assert client.get(document_url(alices_application)).status_code == 200


@pytest.mark.django_db
def test_another_applicant_gets_404(client, bob, alices_application):
    client.force_login(bob)
    assert client.get(document_url(alices_application)).status_code == 404


@pytest.mark.django_db
def test_staff_without_the_permission_gets_404(client, alices_application):
    from ..factories import UserFactory

    client.force_login(UserFactory(is_staff=True))
    assert client.get(document_url(alices_application)).status_code == 404


@pytest.mark.django_db
def test_anonymous_is_sent_to_log_in(client, alices_application):
    response = client.get(document_url(alices_application))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["iqama_copy", "nonsense", "..%2F..%2Fsettings"])
def test_missing_or_unknown_document_is_404(client, alice, alices_application, kind):
    client.force_login(alice)
    assert client.get(document_url(alices_application, kind)).status_code == 404


@pytest.mark.django_db
def test_documents_have_no_public_url():
    from mumaris import settings as production_settings

    assert production_settings.MEDIA_URL is None
    assert not str(production_settings.MEDIA_ROOT).startswith(str(production_settings.STATIC_ROOT))


# --- Upload attacks --------------------------------------------------------------------
def test_shell_script_named_pdf_is_refused():
    assert code_of(SimpleUploadedFile("report.pdf", b"#!/bin/sh\nrm -rf /\n")) == "type"


def test_windows_executable_named_pdf_is_refused():
    assert code_of(SimpleUploadedFile("report.pdf", b"MZ\x90\x00" + b"\x00" * 100)) == "type"


def test_html_with_a_pdf_header_later_is_refused():
    assert code_of(SimpleUploadedFile("x.pdf", b"<html>%PDF-1.4</html>")) == "type"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "hostile_name",
    [
        "../../../etc/passwd.pdf",
        "..\\..\\windows\\system32\\evil.pdf",
        "/absolute/path.pdf",
        "name\x07with\x1bcontrol.pdf",
        "invoice\u202efdp.exe",
        "شهادة\u200f.pdf",
        "a" * 300 + ".pdf",
    ],
)
def test_hostile_file_names_are_stored_safely_and_downloaded_cleanly(client, alice, hostile_name):
    import re

    from applications.models import Application

    client.force_login(alice)
    draft = ApplicationFactory(applicant=alice, employer_letter=None)
    upload = SimpleUploadedFile(hostile_name, PDF_BYTES, content_type="application/pdf")
    response = client.post(f"/applications/{draft.reference}/edit/work/", {"employer_letter": upload, "action": "save"})
    assert response.status_code == 302
    application = Application.objects.get(applicant=alice)
    assert re.fullmatch(r"documents/[0-9a-f]{32}\.pdf", application.employer_letter.name)
    download = client.get(document_url(application))
    assert download["Content-Disposition"] == f'attachment; filename="{application.reference}-employer_letter.pdf"'


def test_the_orphan_sweep_deletes_only_old_unreferenced_files(alice, settings):
    import os
    import time

    from django.core.management import call_command

    application = ApplicationFactory(applicant=alice)
    root = settings.MEDIA_ROOT / "documents"
    old_orphan, new_orphan = root / "old-orphan.pdf", root / "new-orphan.pdf"
    for orphan in (old_orphan, new_orphan):
        orphan.write_bytes(b"%PDF-1.4\n")
    two_hours_ago = time.time() - 2 * 60 * 60
    os.utime(old_orphan, (two_hours_ago, two_hours_ago))
    os.utime(settings.MEDIA_ROOT / application.employer_letter.name, (two_hours_ago, two_hours_ago))
    call_command("sweep_orphan_documents")
    assert sorted(path.name for path in root.iterdir()) == sorted(
        ["new-orphan.pdf", application.employer_letter.name.removeprefix("documents/")]
    )


def test_a_request_declared_over_the_limit_is_refused_before_it_is_read(alice_client, alice, settings):
    class UnreadableBody:
        def read(self, *args):
            raise AssertionError("the body was read")

        readline = read

    application = ApplicationFactory(applicant=alice)
    alice_client.cookies["mumaris_language"] = "en"
    response = alice_client.post(
        f"/applications/{application.reference}/edit/",
        CONTENT_LENGTH=str(100 * 1024 * 1024),
        CONTENT_TYPE="multipart/form-data; boundary=x",
        **{"wsgi.input": UnreadableBody()},
    )
    assert response.status_code == 413
    assert "Each document must be at most 5 MB" in response.content.decode()
