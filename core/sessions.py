"""Django's database sessions (SESSION_ENGINE), read by one fixed statement and a new session's
row written once.

Every signed-in request reads its session before anything else. Django's store builds that read
with the ORM each time (a query compiled, a model made, for one column); `load` sends the same
statement, built once and prepared once a connection on PostgreSQL, and decodes the column. Being
the request's first query, it is also the connection's health check (core/statements.py): Django's
`SELECT 1` before it was a round trip of its own on every signed-in request. The table, its rows
and their meaning are unchanged, so a session deleted in the database by any means ends on the
very next request (tests/accounts/test_signed_in_request.py). A cookie that is not a key a store
could have drawn is no session, and costs no query.

Django writes a new session the moment its key is drawn (`create`: a query that the random key is
unused, then an INSERT in a savepoint) and again at the end of the request with its data (an
UPDATE in a transaction). Every log-in draws a new key (`cycle_key`, against session fixation), so
every log-in wrote its session twice, in seven statements. Here `create` only draws the key, and
the next `save` inserts the row with its data: one statement, with no savepoint around it inside
the log-in's transaction. A key is 32 characters of 36 (165 bits): the INSERT does nothing when one
is already in use (ON CONFLICT, so no error spoils the transaction it is in), and a new key is drawn
then, before SessionMiddleware sets the cookie from it. A `save` that finds the data as this store last
wrote them writes nothing (the log-in saves its session in its own transaction; SessionMiddleware
saves again at the end of the request).
"""

import re

from django.contrib.sessions.backends import db
from django.contrib.sessions.backends.base import VALID_KEY_CHARS
from django.contrib.sessions.models import Session
from django.db import connections, router
from django.utils import timezone
from django.utils.crypto import get_random_string

from .statements import read_checking_the_connection, statement_for

# A key as Django's stores draw them (32 of VALID_KEY_CHARS), up to the column's 40 characters.
SESSION_KEY = re.compile(f"[{re.escape(VALID_KEY_CHARS)}]{{8,40}}")
# The table's name is Django's.
READ_SQL = f"SELECT session_data FROM {Session._meta.db_table} WHERE session_key = %s AND expire_date > %s"  # noqa: S608  # nosec B608
# PostgreSQL and SQLite both: a row whose key is taken is not written, and says so by its row count.
INSERT_SQL = (
    f"INSERT INTO {Session._meta.db_table} (session_key, session_data, expire_date) VALUES (%s, %s, %s)"  # noqa: S608  # nosec B608
    " ON CONFLICT (session_key) DO NOTHING"
)


class SessionStore(db.SessionStore):
    row_pending = False  # a key drawn by `create` whose row the next `save` inserts
    written = None  # the key and the data (as `_serialized`) of the row this store inserted, until it writes again

    def load(self):
        using = router.db_for_read(Session)
        now = connections[using].ops.adapt_datetimefield_value(timezone.now())

        def read(cursor):
            statement_for(READ_SQL).execute(cursor, [self.session_key, now])
            return cursor.fetchone()

        # A signed-in request's first query: it stands in for the connection's health check (one
        # round trip, not two), and is prepared once a connection.
        row = read_checking_the_connection(read, using)
        if row is None:
            # As Django's store: an unknown or expired key is forgotten, a new one made on save.
            self._session_key = None
            return {}
        return self.decode(row[0])

    def _validate_session_key(self, key):
        # Only a key a store could have drawn names a session: any other cookie is no session, with
        # no query. Django's check is a length of 8 or more, so a NUL in the cookie (which
        # PostgreSQL cannot compare) was a 500 on every page, and a long one a read of the table.
        return bool(key) and SESSION_KEY.fullmatch(key) is not None

    def _get_new_session_key(self):
        # Unchecked: the INSERT's primary key refuses one in use (see `save`).
        return get_random_string(32, VALID_KEY_CHARS)

    def create(self):
        self._session_key = self._get_new_session_key()
        self._get_session(no_load=True)  # a new session has no row to read its data from
        self.row_pending = True
        self.modified = True

    def save(self, must_create=False):
        if self.session_key is None:
            self.create()
        if not self.row_pending:
            if self.written is not None and self.written == (self.session_key, self._serialized()):
                return None  # inserted with these very data earlier in this request
            self.written = None
            return super().save(must_create=must_create)
        while not self._insert():
            self._session_key = self._get_new_session_key()
        self.row_pending = False
        return None

    def _insert(self):
        """Insert the new session's row: True, or False (nothing written) when its key is taken."""
        connection = connections[router.db_for_write(self.model)]
        expire_date = connection.ops.adapt_datetimefield_value(self.get_expiry_date())
        session_data = self.encode(self._get_session(no_load=True))
        with connection.cursor() as cursor:
            cursor.execute(INSERT_SQL, [self.session_key, session_data, expire_date])
            inserted = cursor.rowcount == 1
        if inserted:
            self.written = (self.session_key, self._serialized())
        return inserted

    def _serialized(self):
        # The data as they stand, without the signature: its timestamp changes each second, so a
        # comparison of the encoded rows wrote the row again whenever a second turned in between.
        return self.serializer().dumps(self._get_session(no_load=True))
