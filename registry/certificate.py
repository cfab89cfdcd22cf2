"""The registration certificate: a one-page A4 PDF, Arabic and English side by side, with a QR
code that leads to the live status on the public verification page.

Rendered by WeasyPrint from an HTML template, with the full IBM Plex Sans Arabic fonts (not the
web pages' subset) so that every Arabic name has its letters. A PDF is kept in the cache under
what it prints, so a second download is instant and any change to the printed data (a
suspension, a renewal, a new specialty) makes a new one.
"""

import base64
import functools
import hashlib
import mimetypes
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.timezone import localdate
from django.utils.translation import gettext_lazy as _

from core.hijri import calendar_parts
from core.site import absolute_reverse, absolute_url

from .codes import format_code, qr_code_data_uri
from .pdf_text import right_to_left_ligatures_in_reading_order

FONT_DIR = Path(__file__).resolve().parent / "fonts"
CACHE_SECONDS = 30 * 24 * 3600
# Bumped when the template changes, so no certificate of the old layout is served from the cache.
LAYOUT_VERSION = 2
# Tagged PDF for screen readers (structure, reading order, language, title): WeasyPrint's PDF/UA-1.
PDF_VARIANT = "pdf/ua-1"


class CertificateUnavailable(Exception):
    """The PDF library cannot run here (Debian's Pango is missing)."""


def printed_values(certificate):
    """Everything the certificate prints, in both languages; its hash names the cached PDF."""
    registration = certificate.registration
    profile, user = registration.profile, registration.profile.user
    values = {
        "name_ar": user.full_name_ar,
        "name_en": user.full_name_en,
        "membership_number": profile.display_membership_number,
        "specialty_ar": profile.specialty.name_in("ar"),
        "specialty_en": profile.specialty.name_in("en"),
        "code": format_code(certificate.code),
        "verify_url": absolute_reverse("registry:verify_code", args=[certificate.code]),
        "verify_address": absolute_url(reverse("registry:verify")),
        "authority_name_ar": settings.CERTIFICATE_AUTHORITY_NAME_AR,
        "authority_name_en": settings.CERTIFICATE_AUTHORITY_NAME_EN,
        # The logo's bytes, so a new logo file makes new certificates rather than old ones from the cache.
        "authority_logo": authority_logo(settings.CERTIFICATE_AUTHORITY_LOGO),
        "place_of_issue_ar": settings.CERTIFICATE_PLACE_OF_ISSUE_AR,
        "place_of_issue_en": settings.CERTIFICATE_PLACE_OF_ISSUE_EN,
    }
    for language in ("ar", "en"):
        with translation.override(language):
            values[f"profession_{language}"] = str(profile.get_profession_display())
        for name, day in (
            ("registered_on", registration.registered_on),
            ("valid_until", registration.valid_until),
            ("issued_on", localdate(certificate.issued_at)),
        ):
            # Two lines, no brackets: a bracket copied from right-to-left text comes out mirrored.
            values[f"{name}_{language}"] = calendar_parts(day, language)
    return values


@functools.cache
def authority_logo(path):
    """The logo file as a data: address, which the PDF's fetcher allows (it reads no other file)."""
    media_type = mimetypes.guess_type(path.name)[0]
    return f"data:{media_type};base64,{base64.b64encode(path.read_bytes()).decode()}"


def cache_key(values, language):
    digest = hashlib.sha256(repr(sorted(values.items())).encode()).hexdigest()[:32]
    return f"certificate:{LAYOUT_VERSION}:{language}:{digest}"


def certificate_pdf(certificate, language):
    """The certificate's PDF bytes, from the cache when the same one was made before."""
    values = printed_values(certificate)
    key = cache_key(values, language)
    pdf = cache.get(key)
    if pdf is None:
        pdf = render_pdf(values, language)
        cache.set(key, pdf, CACHE_SECONDS)
    return pdf


def render_pdf(values, language):
    try:
        from weasyprint import HTML  # noqa: PLC0415  (needs Pango; the rest of the portal does not)
    except OSError as error:
        raise CertificateUnavailable(str(error)) from error
    # Arabic on the right in both: the Arabic page runs right to left, the English one left to right.
    languages = ("ar", "en") if language == "ar" else ("en", "ar")
    context = {
        **values,
        "sides": [side(values, side_language) for side_language in languages],
        "qr_code": qr_code_data_uri(values["verify_url"]),
        "font_dir": FONT_DIR.as_uri(),
        "language": language,
    }
    with translation.override(language):
        html = render_to_string("registry/certificate.html", context)
    document = HTML(string=html, url_fetcher=our_fonts_and_data_only())
    return document.write_pdf(pdf_variant=PDF_VARIANT, finisher=right_to_left_ligatures_in_reading_order)


def side(values, language):
    """One language's column: its labels, and the values that read differently in it."""
    with translation.override(language):
        labels = {
            "name": _("Name"),
            "profession": _("Profession"),
            "specialty": _("Specialty"),
            "membership_number": _("Membership number"),
            "registered_on": _("Registered on"),
            "valid_until": _("Valid until"),
            "issued_on": _("Date of issue"),
            "place_of_issue": _("Place of issue"),
        }
        labels = {key: str(label) for key, label in labels.items()}
    return {
        "language": language,
        "labels": labels,
        "name": values[f"name_{language}"] or values["name_ar"],
        "profession": values[f"profession_{language}"],
        "place_of_issue": values[f"place_of_issue_{language}"],
        "specialty": values[f"specialty_{language}"],
        **{name: values[f"{name}_{language}"] for name in ("registered_on", "valid_until", "issued_on")},
    }


def our_fonts_and_data_only():
    """WeasyPrint may read our font files and the inline QR code, nothing else (no network)."""
    from weasyprint.urls import URLFetcher  # noqa: PLC0415

    class FontsAndDataOnly(URLFetcher):
        def fetch(self, url, headers=None):
            if not url.startswith(("data:", FONT_DIR.as_uri() + "/")):
                raise ValueError(f"the certificate may not load {url}")
            return super().fetch(url, headers)

    return FontsAndDataOnly(allowed_protocols={"file", "data"}, fail_on_errors=True)
