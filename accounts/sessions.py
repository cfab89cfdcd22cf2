"""Django's database sessions, read by one fixed statement.

Every signed-in request reads its session before anything else. Django's store builds that read
with the ORM each time (a query compiled, a model made, for one column); this store sends the
same statement, built once, and decodes the column. Writes, deletion and expiry are Django's own:
the table, its rows and their meaning are unchanged, so a session deleted in the database by any
means ends on the very next request (tests/accounts/test_signed_in_request.py).

    SESSION_ENGINE = "accounts.sessions"
"""

from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.db import connections, router
from django.utils import timezone

# The table's name is Django's.
READ_SQL = f"SELECT session_data FROM {Session._meta.db_table} WHERE session_key = %s AND expire_date > %s"  # noqa: S608  # nosec B608


class SessionStore(db.SessionStore):
    def load(self):
        connection = connections[router.db_for_read(Session)]
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        with connection.cursor() as cursor:
            cursor.execute(READ_SQL, [self.session_key, now])
            row = cursor.fetchone()
        if row is None:
            # As Django's store: an unknown or expired key is forgotten, a new one made on save.
            self._session_key = None
            return {}
        return self.decode(row[0])
