"""The certificate as a person receives it: opened with Poppler's tools, as a reader would."""

import shutil
import subprocess

import pytest

import registry.certificate
from registry.certificate import certificate_pdf, printed_values
from registry.codes import format_code

from ..factories import RegistrationFactory, SpecialtyFactory

pytestmark = pytest.mark.django_db

# Names with the letters that break naive PDFs: lam-alef ligatures, letters that do not join
# the next one, hamza forms, and a Persian letter beyond the web pages' font subset.
NAME_AR = "عبدالإله بن لافي الأحمدي الزهراني"
NAME_EN = "Abdulelah Lafi Al-Ahmadi"


def need(tool):
    path = shutil.which(tool)
    if path is None:
        pytest.fail(f"{tool} is needed (Debian: poppler-utils, zbar-tools)")
    return path


def run(*command):
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout  # noqa: S603


@pytest.fixture
def registration(settings):
    settings.SITE_URL = "https://mumaris.example.sa"
    return RegistrationFactory(
        profile__user__full_name_ar=NAME_AR,
        profile__user__full_name_en=NAME_EN,
        profile__profession="physician",
        profile__specialty=SpecialtyFactory(),
        profile__membership_number="2600000042",
    )


@pytest.fixture
def pdf_file(registration, tmp_path):
    certificate = registration.certificates.get()
    path = tmp_path / "certificate.pdf"
    path.write_bytes(certificate_pdf(certificate, "ar"))
    return path


def test_one_a4_page(pdf_file):
    info = run(need("pdfinfo"), str(pdf_file))
    assert "Pages:           1" in info
    assert "595.276 x 841.89 pts (A4)" in info


def test_the_text_layer_has_the_number_and_both_names_in_reading_order(pdf_file, registration):
    text = run(need("pdftotext"), str(pdf_file), "-")
    lines = [" ".join(line.replace("\u202b", "").replace("\u202c", "").split()) for line in text.splitlines()]
    assert NAME_AR in lines
    assert NAME_EN in lines
    assert "26-0000-0042" in lines
    assert "طب الأسرة" in lines
    assert format_code(registration.certificates.get().code) in lines
    assert "شهادة التسجيل المهني" in lines


def test_each_side_names_the_specialty_in_its_language(pdf_file):
    text = run(need("pdftotext"), str(pdf_file), "-")
    lines = [" ".join(line.replace("\u202b", "").replace("\u202c", "").split()) for line in text.splitlines()]
    assert "طب الأسرة" in lines
    assert "Family medicine" in lines


def test_the_qr_code_decodes_to_the_verification_address(pdf_file, registration, tmp_path):
    run(need("pdftoppm"), "-r", "150", "-png", "-singlefile", str(pdf_file), str(tmp_path / "page"))
    decoded = run(need("zbarimg"), "--quiet", "--raw", str(tmp_path / "page.png")).strip()
    code = registration.certificates.get().code
    assert decoded == f"https://mumaris.example.sa/verify/{code}/"


def test_names_in_letters_beyond_arabic_are_printed_with_the_embedded_font(registration, tmp_path):
    registration.profile.user.full_name_ar = "پروین گلچین"  # Persian letters
    registration.profile.user.save()
    path = tmp_path / "c.pdf"
    path.write_bytes(certificate_pdf(registration.certificates.get(), "ar"))
    fonts = run(need("pdffonts"), str(path))
    assert "Plex-Arabic" in fonts.replace(" ", "-") or "PlexArabic" in fonts.replace(" ", "")
    assert "پروین گلچین" in " ".join(run(need("pdftotext"), str(path), "-").split())


def test_drawn_once_then_served_from_the_cache_per_language(registration, monkeypatch):
    """(How long drawing takes is measured by `make bench`, not here.)"""
    certificate = registration.certificates.get()
    drawn = []
    render_pdf = registry.certificate.render_pdf
    monkeypatch.setattr(registry.certificate, "render_pdf", lambda *args: drawn.append(args) or render_pdf(*args))
    first = certificate_pdf(certificate, "ar")
    assert certificate_pdf(certificate, "ar") == first
    certificate_pdf(certificate, "en")
    assert [language for _values, language in drawn] == ["ar", "en"]


def test_a_change_to_what_is_printed_makes_a_new_pdf(registration):
    certificate = registration.certificates.get()
    before = printed_values(certificate)
    registration.profile.specialty = SpecialtyFactory(name_ar="الجراحة العامة", name_en="General surgery")
    registration.profile.save()
    certificate.registration.profile.refresh_from_db()
    assert printed_values(certificate) != before
