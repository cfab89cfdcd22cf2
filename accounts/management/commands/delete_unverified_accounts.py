"""`manage.py delete_unverified_accounts`: run from cron (hourly); safe on every server at once."""

from django.core.management.base import BaseCommand

from accounts.signup import delete_expired_unverified_accounts


class Command(BaseCommand):
    help = "Delete accounts whose email verification link expired unopened, freeing their ID number and email."

    def handle(self, *args, **options):
        deleted = delete_expired_unverified_accounts()
        self.stdout.write(f"Deleted {deleted} expired unverified account(s).")
