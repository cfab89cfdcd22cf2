"""The signed-in user of a request, read by one fixed statement: the user, the practitioner
profile and its specialty (every signed-in page shows them), what apps above declare they read
with the profile on most pages (the register's registration: `read_with_the_profile`), and the
app device the session was verified by, if any. The session store reads them with the session's
own row, in the same statement (`read_with_the_session`, accounts/sessions.py); the user alone
(`read_session_user`) is for a session whose row does not name its user as its data do.

Django's backend would build this read with the ORM on every request: compiling a query over
four tables' columns cost more than the database's answer and the page's own queries together
(docs/performance.md, issue 27). The statement is built once per process from the models' fields,
so it follows a migration; each value goes through the converters the ORM would apply, and the
instances are made as the ORM makes them (`Model.from_db`) and linked as `select_related` links
them, so a page sees the same objects it saw before.
"""

import functools
from typing import NamedTuple

from django.contrib.auth import get_user_model
from django.db import connections, router
from django.db.models.expressions import Col
from django_otp.middleware import OTPMiddleware
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.statements import statement_for

from .models import Session

APP_DEVICE_MODEL = "otp_totp.totpdevice"


class UserOfTheSession(NamedTuple):
    """The user and the app device a session's row names (ids), read with it (None if none or gone)."""

    user_id: int | None
    app_device_id: int | None
    user: object
    device: object


class Table:
    """One model's columns in the statement, and how to turn its part of a row into an instance."""

    def __init__(self, model, alias, connection):
        self.model = model
        self.alias = alias
        self.fields = model._meta.concrete_fields
        self.attnames = [field.attname for field in self.fields]
        self.columns = [f"{alias}.{connection.ops.quote_name(field.column)}" for field in self.fields]
        self.pk_position = self.attnames.index(model._meta.pk.attname)
        # (position, column, converters) of the fields the database's values need converting for
        # (on PostgreSQL none of these models' fields; on SQLite dates, moments and booleans).
        self.conversions = []
        for position, field in enumerate(self.fields):
            column = Col(alias, field)
            converters = connection.ops.get_db_converters(column) + field.get_db_converters(connection)
            if converters:
                self.conversions.append((position, column, converters))

    def instance(self, values, connection):
        """The instance of these values, or None for a LEFT JOIN that found no row."""
        if values[self.pk_position] is None:
            return None
        values = list(values)
        for position, column, converters in self.conversions:
            for converter in converters:
                values[position] = converter(values[position], column, connection)
        return self.model.from_db(connection.alias, self.attnames, values)


# One-to-one links to the practitioner profile (fields of models in apps above) whose rows come
# in the statement: declared at start-up by `read_with_the_profile`.
_READ_WITH_THE_PROFILE = []


def read_with_the_profile(link):
    """From now on, read the row of `link` (a one-to-one field to the practitioner profile, of a
    model in an app above; called from its `ready`) with every session's user, and keep it on the
    profile as `select_related` keeps it: that reverse accessor then asks no query this request."""
    if link.related_model is not get_user_model()._meta.get_field("practitioner_profile").related_model:
        raise ValueError(f"{link} does not lead to the practitioner profile")
    if link not in _READ_WITH_THE_PROFILE:
        _READ_WITH_THE_PROFILE.append(link)
        _statement.cache_clear()


class SessionUserRead:
    def __init__(self, connection):
        user_model = get_user_model()
        profile_link = user_model._meta.get_field("practitioner_profile").remote_field  # the profile's `user`
        profile_model = profile_link.model
        self.profile_link = profile_link
        self.specialty_link = profile_model._meta.get_field("specialty")
        self.device_link = TOTPDevice._meta.get_field("user")
        self.profile_companion_links = list(_READ_WITH_THE_PROFILE)
        companions = [
            Table(link.model, f"c{index}", connection) for index, link in enumerate(self.profile_companion_links)
        ]
        self.tables = [
            Table(user_model, "u", connection),
            Table(profile_model, "p", connection),
            Table(self.specialty_link.related_model, "s", connection),
            Table(TOTPDevice, "d", connection),
            *companions,
        ]
        users, profiles, specialties, devices = (table.model._meta.db_table for table in self.tables[:4])
        quote = connection.ops.quote_name
        companion_joins = "".join(
            f" LEFT JOIN {quote(table.model._meta.db_table)} {table.alias}"
            f" ON {table.alias}.{quote(link.column)} = p.{quote(profile_model._meta.pk.column)}"
            for table, link in zip(companions, self.profile_companion_links, strict=True)
        )

        def joined(device_id):
            # The names are the models' own.
            return (
                f" LEFT JOIN {quote(profiles)} p ON p.{quote(profile_link.column)} = u.id"
                f" LEFT JOIN {quote(specialties)} s ON s.id = p.{quote(self.specialty_link.column)}"
                f" LEFT JOIN {quote(devices)} d ON d.id = {device_id} AND d.{quote(self.device_link.column)} = u.id"
                f"{companion_joins}"
            )

        columns = ", ".join(column for table in self.tables for column in table.columns)
        self.sql = f"SELECT {columns} FROM {quote(users)} u{joined('%s')} WHERE u.id = %s"  # noqa: S608  # nosec B608
        sessions = quote(Session._meta.db_table)
        self.session_sql = (
            f"SELECT k.session_data, k.user_id, k.app_device_id, {columns} FROM {sessions} k"  # noqa: S608  # nosec B608
            f" LEFT JOIN {quote(users)} u ON u.id = k.user_id{joined('k.app_device_id')}"
            " WHERE k.session_key = %s AND k.expire_date > %s"
        )

    def read(self, connection, user_id, device_id):
        with connection.cursor() as cursor:
            # Prepared on PostgreSQL: planning five joins cost the database three times their run.
            statement_for(self.sql).execute(cursor, [device_id, user_id])
            row = cursor.fetchone()
        return (None, None) if row is None else self.user_and_device(row, connection)

    def read_with_the_session(self, cursor, session_key, now):
        statement_for(self.session_sql).execute(cursor, [session_key, now])
        row = cursor.fetchone()
        if row is None:
            return None
        session_data, user_id, device_id = row[:3]
        user, device = self.user_and_device(row[3:], cursor.db) if user_id is not None else (None, None)
        return session_data, UserOfTheSession(user_id, device_id, user, device)

    def user_and_device(self, row, connection):
        parts, start = [], 0
        for table in self.tables:
            parts.append(table.instance(row[start : start + len(table.fields)], connection))
            start += len(table.fields)
        user, profile, specialty, device, *companions = parts
        if user is None:
            return None, None
        # Linked both ways, as select_related links them: no query for `user.practitioner_profile`
        # (or its absence), `profile.user`, `profile.specialty`, `device.user`, nor for a
        # companion of the profile (or its absence: `profile.registration` raises, as the ORM's).
        self.profile_link.remote_field.set_cached_value(user, profile)
        if profile is not None:
            self.profile_link.set_cached_value(profile, user)
            self.specialty_link.set_cached_value(profile, specialty)
            for link, companion in zip(self.profile_companion_links, companions, strict=True):
                link.remote_field.set_cached_value(profile, companion)
                if companion is not None:
                    link.set_cached_value(companion, profile)
        if device is not None:
            self.device_link.set_cached_value(device, user)
        return user, device


@functools.cache
def _statement(alias):
    return SessionUserRead(connections[alias])


def read_session_user(user_id, device_id=None):
    """(user, device): the user of this id with their profile and its specialty, and the app
    device of `device_id` if it is this user's (else None); (None, None) for no such user."""
    alias = router.db_for_read(get_user_model())
    return _statement(alias).read(connections[alias], user_id, device_id)


def read_with_the_session(cursor, session_key, now):
    """(session data, `UserOfTheSession`) of the session `session_key` unexpired at `now`, with
    the user and the app device its row names; None for no such session. On `cursor` (a Django
    cursor), as the session store reads (accounts/sessions.py)."""
    return _statement(cursor.db.alias).read_with_the_session(cursor, session_key, now)


def app_device_id(persistent_id):
    """The id in an app device's persistent id ("otp_totp.totpdevice/12"), else None."""
    model, _slash, device_id = OTPMiddleware._normalize_persistent_id(persistent_id).partition("/")
    return int(device_id) if model == APP_DEVICE_MODEL and device_id.isdigit() else None
