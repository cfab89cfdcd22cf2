"""The session store (accounts/sessions.py): a new session's row is written once, with its data (at
log-in, in the log-in's transaction); the key still rotates at log-in, the old row goes, and a key
already in use is never shared."""

import itertools

import pytest
from django.contrib.auth import SESSION_KEY
from django.core import signing
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Session
from accounts.sessions import SessionStore
from devtools.demo import APPLICANT

from ..conftest import login_data

pytestmark = pytest.mark.django_db


def session_statements(captured):
    return [query["sql"].split(" ")[0] for query in captured if Session._meta.db_table in query["sql"]]


def test_a_log_in_writes_its_session_once(client, alice, password):
    with CaptureQueriesContext(connection) as captured:
        response = client.post("/accounts/login/", login_data(APPLICANT.national_id, password))
    assert response.status_code == 302
    assert session_statements(captured) == ["INSERT"]
    # Nor a savepoint of its own around it: the one savepoint is the log-in's transaction (a
    # savepoint here, as the test runs in a transaction of its own).
    assert [query["sql"].split(" ")[0] for query in captured].count("SAVEPOINT") == 1
    row = Session.objects.get(session_key=client.cookies["sessionid"].value)
    assert row.get_decoded()[SESSION_KEY] == str(alice.pk)


def test_a_log_in_writes_its_session_once_when_a_second_turns_between_its_saves(client, alice, password, monkeypatch):
    """A session's encoding is signed with the time in seconds: the log-in's save and the end of
    the request's were encoded differently whenever a second turned in between, and the same data
    were written again (an UPDATE now and then: `test_a_log_in_writes_its_session_once` failed on it
    once in CI)."""
    seconds = itertools.count(1_800_000_000)
    monkeypatch.setattr(signing.TimestampSigner, "timestamp", lambda signer: signing.b62_encode(next(seconds)))
    with CaptureQueriesContext(connection) as captured:
        response = client.post("/accounts/login/", login_data(APPLICANT.national_id, password))
    assert response.status_code == 302
    assert session_statements(captured) == ["INSERT"]
    assert client.session[SESSION_KEY] == str(alice.pk)


def test_the_log_in_rotates_the_key_and_deletes_the_anonymous_session(client, alice, password):
    anonymous = client.session
    anonymous["marker"] = "kept"
    anonymous.save()
    client.post("/accounts/login/", login_data(APPLICANT.national_id, password))
    assert client.session.session_key != anonymous.session_key
    assert not Session.objects.filter(session_key=anonymous.session_key).exists()
    assert client.session["marker"] == "kept"


def test_a_new_session_is_not_written_until_saved_and_keeps_its_key_when_read():
    session = SessionStore()
    session.create()
    key = session.session_key
    assert session.get("anything") is None  # a read does not look for a row (none yet) and drop the key
    assert session.session_key == key
    assert not Session.objects.filter(session_key=key).exists()
    session["language"] = "ar"
    session.save()
    assert SessionStore(key)["language"] == "ar"


def test_a_key_already_in_use_is_replaced_before_anyone_is_given_it(monkeypatch):
    taken = SessionStore()
    taken["owner"] = "someone else"
    taken.save()
    keys = iter([taken.session_key, "a" * 32])
    session = SessionStore()
    monkeypatch.setattr(session, "_get_new_session_key", lambda: next(keys))
    session["owner"] = "me"
    session.save()
    assert session.session_key == "a" * 32
    assert SessionStore(taken.session_key)["owner"] == "someone else"
    assert SessionStore("a" * 32)["owner"] == "me"


def test_a_saved_session_is_written_again_only_when_changed(django_assert_num_queries):
    session = SessionStore()
    session["step"] = 1
    session.save()
    with django_assert_num_queries(0):
        session.save()  # as the log-in wrote it: SessionMiddleware's save at the end writes nothing
    for step in (2, 1):
        session["step"] = step
        session.save()
        assert SessionStore(session.session_key)["step"] == step
    assert Session.objects.filter(session_key=session.session_key).count() == 1
