"""Applicants with a submitted application each, for the drills' reviewer to decide on.

Every other applicant prefers English. Prints the applications as JSON, one list per
application: [id, reference, applicant's email, language]. Used by the mail-server drill
(tests/drills/test_mail_fault.py) on its own database; made with `load_demo`'s helpers.
"""

import json

from django.core.management.base import BaseCommand

from accounts.national_id import luhn_check_digit
from applications.models import Nationality
from applications.workflow import submit_application
from devtools.management.commands.load_demo import complete_application, verified_user


class Command(BaseCommand):
    help = "Make COUNT applicants with a submitted application each; print them as JSON."

    def add_arguments(self, parser):
        parser.add_argument("count", type=int)

    def handle(self, *args, count, **options):
        rows = []
        for number in range(count):
            first_nine = "17" + str(number).zfill(7)
            national_id = first_nine + luhn_check_digit(first_nine)
            user = verified_user(national_id, f"applicant-{national_id}@example.sa", "متقدم التمرين", "Drill Applicant")
            user.preferred_language = "en" if number % 2 else "ar"
            user.save(update_fields=["preferred_language"])
            application = submit_application(
                complete_application(user, nationality=Nationality.SAUDI), user, declared=True
            )
            rows.append([application.pk, application.reference, user.email, user.preferred_language])
        self.stdout.write(json.dumps(rows))
