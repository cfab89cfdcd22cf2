"""The devtools commands the drills and the benchmark run on their stack's database, here on the
test database: what they make and what they print. Not drills: `make test` runs these."""

import io
import json

import pytest
from captcha.models import CaptchaStore
from django.core.management import call_command
from django_otp.plugins.otp_totp.models import TOTPDevice

from applications.models import Application, ApplicationStatus
from core.emails import queue_email

from ..core.test_email_queue import DATABASE_QUEUE, run_worker

pytestmark = pytest.mark.django_db


def output_of(*arguments):
    out = io.StringIO()
    call_command(*arguments, stdout=out)
    return out.getvalue()


def test_make_submitted_applications_prints_each_application_with_its_language():
    rows = json.loads(output_of("make_submitted_applications", "2"))

    assert [language for _id, _reference, _email, language in rows] == ["ar", "en"]
    applications = Application.objects.filter(pk__in=[row[0] for row in rows])
    assert {application.status for application in applications} == {ApplicationStatus.SUBMITTED}
    assert {application.reference for application in applications} == {row[1] for row in rows}


def test_add_authenticator_gives_the_person_a_confirmed_device_with_the_key(rana):
    key = "ab" * 20

    call_command("add_authenticator", rana.national_id, key)

    assert TOTPDevice.objects.filter(user=rana, confirmed=True, key=key).exists()


def test_captcha_challenges_prints_each_key_with_its_answer():
    lines = output_of("captcha_challenges", "3").split()

    pairs = dict(zip(lines[::2], lines[1::2], strict=True))
    assert len(pairs) == 3
    for key, answer in pairs.items():
        assert CaptchaStore.objects.get(hashkey=key).response == answer


@DATABASE_QUEUE
def test_emails_sent_by_worker_counts_the_deliveries_each_worker_sent(alice):
    for number in range(2):
        queue_email(
            "accounts/email/verify", {"user": alice, "link": "https://x", "days": 3}, alice.email, "en", f"k{number}"
        )
    run_worker()

    senders = json.loads(output_of("emails_sent_by_worker"))

    assert [sender["sent"] for sender in senders] == [2]
