"""Give a person an authenticator app whose key the caller knows (a confirmed TOTP device), so a
script can log in as staff with the code the app would show (django_otp.oath.totp)."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django_otp.plugins.otp_totp.models import TOTPDevice


class Command(BaseCommand):
    help = "Add a confirmed TOTP device with the given hex key to the person with NATIONAL_ID."

    def add_arguments(self, parser):
        parser.add_argument("national_id")
        parser.add_argument("key", help="the device's secret, in hex (40 digits)")

    def handle(self, *args, national_id, key, **options):
        person = get_user_model().objects.get(national_id=national_id)
        TOTPDevice.objects.create(user=person, name="app", confirmed=True, key=key)
