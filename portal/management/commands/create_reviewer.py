"""Create a staff account in the Reviewers group: `manage.py create_reviewer ID EMAIL NAME`."""

import getpass

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts.national_id import validate_national_id
from core.site import absolute_reverse
from portal.reviewers import create_reviewer


class Command(BaseCommand):
    help = "Create a reviewer: a staff account that can review applications and requests."

    def add_arguments(self, parser):
        parser.add_argument("national_id")
        parser.add_argument("email")
        parser.add_argument("full_name_ar")
        parser.add_argument("--password", help="Asked for interactively when omitted.")

    def handle(self, *args, national_id, email, full_name_ar, password=None, **options):
        try:
            validate_national_id(national_id)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        if get_user_model().objects.filter(national_id=national_id).exists():
            raise CommandError(f"An account with ID number {national_id} already exists.")
        if password is None:
            password = getpass.getpass("Password: ")
        try:
            validate_password(password)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        create_reviewer(national_id=national_id, email=email, full_name_ar=full_name_ar, password=password)
        self.stdout.write(self.style.SUCCESS(f"Reviewer {national_id} created."))
        self.stdout.write(
            f"They enrol at their first log-in ({absolute_reverse('accounts:login')}): after the password, a "
            "single-use link is emailed to them (valid a day); it opens the التحقق بخطوتين set-up, where they "
            "scan its QR code with an authenticator app (or type its key), type one 6-digit code, and keep the "
            "10 recovery codes it shows once. Every later log-in asks for a code from the app."
        )
