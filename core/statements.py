"""Fixed SQL statements on a hot path, which PostgreSQL plans once per connection, not per request.

Planning can cost the database more than running: the employers' API's records statement (four
joins and a subquery) took 0.5 ms of PostgreSQL's CPU a look-up to plan and run, 0.06 ms once
prepared. A prepared statement belongs to one database session, so each connection prepares it
the first time it runs it (`PREPARE`), then only `EXECUTE`s it; PostgreSQL plans it again by itself
if a table it reads changes. Every session runs them on that generic plan (plan_cache_mode, set in
mumaris/settings.py): left to choose, PostgreSQL may make a custom plan on every run, as costly as
not preparing at all. Other databases (SQLite) run the statement as it is.

This needs a session per connection, as Django's own (persistent) connections are: a pooler in
transaction mode (PgBouncer's) would hand the session's prepared statements to other clients.

A request's first read may also stand in for Django's health check of the connection
(`read_checking_the_connection`): one round trip to the database instead of two.
"""

import hashlib
import re
import threading
import weakref

from django.db import DEFAULT_DB_ALIAS, InterfaceError, OperationalError, connections

PLACEHOLDER = re.compile(r"%s")
# A name is prepared once a connection: two statements may not share one.
_DECLARED_NAMES = set()


class PreparedStatement:
    """`sql` with %s placeholders, whose parameters have the PostgreSQL `types` given, in order;
    with `types` None, PostgreSQL infers each from where it stands (a column compared with it)."""

    def __init__(self, name, sql, types=None):
        placeholders = len(PLACEHOLDER.findall(sql))
        if types is not None and placeholders != len(types):
            raise ValueError(f"{name}: one type for each placeholder")
        if "%%" in sql:
            raise ValueError(f"{name}: a literal % in the statement")
        if name in _DECLARED_NAMES:
            raise ValueError(f"a statement named {name} is declared already")
        _DECLARED_NAMES.add(name)
        self.name = name
        self.sql = sql
        numbered = iter(range(1, placeholders + 1))
        numbered_sql = PLACEHOLDER.sub(lambda _placeholder: f"${next(numbered)}", sql)
        declared_types = f" ({', '.join(types)})" if types else ""
        self._prepare = f"PREPARE {name}{declared_types} AS {numbered_sql}"
        self._execute = f"EXECUTE {name} ({', '.join(['%s'] * placeholders)})" if placeholders else f"EXECUTE {name}"
        # The database connections (psycopg2's) it is prepared on, and those where a first run
        # failed, whether prepared or not: gone with them.
        self._prepared_on = weakref.WeakSet()
        self._unsure_on = weakref.WeakSet()

    def execute(self, cursor, params):
        """Run it with `params` on `cursor` (a Django cursor)."""
        connection = cursor.db
        if connection.vendor != "postgresql":
            cursor.execute(self.sql, params)
            return
        session = connection.connection
        if session in self._unsure_on:  # a first run failed: was it prepared before it did?
            self._unsure_on.discard(session)
            cursor.execute("SELECT 1 FROM pg_prepared_statements WHERE name = %s", [self.name])
            if cursor.fetchone():
                self._prepared_on.add(session)
        if session in self._prepared_on:
            cursor.execute(self._execute, params)
            return
        # Prepared and run in one round trip (psycopg2 sends both as one query string and reads
        # the last one's rows): one statement sent, as every later run, whichever request is the
        # connection's first to run it.
        try:
            cursor.execute(f"{self._prepare}\n;{self._execute}", params)  # a comment in the SQL ends at the line
        except Exception:
            # The PREPARE outlives a failed EXECUTE (a rollback does not undo it): preparing again
            # would fail on this connection for as long as it lives. The next run looks first.
            self._unsure_on.add(session)
            raise
        self._prepared_on.add(session)


_STATEMENTS_BY_SQL = {}
_DECLARING = threading.Lock()


def statement_for(sql):
    """The prepared statement of `sql` (its parameters' types inferred), one for each text: for a
    statement built once per process (accounts/session_user.py, core/fixed_reads.py)."""
    statement = _STATEMENTS_BY_SQL.get(sql)
    if statement is None:
        with _DECLARING:
            if sql not in _STATEMENTS_BY_SQL:
                digest = hashlib.blake2b(sql.encode(), digest_size=8).hexdigest()
                _STATEMENTS_BY_SQL[sql] = PreparedStatement(f"fixed_{digest}", sql)
            statement = _STATEMENTS_BY_SQL[sql]
    return statement


def read_checking_the_connection(read, using=DEFAULT_DB_ALIAS):
    """`read(cursor)`'s result, the read standing in for Django's health check of a persistent
    connection (CONN_HEALTH_CHECKS: a `SELECT 1` round trip before a request's first query, so that
    a connection the database has dropped, after a restart say, is replaced rather than failing the
    request). The read goes first instead: if it fails and the connection turns out dead, the
    connection is closed and the read runs once more on a new one, as after a failed health check.
    So `read` must only read: it may run twice. Where no health check is due (a later query of the
    request, inside a transaction, SQLite) it just runs."""
    connection = connections[using]
    due = connection.connection is not None and connection.health_check_enabled and not connection.health_check_done
    if due and not connection.in_atomic_block:
        connection.health_check_done = True
        try:
            return _read(connection, read)
        except (InterfaceError, OperationalError):
            if connection.is_usable():  # the read failed, not the connection
                raise
            connection.close()
    return _read(connection, read)


def _read(connection, read):
    with connection.cursor() as cursor:
        return read(cursor)
