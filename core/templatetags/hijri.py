"""The `hijri` and `hijri_with_time` filters: wrappers of core/hijri.py for templates."""

from django import template

from core import hijri as calendars

register = template.Library()


@register.filter
def hijri(value):
    """A date or datetime in Gregorian and Hijri side by side."""
    return calendars.hijri(value)


@register.filter
def hijri_text(value):
    """A date in both calendars as plain text (text emails)."""
    return calendars.hijri_text(value)


@register.filter
def hijri_with_time(value):
    """A datetime in both calendars, then the local time."""
    return calendars.hijri_with_time(value)


@register.filter
def hijri_with_time_items(values):
    """Each of `values` (datetimes) as a list item, in both calendars with the time."""
    return calendars.hijri_with_time_items(values)
