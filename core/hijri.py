"""Dates in Gregorian and Hijri (Umm al-Qura) side by side, as Saudi users expect.

The template filters `hijri` and `hijri_with_time` (core/templatetags/hijri.py) only wrap these;
emails, the certificate and the admin call them directly.
"""

import datetime
import functools

from django.template.defaultfilters import date as format_date
from django.utils import timezone, translation
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from hijridate import Gregorian


def hijri(value):
    """`value` (a date or datetime) as "28 November 2026 (18 Jumada al-Akhirah 1448 AH)"."""
    if not value:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        value = value.date()
    return both_calendars(value, get_language())


def hijri_text(day):
    """A date as plain text for a text email: "17 December 2026 (6 Jumada al-Akhirah 1448 AH)"."""
    gregorian, hijri_part = calendar_parts(day, get_language())
    return gregorian if hijri_part is None else f"{gregorian} ({hijri_part})"


def hijri_with_time(value):
    """A datetime as the portal shows one: both calendars, then the local time (a date alone: no time)."""
    if not isinstance(value, datetime.datetime):
        return hijri(value)
    return mark_safe(_with_time(value, timezone.get_current_timezone(), get_language()))  # noqa: S308  # nosec B308 B703


def hijri_with_time_items(values):
    """Each of `values` as a list item (`<li>`), written as `{{ value|hijri_with_time }}` writes it:
    one call for a whole list, where a template's loop spent some 20 µs a row on its nodes, and the
    time zone and the language read once, not once a row (a share code's page of openings)."""
    zone, language_code = timezone.get_current_timezone(), get_language()
    items = "".join(
        f"<li>{_with_time(value, zone, language_code)}</li>"
        if isinstance(value, datetime.datetime)
        else f"<li>{conditional_escape(hijri(value))}</li>"
        for value in values
    )
    return mark_safe(items)  # noqa: S308  # nosec B308 B703


def _with_time(value, zone, language_code):
    """A datetime's markup in the zone and language: put together here without format_html or a
    formatter, as lists show one a row. The calendars are escaped (already so from
    `both_calendars`, unless out of the Hijri tables' range); the time digits are "H:i", as
    Django's `time` filter writes it."""
    local = value.astimezone(zone) if timezone.is_aware(value) else value
    calendars = conditional_escape(both_calendars(local.date(), language_code))
    return f'{calendars} <bdi dir="ltr">{local.hour:02}:{local.minute:02}</bdi>'


# Lists show the same few days again and again, and a day reads the same in a language
# for everyone: the conversion and the formatting are done once per day and language.
@functools.lru_cache(maxsize=4096)
def both_calendars(day, language_code):
    return _both_calendars(day, language_code)


def _both_calendars(day, language_code):
    gregorian, hijri_part = calendar_parts(day, language_code)
    if hijri_part is None:
        return gregorian
    return format_html(
        '<time datetime="{}">{}</time> <span class="hijri">({})</span>', day.isoformat(), gregorian, hijri_part
    )


def calendar_parts(day, language_code):
    """("28 November 2026", "18 Jumada al-Akhirah 1448 AH") in the language; Hijri None out of range."""
    with translation.override(language_code):
        gregorian = format_date(day, "j F Y")
        try:
            hijri_date = Gregorian(day.year, day.month, day.day).to_hijri()
        except (OverflowError, ValueError):
            # The Umm al-Qura tables cover 1343–1500 AH (1924–2077 CE).
            return gregorian, None
        hijri_part = _("%(day)s %(month)s %(year)s AH") % {
            "day": hijri_date.day,
            "month": hijri_date.month_name("ar" if language_code == "ar" else "en"),
            "year": hijri_date.year,
        }
    return gregorian, hijri_part
