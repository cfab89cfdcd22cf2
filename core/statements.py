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
"""

import re
import weakref

PLACEHOLDER = re.compile(r"%s")
# A name is prepared once a connection: two statements may not share one.
_DECLARED_NAMES = set()


class PreparedStatement:
    """`sql` with %s placeholders, whose parameters have the PostgreSQL `types` given, in order."""

    def __init__(self, name, sql, types):
        if len(PLACEHOLDER.findall(sql)) != len(types):
            raise ValueError(f"{name}: one type for each placeholder")
        if name in _DECLARED_NAMES:
            raise ValueError(f"a statement named {name} is declared already")
        _DECLARED_NAMES.add(name)
        self.name = name
        self.sql = sql
        numbered = iter(range(1, len(types) + 1))
        numbered_sql = PLACEHOLDER.sub(lambda _placeholder: f"${next(numbered)}", sql)
        self._prepare = f"PREPARE {name} ({', '.join(types)}) AS {numbered_sql}"
        self._execute = f"EXECUTE {name} ({', '.join(['%s'] * len(types))})"
        # The database connections (psycopg2's) it is prepared on: gone with them.
        self._prepared_on = weakref.WeakSet()

    def execute(self, cursor, params):
        """Run it with `params` on `cursor` (a Django cursor)."""
        connection = cursor.db
        if connection.vendor != "postgresql":
            cursor.execute(self.sql, params)
            return
        if connection.connection not in self._prepared_on:
            cursor.execute(self._prepare)
            self._prepared_on.add(connection.connection)
        cursor.execute(self._execute, params)
