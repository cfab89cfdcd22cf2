"""What every signed-in request reads before the view (the session, the user, the second-factor
device) is read afresh each time: whatever ends a session, changes the password or resets the
device takes effect on the very next request, with or without a verified second factor."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Session
from tests.connections import assert_first_read_checks_the_connection, only_on_postgresql

pytestmark = pytest.mark.django_db

ADMIN = "/admin/"
ACCOUNT = "/accounts/account/"


def signed_in(user):
    client = Client()
    client.force_login(user)  # verified by the staff's app device (tests/conftest.py)
    return client


def is_turned_away(response):
    return response.status_code == 302 and response["Location"].startswith(("/accounts/login/", "/admin/login/"))


@pytest.mark.parametrize("person", ["alice", "rana"])
def test_a_session_ended_elsewhere_signs_out_the_next_request(request, person):
    user = request.getfixturevalue(person)
    client = signed_in(user)
    assert client.get(ACCOUNT).status_code == 200
    Session.objects.filter(session_key=client.session.session_key).delete()
    assert is_turned_away(client.get(ACCOUNT))


@pytest.mark.parametrize("person", ["alice", "rana"])
def test_a_password_changed_elsewhere_signs_out_the_next_request(request, person):
    user = request.getfixturevalue(person)
    client = signed_in(user)
    assert client.get(ACCOUNT).status_code == 200
    user.set_password("A-New-Password-From-A-Reset-7")
    user.save(update_fields=["password"])
    assert is_turned_away(client.get(ACCOUNT))
    assert is_turned_away(client.get(ADMIN))


def test_a_deactivated_account_is_signed_out_on_the_next_request(rana):
    client = signed_in(rana)
    assert client.get(ADMIN).status_code == 200
    type(rana).objects.filter(pk=rana.pk).update(is_active=False)
    assert is_turned_away(client.get(ACCOUNT))


def test_a_second_factor_reset_unverifies_the_next_request(rana):
    client = signed_in(rana)
    assert client.get(ADMIN).status_code == 200
    TOTPDevice.objects.filter(user=rana).delete()  # what the admin's reset does
    assert is_turned_away(client.get(ADMIN))
    # Still signed in (the password was right), no longer verified: the device's id is forgotten.
    assert client.get(ACCOUNT).status_code == 200
    TOTPDevice.objects.create(user=rana, name="app", confirmed=True)
    assert is_turned_away(client.get(ADMIN))


def test_a_device_no_longer_confirmed_or_someone_elses_does_not_verify(rana, sami):
    client = signed_in(rana)
    device = TOTPDevice.objects.get(user=rana)
    TOTPDevice.objects.filter(pk=device.pk).update(confirmed=False)
    assert is_turned_away(client.get(ADMIN))

    client = signed_in(rana)
    TOTPDevice.objects.filter(user=rana).update(confirmed=True, user=sami)
    assert is_turned_away(client.get(ADMIN))


def test_a_session_verified_by_a_recovery_code_stays_verified_until_its_device_goes(rana):
    from django_otp import DEVICE_ID_SESSION_KEY

    client = signed_in(rana)
    recovery = StaticDevice.objects.create(user=rana, name="recovery", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = recovery.persistent_id
    session.save()
    assert client.get(ADMIN).status_code == 200
    recovery.delete()
    assert is_turned_away(client.get(ADMIN))


def test_a_verified_session_reads_its_device_with_the_user(alice, rana):
    """The session with the user, the profile and the app device, then the page's own row: no
    query of its own for the user nor the device (issue 27), so a verified page costs what an
    unverified one does."""
    counts = []
    for user in (alice, rana):
        client = signed_in(user)
        client.get(ACCOUNT)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(ACCOUNT).status_code == 200
        counts.append(len(captured))
    assert counts == [2, 2]


def test_a_sessions_row_names_its_user_and_device_as_its_data_do(alice, rana):
    for user, device in ((alice, None), (rana, TOTPDevice.objects.get(user=rana))):
        client = signed_in(user)
        assert client.get(ACCOUNT).status_code == 200
        row = Session.objects.get(session_key=client.session.session_key)
        assert (row.user_id, row.app_device_id) == (user.pk, device and device.pk)
    client.post("/accounts/logout/")
    assert not Session.objects.filter(user=rana).exists()


@pytest.mark.parametrize("column", ["user_id", "app_device_id"])
def test_a_row_that_names_another_user_or_device_than_its_data_is_not_believed(rana, sami, column):
    """The data are signed and decide; the columns only lead the read. A row whose column says
    otherwise (written by some other means) costs one read more, of the data's own user."""
    other = {"user_id": sami.pk, "app_device_id": TOTPDevice.objects.get(user=sami).pk}[column]
    client = signed_in(rana)
    client.get(ADMIN)
    with CaptureQueriesContext(connection) as believed:
        client.get(ADMIN)
    Session.objects.filter(session_key=client.session.session_key).update(**{column: other})
    with CaptureQueriesContext(connection) as captured:
        response = client.get(ADMIN)
    assert response.status_code == 200
    assert response.wsgi_request.user == rana
    assert response.wsgi_request.user.otp_device == TOTPDevice.objects.get(user=rana)
    assert len(captured) == len(believed) + 1  # the user and the device read again, alone


@only_on_postgresql
@pytest.mark.django_db(transaction=True)
def test_the_session_read_is_the_connections_health_check_and_survives_a_dropped_connection(alice, monkeypatch):
    """A signed-in request's first query, the session's read, stands in for Django's `SELECT 1`
    (CONN_HEALTH_CHECKS): one round trip fewer, and still signed in on a new connection after the
    database dropped the old one."""
    client = signed_in(alice)
    assert client.get(ACCOUNT).status_code == 200
    response = assert_first_read_checks_the_connection(lambda: client.get(ACCOUNT), monkeypatch)
    assert response.wsgi_request.user == alice
