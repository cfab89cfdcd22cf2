"""`manage.py add_official_holidays 2031 2032`: the official holidays of years after those the
migrations filled, from the Umm al-Qura calendar; days already in the table are left alone."""

from django.core.management.base import BaseCommand, CommandError

from core.holidays import add_official_holidays, forget_holidays
from core.models import Holiday


class Command(BaseCommand):
    help = "Add the official holidays (the two Eids, Founding Day, National Day) of the given years."

    def add_arguments(self, parser):
        parser.add_argument("years", nargs="+", type=int)

    def handle(self, *args, years, **options):
        before = Holiday.objects.count()
        try:
            add_official_holidays(Holiday, years)
        except (OverflowError, ValueError) as error:
            raise CommandError(f"The Umm al-Qura tables cover 1924–2077 only: {error}") from error
        forget_holidays()
        self.stdout.write(f"Added {Holiday.objects.count() - before} holiday(s).")
