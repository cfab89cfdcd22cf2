"""Django's database sessions (SESSION_ENGINE), each read with its user in one fixed statement,
and a new session's row written once.

Every signed-in request reads its session before anything else, and its user next. Django's
store builds the first read with the ORM each time (a query compiled, a model made, for one
column), and its backend the second, a round trip of its own. Here the session's row names its
user and the app device it was verified by (columns written from its data at every save:
accounts.models.Session), so `load` reads the session, the user, the profile and the device in
one statement built once per process (accounts/session_user.py) and prepared once a connection
on PostgreSQL; the user is left on the store for the request's `get_user` (accounts.backends),
which takes it only if the data name that very user and device. Being the request's first query,
it is also the connection's health check (core/statements.py): Django's `SELECT 1` before it was
a round trip of its own on every signed-in request. Everything is read from the database on
every request, so a session deleted, a password changed or a device reset by any means counts on
the very next request (tests/accounts/test_signed_in_request.py). A cookie that is not a key a
store could have drawn is no session, and costs no query.

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

from django.contrib.auth import SESSION_KEY as USER_ID_KEY
from django.contrib.sessions.backends import db
from django.contrib.sessions.backends.base import VALID_KEY_CHARS
from django.db import connections, router
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_otp import DEVICE_ID_SESSION_KEY

from core.statements import read_checking_the_connection

from .models import Session
from .session_user import app_device_id, read_with_the_session

# A key as Django's stores draw them (32 of VALID_KEY_CHARS), up to the column's 40 characters.
SESSION_KEY = re.compile(f"[{re.escape(VALID_KEY_CHARS)}]{{8,40}}")
# PostgreSQL and SQLite both: a row whose key is taken is not written, and says so by its row count.
# The table's name is the model's.
INSERT_SQL = (
    f"INSERT INTO {Session._meta.db_table} (session_key, session_data, expire_date, user_id, app_device_id)"  # noqa: S608  # nosec B608
    " VALUES (%s, %s, %s, %s, %s) ON CONFLICT (session_key) DO NOTHING"
)


class SessionStore(db.SessionStore):
    # The user (and device) read with the session, for this request's `get_user` (`take_user_read`).
    user_read = None
    row_pending = False  # a key drawn by `create` whose row the next `save` inserts
    written = None  # the key and the data (as `_serialized`) of the row this store inserted, until it writes again

    @classmethod
    def get_model_class(cls):
        return Session

    def load(self):
        using = router.db_for_read(Session)
        connection = connections[using]
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        # A signed-in request's first query: it stands in for the connection's health check (one
        # round trip, not two), and is prepared once a connection.
        found = read_checking_the_connection(lambda cursor: read_with_the_session(cursor, self.session_key, now), using)
        if found is None:
            # As Django's store: an unknown or expired key is forgotten, a new one made on save.
            self._session_key = None
            return {}
        session_data, self.user_read = found
        return self.decode(session_data)

    def take_user_read(self, user_id, device_id):
        """(user, device) read with the session if it is the user of `user_id` and the device of
        `device_id` (what the data say), else None; once: a second call reads afresh."""
        read, self.user_read = self.user_read, None
        if read is None or read.user is None or read.user.pk != user_id or read.app_device_id != device_id:
            return None
        return read.user, read.device

    def create_model_instance(self, data):
        session = super().create_model_instance(data)
        session.user_id, session.app_device_id = _owner(data)
        return session

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
        user_id, device_id = _owner(self._get_session(no_load=True))
        with connection.cursor() as cursor:
            cursor.execute(INSERT_SQL, [self.session_key, session_data, expire_date, user_id, device_id])
            inserted = cursor.rowcount == 1
        if inserted:
            self.written = (self.session_key, self._serialized())
        return inserted

    def _serialized(self):
        # The data as they stand, without the signature: its timestamp changes each second, so a
        # comparison of the encoded rows wrote the row again whenever a second turned in between.
        return self.serializer().dumps(self._get_session(no_load=True))


def _owner(data):
    """(user id, app device id) of session data, each None if they name none."""
    user_id = data.get(USER_ID_KEY)
    persistent_id = data.get(DEVICE_ID_SESSION_KEY)
    return (
        int(user_id) if isinstance(user_id, str) and user_id.isdigit() else None,
        app_device_id(persistent_id) if persistent_id else None,
    )
