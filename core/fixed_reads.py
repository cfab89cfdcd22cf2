"""A queryset compiled once per process, then run with each call's keys: the ORM's own SQL and
instances, without the ORM compiling the same query again on every request.

Compiling a query costs the ORM far more than running a small one: the renewal page's one read of
the open application took 0.49 ms to build and compile against 0.04 ms to run and fetch (SQLite in
one process, docs/performance.md, issue 27), and every signed-in page has a few such reads whose
shape never changes, only the ids in them. `fixed_read` turns a function building such a queryset
from keys into one that returns the queryset's rows as model instances: the first call in a
process (per database) builds the queryset with stand-in keys and compiles it; each call then
sends that SQL with its own keys (prepared once a connection on PostgreSQL: `statement_for`), and
makes the instances as the ORM makes them (`Model.from_db`, the same converters, the same
annotations, `select_related`'s objects). Queries are counted and logged as any other.

What may be fixed this way: a queryset of a model (annotations, `only()` and `select_related`
allowed; not `prefetch_related`, whose instances come from more queries), whose keys are ids,
texts, dates or moments compared as values (`filter(applicant=key)`, `filter(reference=key)`,
`filter(completed_on__range=(start, end))`), everything else in it constant. The shape is
checked when compiled: built with two different sets of stand-ins, the SQL must be the same and
the stand-ins found where they were put, else `NotFixed` is raised, on the first call (in the
tests of the read). A read of more than MOST_KEYS keys is not fixed: the ORM runs it as it is.
"""

import datetime
import functools
from typing import NamedTuple

from django.db import connections, router
from django.db.models.query import get_related_populators

from .statements import statement_for

# The largest id a table holds (a signed 64-bit integer, in PostgreSQL and SQLite). A number from an
# address beyond it is "no row" to the ORM but an error to a fixed statement: its reader checks.
LARGEST_ID = 2**63 - 1


class NotFixed(Exception):
    """The queryset's SQL depends on its keys in more than their values, or it prefetches."""


class KeyKind:
    """How a kind of key is stood in for, and sent as the database takes it (as the ORM adapts a
    value of that field: an id as it is, a date or a moment as the backend stores it)."""

    def __init__(self, stand_in, adapt):
        self.stand_in = stand_in  # (set 0 or 1, index of the key): a value no query holds
        self.adapt = adapt  # (connection ops, value): the parameter

    @staticmethod
    def of(key):
        if isinstance(key, datetime.datetime):
            return MOMENT
        if isinstance(key, datetime.date):
            return DAY
        if type(key) is int:
            return ID
        if type(key) is str:
            return TEXT
        raise NotFixed(f"a key is an id, a text, a date or a moment, not {type(key).__name__}")


# Within a 32-bit integer column's range: the ORM reads a value beyond it as "no row" and
# leaves the comparison out of the SQL.
ID = KeyKind(lambda which, index: -2_000_000_000 - which * 1_000 - index, lambda ops, key: key)
TEXT = KeyKind(lambda which, index: f"fixed-read stand-in {which}.{index}", lambda ops, key: key)
DAY = KeyKind(
    lambda which, index: datetime.date(1001 + which * 100 + index, 1, 1),
    lambda ops, key: ops.adapt_datefield_value(key),
)
MOMENT = KeyKind(
    lambda which, index: datetime.datetime(1001 + which * 100 + index, 1, 1, tzinfo=datetime.UTC),
    lambda ops, key: ops.adapt_datetimefield_value(key),
)


class Compiled(NamedTuple):
    sql: str
    params: list
    key_positions: dict  # parameter position: index of the key that goes there
    compiler: object


def _compiled(build, kinds, alias, which):
    stand_ins = [kind.stand_in(which, index) for index, kind in enumerate(kinds)]
    queryset = build(*stand_ins)
    if queryset._prefetch_related_lookups:
        raise NotFixed(f"{build.__qualname__}: its own rows only, no prefetch")
    compiler = queryset.query.get_compiler(using=alias)
    sql, params = compiler.as_sql()
    ops = connections[alias].ops
    sent = {(type(value), value): index for index, value in enumerate(_adapted(ops, kinds, stand_ins))}
    positions = {
        position: sent[type(value), value] for position, value in enumerate(params) if (type(value), value) in sent
    }
    return Compiled(sql, list(params), positions, compiler)


def _adapted(ops, kinds, keys):
    return [kind.adapt(ops, key) for kind, key in zip(kinds, keys, strict=True)]


def _constants(compiled):
    return [value for position, value in enumerate(compiled.params) if position not in compiled.key_positions]


class CompiledRead:
    """One queryset shape compiled on one database: its SQL, where each key goes in its parameters,
    and how a row becomes an instance."""

    def __init__(self, build, kinds, alias):
        first = _compiled(build, kinds, alias, 0)
        second = _compiled(build, kinds, alias, 1)
        if (
            (first.sql, first.key_positions) != (second.sql, second.key_positions)
            or _constants(first) != _constants(second)
            or set(first.key_positions.values()) != set(range(len(kinds)))
        ):
            raise NotFixed(f"{build.__qualname__}: its SQL changes with its keys, or a key is not in it")
        klass_info = first.compiler.klass_info
        if klass_info is None:
            raise NotFixed(f"{build.__qualname__}: rows of a model only")
        self.kinds = kinds
        self.sql, self.params, self.key_positions = first.sql, first.params, first.key_positions
        self.is_sliced = first.compiler.query.is_sliced
        select = [column for column, _sql, _alias in first.compiler.select]
        fields = klass_info["select_fields"]
        self.model = klass_info["model"]
        self.model_columns = slice(fields[0], fields[-1] + 1)
        self.attnames = [column.target.attname for column in select[self.model_columns]]
        self.annotation_columns = list(first.compiler.annotation_col_map.items())
        self.converters = list(first.compiler.get_converters(select).items())
        # The instances `select_related` joins, made and linked as the ORM's iterator does it.
        self.related_populators = get_related_populators(klass_info, first.compiler.select, alias)

    def rows(self, alias, keys, window=None):
        """The instances of the rows of `keys`; with `window` (offset, number of rows) only those."""
        connection = connections[alias]
        sent = _adapted(connection.ops, self.kinds, keys)
        params = self.params.copy()
        for position, index in self.key_positions.items():
            params[position] = sent[index]
        sql = self.sql
        if window is not None:
            if self.is_sliced:
                raise NotFixed("a window of a sliced queryset")
            offset, count = window
            sql += " LIMIT %s OFFSET %s"  # as parameters, where the ORM writes them into the SQL
            params += [count, offset]
        with connection.cursor() as cursor:
            statement_for(sql).execute(cursor, params)  # planned once a connection, on PostgreSQL
            rows = cursor.fetchall()
        return [self._instance(list(row), alias, connection) for row in rows]

    def _instance(self, row, alias, connection):
        for position, (converters, expression) in self.converters:
            value = row[position]
            for converter in converters:
                value = converter(value, expression, connection)
            row[position] = value
        instance = self.model.from_db(alias, self.attnames, row[self.model_columns])
        for populator in self.related_populators:
            populator.populate(row, instance)
        for name, position in self.annotation_columns:
            setattr(instance, name, row[position])
        return instance


# A read of more keys than this (one whose number of keys varies, such as a read of each of a
# list's ids) goes through the ORM as it is: each number of keys is a shape of its own, compiled
# and kept by every worker (and prepared on each of its connections), so a user making rows by the
# hundred would otherwise make a worker keep hundreds of statements. Up to it, the shapes a read can
# have are few, and nobody's traffic can take one's place.
MOST_KEYS = 16


class FixedRead:
    def __init__(self, build):
        self.build = build
        functools.update_wrapper(self, build)
        self._model = None
        self._compiled = {}  # (database alias, the keys' kinds): CompiledRead

    def __call__(self, *keys):
        """The instances the queryset `build(*keys)` would give, in its order."""
        return self.rows(keys)

    def rows(self, keys, window=None):
        if len(keys) > MOST_KEYS:
            return self._through_the_orm(keys, window)
        kinds = tuple(KeyKind.of(key) for key in keys)
        if self._model is None:
            self._model = self.build(*keys).model  # a queryset is lazy: nothing is read
        alias = router.db_for_read(self._model)
        compiled = self._compiled.get((alias, kinds))
        if compiled is None:
            compiled = self._compiled[alias, kinds] = CompiledRead(self.build, kinds, alias)
        return compiled.rows(alias, keys, window)

    def _through_the_orm(self, keys, window):
        queryset = self.build(*keys)
        if window is not None:
            offset, count = window
            queryset = queryset[offset : offset + count]
        return list(queryset)

    def listing(self, *keys):
        """The rows of `keys` as a list to page through (`FixedListing`)."""
        return FixedListing(self, keys)


class FixedListing:
    """The rows of a fixed read, read a slice at a time: what core.pagination's `page_of` and
    Django's `Paginator` ask of a list (a slice, a count), each slice in one fixed statement."""

    def __init__(self, read, keys):
        self.read = read
        self.keys = keys

    def __getitem__(self, index):
        if not isinstance(index, slice) or index.step is not None:
            raise TypeError("a listing is read by slices")
        start = index.start or 0
        if index.stop is None or start < 0 or index.stop < start:
            raise TypeError("a listing is read by slices with a start and a stop, in order")
        return self.read.rows(self.keys, window=(start, index.stop - start))

    def count(self):
        """The number of rows: the ORM's count of the read (for the paginator, past the end only)."""
        return self.read.build(*self.keys).count()


def fixed_read(build):
    """`build(*keys)` returns a queryset of a model whose keys are ids, texts, dates or moments
    compared as values; the function returned takes the same keys and gives the queryset's instances,
    compiled once (module doc)."""
    return FixedRead(build)
