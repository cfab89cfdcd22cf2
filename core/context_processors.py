"""Values every template needs."""

from django.conf import settings

from .links import chrome_paths


def portal(request):
    return {
        "TERMS_VERSION": settings.TERMS_VERSION,
        "MEDICAL_REPORT_AGE": settings.MEDICAL_REPORT_AGE,
        "support_email": settings.SUPPORT_EMAIL,
        # The addresses base.html links to (core/links.py).
        "chrome": chrome_paths(),
    }
