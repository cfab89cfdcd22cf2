"""A page read without a count (core/pagination.py) is the page Django's paginator gives, in one
query where the page exists."""

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.models import AccessAction, AccessRecord
from core.pagination import ListPage, page_of

PER_PAGE = 3
ASKED = [None, "", "x", "1.5", "-1", "0", "1", " 2 ", "2", "3", "4", "99"]


def what_a_page_offers(page):
    offers = {
        "rows": list(page),
        "number": page.number,
        "has_next": page.has_next(),
        "has_previous": page.has_previous(),
        "has_other_pages": page.has_other_pages(),
        "length": len(page),
    }
    if page.has_next():
        offers["next"] = page.next_page_number()
    if page.has_previous():
        offers["previous"] = page.previous_page_number()
    return offers


@pytest.mark.parametrize("count", [0, 1, PER_PAGE, PER_PAGE + 1, 2 * PER_PAGE, 2 * PER_PAGE + 1])
@pytest.mark.parametrize("number", ASKED)
def test_any_page_asked_for_is_the_one_djangos_paginator_gives(count, number):
    rows = list(range(count))
    expected = Paginator(rows, PER_PAGE).get_page(number)
    assert what_a_page_offers(page_of(rows, PER_PAGE, number)) == what_a_page_offers(expected)


def test_a_page_that_exists_is_read_in_one_query_without_a_count(rana, alice):
    AccessRecord.objects.bulk_create(
        AccessRecord(staff=rana, owner=alice, action=AccessAction.VIEWED_APPLICATION) for _ in range(2 * PER_PAGE)
    )
    records = AccessRecord.objects.filter(owner=alice).order_by("id")
    second_page = list(records[PER_PAGE:])
    with CaptureQueriesContext(connection) as captured:
        page = page_of(records, PER_PAGE, "2")
        assert isinstance(page, ListPage)
        assert list(page) == second_page
        assert not page.has_next()
    assert len(captured) == 1
    assert "COUNT" not in captured[0]["sql"].upper()


@pytest.mark.parametrize("number", [str(2**63 // PER_PAGE), str(2**63), "9" * 30])
def test_a_page_too_far_for_the_databases_offset_is_the_last_page(rana, alice, number):
    """Read directly, the offset would overflow the database's integer (a 500): a number that large
    is past the end of any list, and answered as the paginator answers it."""
    AccessRecord.objects.bulk_create(
        AccessRecord(staff=rana, owner=alice, action=AccessAction.VIEWED_APPLICATION) for _ in range(PER_PAGE + 1)
    )
    records = AccessRecord.objects.filter(owner=alice).order_by("id")
    page = page_of(records, PER_PAGE, number)
    assert (page.number, list(page)) == (2, list(records[PER_PAGE:]))
