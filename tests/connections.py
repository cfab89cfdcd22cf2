"""A request's first read standing in for Django's health check of its connection
(core.statements.read_checking_the_connection), checked alike for each read that does."""

from contextlib import closing

import psycopg2
import pytest
from django.db import connection

only_on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL's persistent connections are health-checked"
)


def assert_first_read_checks_the_connection(get, monkeypatch):
    """`get()`, a request whose first query is such a read, sends no `SELECT 1` before it while the
    connection lives, and still answers after the database drops the connection (a restart, say),
    on a new one. Returns that last response."""
    checks = []
    is_usable = connection.is_usable
    monkeypatch.setattr(connection, "is_usable", lambda: checks.append(1) or is_usable())
    connection.close_if_unusable_or_obsolete()  # as at the start of each request: a check is due
    assert get().status_code == 200
    assert checks == []  # no SELECT 1 first
    backend = connection.connection.get_backend_pid()
    with closing(psycopg2.connect(**connection.get_connection_params())) as other, other.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [backend])
    connection.close_if_unusable_or_obsolete()
    response = get()
    assert response.status_code == 200
    assert connection.connection.get_backend_pid() != backend
    assert checks == [1]  # asked once the read had failed
    return response
