"""A read compiled once (core/fixed_reads.py) gives what its queryset gives, in one query each call,
and refuses a queryset whose SQL is not fixed."""

import datetime

import pytest
from django.db import connection
from django.db.models import Count, F, OuterRef, Subquery
from django.test.utils import CaptureQueriesContext

from core.fixed_reads import MOST_KEYS, NotFixed, fixed_read
from core.models import AccessAction, AccessRecord
from core.pagination import page_of

pytestmark = pytest.mark.django_db


def records_of(owner_id, staff_id):
    """Every kind of column a read may have: datetimes, text, choices, keys, annotations (an
    expression and a subquery), only some fields, an order."""
    same_action = AccessRecord.objects.filter(owner=OuterRef("owner"), action=OuterRef("action"))
    return (
        AccessRecord.objects.filter(owner=owner_id, staff=staff_id)
        .exclude(action=AccessAction.DOWNLOADED_DOCUMENT)
        .annotate(
            next_id=F("id") + 1,
            same_action=Subquery(same_action.values("owner").annotate(n=Count("id")).values("n")[:1]),
        )
        .only("owner", "action", "target", "at")
        .order_by("-at", "id")
    )


fixed_records_of = fixed_read(records_of)


def fields_of(record):
    return (
        record.pk,
        record.owner_id,
        record.action,
        record.target,
        record.at,
        record.next_id,
        record.same_action,
        record.get_deferred_fields(),
        record._state.adding,
        record._state.db,
    )


def test_a_fixed_read_gives_the_querysets_instances_in_one_query_a_call(rana, alice, pat):
    earlier = datetime.datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=datetime.UTC)
    for owner, action, target in [
        (alice, AccessAction.VIEWED_APPLICATION, "REG-1"),
        (alice, AccessAction.VIEWED_APPLICATION, "REG-2"),
        (alice, AccessAction.DOWNLOADED_DOCUMENT, "ID"),
        (pat, AccessAction.VIEWED_APPLICATION, "REG-3"),
    ]:
        record = AccessRecord.objects.create(staff=rana, owner=owner, action=action, target=target)
    AccessRecord.objects.filter(target="REG-1").update(at=earlier)

    for owner in (alice, pat, rana):  # each call with its own keys, the last with no rows
        expected = list(records_of(owner.pk, rana.pk))
        with CaptureQueriesContext(connection) as captured:
            fixed = fixed_records_of(owner.pk, rana.pk)
        assert [fields_of(record) for record in fixed] == [fields_of(record) for record in expected]
        assert len(captured) == 1
    assert [record.target for record in fixed_records_of(alice.pk, rana.pk)] == ["REG-2", "REG-1"]
    assert fixed_records_of(alice.pk, rana.pk)[1].at == earlier  # to the microsecond, aware
    assert record.target == "REG-3"


@fixed_read
def records_between(owner_id, since, before_day):
    return AccessRecord.objects.filter(owner=owner_id, at__gte=since, at__date__lt=before_day).only("target")


def test_dates_and_moments_are_keys_too(rana, alice):
    for target, at in [
        ("REG-1", datetime.datetime(2026, 3, 1, 23, 59, 59, 999999, tzinfo=datetime.UTC)),
        ("REG-2", datetime.datetime(2026, 3, 2, 0, 0, tzinfo=datetime.UTC)),
        ("REG-3", datetime.datetime(2026, 3, 5, 8, 0, tzinfo=datetime.UTC)),
    ]:
        record = AccessRecord.objects.create(staff=rana, owner=alice, action=AccessAction.DECIDED, target=target)
        AccessRecord.objects.filter(pk=record.pk).update(at=at)
    moment = datetime.datetime(2026, 3, 2, 0, 0, tzinfo=datetime.UTC)
    for since, before_day, targets in [
        (moment, datetime.date(2026, 3, 6), ["REG-3", "REG-2"]),
        (moment - datetime.timedelta(microseconds=1), datetime.date(2026, 3, 5), ["REG-2", "REG-1"]),
        (moment, datetime.date(2026, 3, 2), []),
    ]:
        assert [record.target for record in records_between(alice.pk, since, before_day)] == targets


@pytest.mark.parametrize(
    "build",
    [
        # The key is not in the SQL.
        lambda key: AccessRecord.objects.all(),
        # The SQL changes with the key's value.
        lambda key: AccessRecord.objects.filter(owner=key) if key % 3 else AccessRecord.objects.filter(staff=key),
        # Instances from more queries.
        lambda key: AccessRecord.objects.filter(owner=key).prefetch_related("owner"),
        # A key that is not compared as it is.
        lambda key: AccessRecord.objects.filter(target__contains=key),
    ],
    ids=["key not in it", "shape changes", "prefetch_related", "changed on the way"],
)
def test_a_read_whose_sql_is_not_fixed_is_refused(build, alice):
    with pytest.raises(NotFixed):
        fixed_read(build)(alice.pk)


def test_a_key_is_an_id_a_text_a_date_or_a_moment():
    with pytest.raises(NotFixed):
        fixed_read(lambda key: AccessRecord.objects.filter(at__gte=key))(1.5)


@fixed_read
def record_with_its_people(target, owner_id):
    return AccessRecord.objects.filter(target=target, owner=owner_id).select_related(
        "staff", "owner__practitioner_profile"
    )


def test_joined_rows_come_as_select_related_makes_them(rana, alice, pat):
    AccessRecord.objects.create(staff=rana, owner=alice, action=AccessAction.DECIDED, target="REG-1")
    AccessRecord.objects.create(staff=rana, owner=pat, action=AccessAction.DECIDED, target="REG-1")
    for owner in (alice, pat):
        (record,) = record_with_its_people("REG-1", owner.pk)
        with CaptureQueriesContext(connection) as captured:
            people = (record.staff.email, record.owner.email, getattr(record.owner, "practitioner_profile", None))
        assert len(captured) == 0
        assert people == (rana.email, owner.email, getattr(owner, "practitioner_profile", None))
    assert record_with_its_people("REG-2", pat.pk) == []


@pytest.mark.parametrize("number", [None, "x", "0", "1", "2", "3", "99", "9" * 30])
def test_a_listing_pages_as_its_queryset_does(rana, alice, number):
    AccessRecord.objects.bulk_create(
        AccessRecord(staff=rana, owner=alice, action=AccessAction.DECIDED, target=f"REG-{n}") for n in range(7)
    )
    listing = fixed_read(lambda owner_id: AccessRecord.objects.filter(owner=owner_id).order_by("id")).listing(alice.pk)
    queryset = AccessRecord.objects.filter(owner=alice).order_by("id")
    page, expected = page_of(listing, 3, number), page_of(queryset, 3, number)
    assert (list(page), page.number, page.has_next()) == (list(expected), expected.number, expected.has_next())
    with CaptureQueriesContext(connection) as captured:
        assert [record.target for record in listing[5:9]] == ["REG-5", "REG-6"]
    assert len(captured) == 1


@pytest.mark.parametrize("index", [1, slice(None, None), slice(0, 5, 2), slice(5, 2)])
def test_a_listing_is_read_by_slices_with_a_stop(index, alice):
    listing = fixed_read(lambda owner_id: AccessRecord.objects.filter(owner=owner_id)).listing(alice.pk)
    with pytest.raises(TypeError):
        listing[index]


def test_a_read_of_more_keys_than_a_fixed_one_takes_goes_through_the_orm_as_it_is(rana, alice, pat):
    """A read whose number of keys varies has a shape for each number: past MOST_KEYS, nothing is
    compiled and kept, so nobody can make a worker keep a statement for each of their hundred codes."""
    for owner in (alice, pat):
        AccessRecord.objects.create(staff=rana, owner=owner, action=AccessAction.DECIDED, target=owner.email)

    @fixed_read
    def records_of_any(*owner_ids):
        return AccessRecord.objects.filter(owner__in=owner_ids).order_by("target")

    many = (alice.pk, pat.pk, *range(-MOST_KEYS, 0))
    assert [record.target for record in records_of_any(*many)] == sorted([alice.email, pat.email])
    assert [record.target for record in records_of_any.listing(*many)[1:5]] == [max(alice.email, pat.email)]
    assert records_of_any._compiled == {}
    assert [record.target for record in records_of_any(alice.pk)] == [alice.email]
    assert len(records_of_any._compiled) == 1
