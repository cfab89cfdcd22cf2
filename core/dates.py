"""Calendar arithmetic shared by the rules (letters' validity, registrations' periods)."""

import calendar


def add_months(day, months):
    """`day` moved by `months` calendar months, clamped to the month's last day (30 Nov + 3 → 28/29 Feb)."""
    month_index = day.month - 1 + months
    year = day.year + month_index // 12
    month = month_index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))
