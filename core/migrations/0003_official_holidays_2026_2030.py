"""The official holidays of 2026–2030, from the Umm al-Qura calendar (core/holidays.py)."""

from django.db import migrations

from core.holidays import add_official_holidays

YEARS = range(2026, 2031)


def add_holidays(apps, schema_editor):
    add_official_holidays(apps.get_model("core", "Holiday"), YEARS)


class Migration(migrations.Migration):
    dependencies = [("core", "0002_holiday")]

    operations = [migrations.RunPython(add_holidays, migrations.RunPython.noop)]
