"""`manage.py seed_bulk` (the rows `make scale` loads) at a few thousand rows, on PostgreSQL.

The command writes rows with COPY, so a model change it does not follow would break `make scale`
only at a million rows; here it breaks the suite instead. The data it makes must also be whole
(the integrity check) and usable: the reviewers' lists and the public register read it.
"""

import io

import pytest
from django.core.management import call_command
from django.db import connection

from accounts.models import User
from applications.models import Application, ApplicationEvent, ApplicationStatus
from profiles.models import PractitionerProfile
from registry.models import Certificate, Registration, RegistrationStatus

pytestmark = [
    pytest.mark.postgresql,
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="seed_bulk uses PostgreSQL's COPY (CI's second pass)"),
]
COUNT = 2000


@pytest.fixture
def seeded(db):
    call_command("seed_bulk", COUNT, "--batch-size", "700", stdout=io.StringIO())


def test_seed_bulk_makes_whole_registered_practitioners_and_applicants(seeded):
    assert User.objects.filter(email__startswith="bulk").count() == 2 * COUNT
    assert PractitionerProfile.objects.count() == COUNT
    assert Registration.objects.count() == Certificate.objects.count() == COUNT
    assert Registration.objects.filter(status=RegistrationStatus.SUSPENDED).count() == COUNT // 50
    assert Application.objects.filter(status=ApplicationStatus.APPROVED).count() == COUNT
    assert ApplicationEvent.objects.count() > 3 * COUNT
    call_command("check_integrity", stdout=io.StringIO())  # raises on any problem


def test_the_reviewers_lists_and_the_register_read_the_seeded_rows(seeded, client, rana):
    client.force_login(rana)
    for url in ("/admin/applications/application/", "/admin/registry/registration/"):
        assert client.get(url, {"status__exact": "approved"} if "application" in url else {}).status_code == 200
    profile = PractitionerProfile.objects.order_by("pk").first()
    found = client.get("/admin/applications/application/", {"q": profile.user.national_id})
    assert profile.user.national_id in found.content.decode()
    client.logout()
    verified = client.get("/verify/", {"q": profile.membership_number})
    assert profile.user.full_name_ar in verified.content.decode()


def test_seeding_twice_adds_new_rows_without_clashes(seeded):
    call_command("seed_bulk", 10, stdout=io.StringIO())
    assert Registration.objects.count() == COUNT + 10
    assert User.objects.filter(email__startswith="bulk").count() == 2 * COUNT + 20
