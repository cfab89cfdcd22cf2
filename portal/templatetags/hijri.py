"""The `hijri` filter: a date in Gregorian and Hijri (Umm al-Qura) side by side."""

import datetime

from django import template
from django.template.defaultfilters import date as format_date
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from hijridate import Gregorian

register = template.Library()


def hijri_text(day):
    """The Umm al-Qura date of `day` as text in the active language, or "" out of range."""
    try:
        hijri = Gregorian(day.year, day.month, day.day).to_hijri()
    except (OverflowError, ValueError):
        # The Umm al-Qura tables cover 1343–1500 AH (1924–2077 CE).
        return ""
    language = "ar" if get_language() == "ar" else "en"
    return _("%(day)s %(month)s %(year)s AH") % {
        "day": hijri.day,
        "month": hijri.month_name(language),
        "year": hijri.year,
    }


@register.filter
def hijri(value):
    """Render `value` (a date or datetime) as "28 November 2026 (18 Jumada al-Akhirah 1448 AH)"."""
    if not value:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        day = value.date()
    else:
        day = value
    gregorian = format_date(value, "j F Y")
    hijri_part = hijri_text(day)
    if not hijri_part:
        return gregorian
    return format_html(
        '<time datetime="{}">{}</time> <span class="hijri">({})</span>', day.isoformat(), gregorian, hijri_part
    )
