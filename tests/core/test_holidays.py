"""The official holidays: computed from the Umm al-Qura calendar, filled for 2026–2030 by a
migration, edited by staff, read through the cache."""

import datetime

import pytest
from django.core.management import CommandError, call_command
from hijridate import Gregorian

from core.holidays import holiday_dates, official_holidays
from core.models import Holiday


def test_eid_al_fitr_1448_is_9_to_12_march_2027():
    eid = [holiday.day for holiday in official_holidays(2027) if holiday.name_en == "Eid al-Fitr"]
    assert eid == [datetime.date(2027, 3, day) for day in (9, 10, 11, 12)]
    first = Gregorian(2027, 3, 9).to_hijri()
    assert (first.year, first.month, first.day) == (1448, 10, 1)  # 1 Shawwal 1448


def test_eid_al_adha_1448_runs_from_the_day_of_arafat_to_13_dhu_al_hijjah():
    eid = [holiday.day for holiday in official_holidays(2027) if holiday.name_en == "Eid al-Adha"]
    assert eid == [datetime.date(2027, 5, day) for day in range(15, 20)]
    arafat = Gregorian(2027, 5, 15).to_hijri()
    assert (arafat.year, arafat.month, arafat.day) == (1448, 12, 9)


def test_a_year_has_both_eids_founding_day_and_national_day_in_arabic_and_english():
    holidays = official_holidays(2026)
    assert len(holidays) == 4 + 5 + 2
    assert (datetime.date(2026, 2, 22), "يوم التأسيس", "Founding Day") in [
        (holiday.day, holiday.name_ar, holiday.name_en) for holiday in holidays
    ]
    assert datetime.date(2026, 9, 23) in [holiday.day for holiday in holidays]
    assert [holiday.day for holiday in holidays] == sorted(holiday.day for holiday in holidays)


def test_a_year_where_eid_al_fitr_falls_in_february():
    assert [holiday.day for holiday in official_holidays(2030)][:4] == [
        datetime.date(2030, 2, day) for day in range(4, 8)
    ]


@pytest.mark.django_db
def test_the_migration_filled_2026_to_2030():
    assert Holiday.objects.filter(date__year__in=range(2026, 2031)).count() == 5 * 11
    assert Holiday.objects.get(date=datetime.date(2027, 3, 9)).name_ar == "عيد الفطر"


@pytest.mark.django_db
def test_a_change_in_the_table_shows_at_once():
    assert datetime.date(2026, 12, 31) not in holiday_dates()
    Holiday.objects.create(date=datetime.date(2026, 12, 31), name_ar="عطلة", name_en="A holiday")
    assert datetime.date(2026, 12, 31) in holiday_dates()
    Holiday.objects.filter(date=datetime.date(2026, 12, 31)).get().delete()
    assert datetime.date(2026, 12, 31) not in holiday_dates()


@pytest.mark.django_db
def test_the_command_adds_a_later_year_and_leaves_a_year_already_there_alone():
    moved = Holiday.objects.get(date=datetime.date(2030, 2, 4))
    moved.date = datetime.date(2030, 2, 3)
    moved.save()
    call_command("add_official_holidays", "2030", "2031")
    assert Holiday.objects.filter(date__year=2031).count() == 11
    assert Holiday.objects.filter(date=datetime.date(2030, 2, 3)).exists()
    assert not Holiday.objects.filter(date=datetime.date(2030, 2, 4)).exists()


@pytest.mark.django_db
def test_the_command_refuses_a_year_beyond_the_calendar():
    with pytest.raises(CommandError, match="1924–2077"):
        call_command("add_official_holidays", "2090")
