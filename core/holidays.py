"""Saudi official holidays: computed from the Umm al-Qura calendar, kept in the `Holiday` table
(staff correct it in the admin when the dates are announced) and read through the cache.

The two Eids follow the moon's sighting, which can move them by a day from the calendar; the
spans chosen here are the ones the labour regulations give every employer:
- Eid al-Fitr: 1 to 4 Shawwal;
- Eid al-Adha: 9 Dhu al-Hijjah (the day of Arafat) to 13 Dhu al-Hijjah;
- Founding Day, 22 February, and National Day, 23 September.
"""

import datetime
from dataclasses import dataclass

from django.core.cache import cache
from hijridate import Gregorian, Hijri

SHAWWAL = 10
DHU_AL_HIJJAH = 12
HIJRI_YEARS_TOUCHED = 3  # a Gregorian year holds parts of two Hijri years, sometimes three
HOLIDAYS_CACHE_KEY = "holidays:dates"
HOLIDAYS_CACHE_SECONDS = 24 * 60 * 60  # and emptied whenever staff change the table


@dataclass(frozen=True)
class OfficialHoliday:
    day: datetime.date
    name_ar: str
    name_en: str


def _hijri_span(hijri_year, month, first_day, last_day):
    return [Hijri(hijri_year, month, day).to_gregorian() for day in range(first_day, last_day + 1)]


def official_holidays(year):
    """The official holidays falling in the Gregorian `year`, in date order."""
    first_hijri_year = Gregorian(year, 1, 1).to_hijri().year
    holidays = [
        OfficialHoliday(datetime.date(year, 2, 22), "يوم التأسيس", "Founding Day"),
        OfficialHoliday(datetime.date(year, 9, 23), "اليوم الوطني", "National Day"),
    ]
    for hijri_year in range(first_hijri_year, first_hijri_year + HIJRI_YEARS_TOUCHED):
        holidays += [OfficialHoliday(day, "عيد الفطر", "Eid al-Fitr") for day in _hijri_span(hijri_year, SHAWWAL, 1, 4)]
        holidays += [
            OfficialHoliday(day, "عيد الأضحى", "Eid al-Adha") for day in _hijri_span(hijri_year, DHU_AL_HIJJAH, 9, 13)
        ]
    return sorted((holiday for holiday in holidays if holiday.day.year == year), key=lambda holiday: holiday.day)


def add_official_holidays(holiday_model, years):
    """Write the official holidays of each of `years` that has none in the table yet: a year
    already there is left as it is (staff may have moved or renamed its days). `holiday_model`
    is the model or its historical version in a migration (which runs before the cache's table
    exists: the caller empties the cache)."""
    filled = {day.year for day in holiday_model.objects.filter(date__year__in=years).dates("date", "year")}
    holiday_model.objects.bulk_create(
        holiday_model(date=holiday.day, name_ar=holiday.name_ar, name_en=holiday.name_en)
        for year in years
        if year not in filled
        for holiday in official_holidays(year)
    )


def holiday_dates():
    """Every holiday's date, from the cache (one read) or the table."""
    dates = cache.get(HOLIDAYS_CACHE_KEY)
    if dates is None:
        from .models import Holiday

        dates = frozenset(Holiday.objects.values_list("date", flat=True))
        cache.set(HOLIDAYS_CACHE_KEY, dates, HOLIDAYS_CACHE_SECONDS)
    return dates


def forget_holidays():
    cache.delete(HOLIDAYS_CACHE_KEY)
