"""Prepared statements (core.statements): planned once a connection on PostgreSQL, run as they are elsewhere."""

import secrets

import pytest
from django.db import DataError, OperationalError, connection, transaction
from django.test.utils import CaptureQueriesContext

from core.statements import PreparedStatement, read_checking_the_connection, statement_for

ON_POSTGRESQL = connection.vendor == "postgresql"


def declared(sql, types):
    return PreparedStatement(f"test_{secrets.token_hex(4)}", sql, types)


def run(statement, params):
    """The statement's first value, and how it was sent: PREPARE (prepared and run, in one round
    trip), EXECUTE (run prepared) or SELECT (as it is: SQLite)."""
    with CaptureQueriesContext(connection) as captured, connection.cursor() as cursor:
        statement.execute(cursor, params)
        value = cursor.fetchone()[0]
    (sent,) = captured
    return value, sent["sql"].split()[0]


FIRST, THEN = ("PREPARE", "EXECUTE") if ON_POSTGRESQL else ("SELECT", "SELECT")


@pytest.mark.django_db
def test_a_statement_is_prepared_on_its_first_run_then_only_executed():
    statement = declared("SELECT %s + %s", ["integer", "integer"])
    assert run(statement, [1, 2]) == (3, FIRST)
    assert run(statement, [5, 2]) == (7, THEN)


@pytest.mark.django_db(transaction=True)
def test_a_new_connection_prepares_it_again():
    statement = declared("SELECT %s || 'x'", ["text"])
    run(statement, ["a"])
    connection.close()
    assert run(statement, ["b"]) == ("bx", FIRST)


def test_each_placeholder_needs_its_type_and_each_name_is_declared_once():
    with pytest.raises(ValueError, match="one type for each placeholder"):
        declared("SELECT %s", [])
    statement = declared("SELECT 1", [])
    with pytest.raises(ValueError, match="declared already"):
        PreparedStatement(statement.name, "SELECT 2", [])


@pytest.mark.django_db
def test_a_statement_built_once_is_prepared_once_with_its_types_inferred(alice):
    sql = f"SELECT email FROM accounts_user WHERE id = %s AND last_login IS NULL -- {secrets.token_hex(4)}"  # noqa: S608
    statement = statement_for(sql)
    assert statement_for(sql) is statement
    assert statement_for(sql + " ") is not statement
    assert run(statement, [alice.pk]) == (alice.email, FIRST)
    assert run(statement, [alice.pk]) == (alice.email, THEN)


def test_a_literal_percent_is_refused():
    with pytest.raises(ValueError, match="literal %"):
        declared("SELECT 'a%%s'", None)


@pytest.mark.skipif(not ON_POSTGRESQL, reason="SQLite has no prepared statements to plan")
@pytest.mark.django_db
def test_a_first_run_that_fails_after_preparing_does_not_leave_the_connection_failing():
    """Prepared and run in one round trip, a failed run (a statement timeout, say) still leaves the
    statement prepared: preparing it again would fail on this connection from then on."""
    statement = declared("SELECT 10 / %s", ["integer"])
    with pytest.raises(DataError), transaction.atomic():
        run(statement, [0])  # division by zero: prepared, then failed
    with CaptureQueriesContext(connection) as captured, connection.cursor() as cursor:
        statement.execute(cursor, [5])
        assert cursor.fetchone() == (2,)
    assert [query["sql"].split()[0] for query in captured] == ["SELECT", "EXECUTE"]  # looked, then ran
    assert run(statement, [2]) == (5, THEN)


@pytest.mark.skipif(not ON_POSTGRESQL, reason="SQLite has no prepared statements to plan")
@pytest.mark.django_db
def test_a_prepared_statement_runs_on_its_generic_plan_not_one_made_each_run():
    """The API's records statement: its plan is made once, with the parameters unknown ($1…), so
    a run only executes; a custom plan (the values written in) would be planned on every run."""
    from api.records import RECORDS_STATEMENT

    with connection.cursor() as cursor:
        RECORDS_STATEMENT.execute(cursor, [1, "2026-12-06T00:00:00Z", ["2600000001"]])
        cursor.execute(f"EXPLAIN {RECORDS_STATEMENT._execute}", [1, "2026-12-06T00:00:00Z", ["2600000001"]])
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "$3" in plan
    assert "2600000001" not in plan


@pytest.mark.skipif(not ON_POSTGRESQL, reason="only PostgreSQL's persistent connections are health-checked")
@pytest.mark.django_db(transaction=True)
def test_a_read_standing_in_for_the_health_check_that_fails_on_a_live_connection_is_not_run_again():
    """A dead connection's read runs again on a new one (tests/api/test_middleware.py); a read that
    fails on a live one fails as it would have (only a read may run twice, and only once more)."""
    runs = []

    def failing(cursor):
        runs.append(1)
        raise OperationalError("canceling statement due to statement timeout")

    connection.ensure_connection()
    connection.close_if_unusable_or_obsolete()  # a check is due, as at the start of a request
    with pytest.raises(OperationalError):
        read_checking_the_connection(failing)
    assert runs == [1]
    assert connection.health_check_done


@pytest.mark.django_db
def test_a_read_where_no_health_check_is_due_just_runs():
    def read(cursor):
        cursor.execute("SELECT 2")
        return cursor.fetchone()

    assert read_checking_the_connection(read) == (2,)
