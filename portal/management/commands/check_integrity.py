"""`manage.py check_integrity`: report half-written applications, profiles or requests."""

from django.core.management.base import BaseCommand, CommandError

from portal.integrity import integrity_problems


class Command(BaseCommand):
    help = "Check that no application, event, profile or data-update request is half-written."

    def handle(self, *args, **options):
        problems = integrity_problems()
        for problem in problems:
            self.stdout.write(problem)
        if problems:
            raise CommandError(f"{len(problems)} integrity problem(s)")
        self.stdout.write(self.style.SUCCESS("integrity: no problems"))
