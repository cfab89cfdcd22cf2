"""The certificate as a person receives it: opened with Poppler's tools, as a reader would."""

import os
import re
import shutil
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

import registry.certificate
from profiles.models import Profession
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


def text_lines(pdf_file):
    """The PDF's text lines as a reader copies them, without Poppler's embedding marks."""
    text = run(need("pdftotext"), str(pdf_file), "-")
    return [" ".join(line.replace("\u202b", "").replace("\u202c", "").split()) for line in text.splitlines()]


def test_the_text_layer_has_the_number_and_both_names_in_reading_order(pdf_file, registration):
    lines = text_lines(pdf_file)
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


def catalog_entries(pdf_file):
    """The document catalog's text, out of the compressed object streams it sits in."""
    data = pdf_file.read_bytes()
    for stream in re.finditer(rb"stream\r?\n", data):
        try:
            text = zlib.decompressobj().decompress(data[stream.end() :])
        except zlib.error:
            continue
        if b"/Type /Catalog" in text:
            return text.decode("latin-1")
    return data.decode("latin-1")


def test_a_tagged_accessible_pdf_with_its_title_and_language(pdf_file):
    info = run(need("pdfinfo"), str(pdf_file))
    assert re.search(r"^Tagged:\s+yes$", info, re.MULTILINE)
    assert re.search(r"^Title:\s+شهادة التسجيل 26-0000-0042$", info, re.MULTILINE)
    assert 'pdfuaid:part="1"' in run(need("pdfinfo"), "-meta", str(pdf_file))
    assert "/Lang (ar)" in catalog_entries(pdf_file)
    structure = run(need("pdfinfo"), "-struct", str(pdf_file))
    assert "H1 (block)" in structure
    assert "Figure" in structure


def test_the_english_certificate_declares_english(registration, tmp_path):
    path = tmp_path / "en.pdf"
    path.write_bytes(certificate_pdf(registration.certificates.get(), "en"))
    assert "/Lang (en)" in catalog_entries(path)
    assert re.search(r"^Title:\s+Registration certificate 26-0000-0042$", run(need("pdfinfo"), str(path)), re.MULTILINE)


def test_the_issuing_authority_and_place_of_issue_come_from_the_settings(registration, settings, tmp_path):
    settings.CERTIFICATE_AUTHORITY_NAME_AR = "الهيئة السعودية للتخصصات الصحية"
    settings.CERTIFICATE_AUTHORITY_NAME_EN = "Saudi Commission for Health Specialties"
    settings.CERTIFICATE_PLACE_OF_ISSUE_AR = "جدة"
    settings.CERTIFICATE_PLACE_OF_ISSUE_EN = "Jeddah"
    path = tmp_path / "c.pdf"
    path.write_bytes(certificate_pdf(registration.certificates.get(), "ar"))
    lines = set(text_lines(path))
    for printed in ("الهيئة السعودية للتخصصات الصحية", "Saudi Commission for Health Specialties", "جدة", "Jeddah"):
        assert printed in lines
    assert {"مكان الإصدار", "Place of issue"} <= lines


def test_the_profession_reads_as_a_field_of_practice_for_everyone(registration, tmp_path):
    registration.profile.profession = Profession.NURSE
    registration.profile.save()
    path = tmp_path / "c.pdf"
    path.write_bytes(certificate_pdf(registration.certificates.get(), "ar"))
    lines = set(text_lines(path))
    assert {"التمريض", "Nursing"} <= lines
    assert "ممرض" not in lines


@pytest.mark.parametrize("logo", ["/nonexistent/logo.svg", "README.md"])
def test_a_logo_setting_that_is_not_an_image_file_stops_the_start(logo):
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", "import mumaris.settings"],
        env={**os.environ, "CERTIFICATE_AUTHORITY_LOGO": logo, "DJANGO_SETTINGS_MODULE": "mumaris.settings"},
        capture_output=True,
        text=True,
        check=False,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert result.returncode != 0
    assert "CERTIFICATE_AUTHORITY_LOGO must name an SVG, PNG or JPEG file" in result.stderr
