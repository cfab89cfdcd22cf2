"""A page of a list read without counting the list.

Django's `Paginator` counts the rows first (a query of its own) and then reads the page. A page
that only offers "newer" and "older" links needs no count: `page_of` reads one row more than a
page, which says whether another follows. A page number that is not a whole number, is below 1 or
lies past the end (however far: a number too large for the database's offset included) is
answered as `Paginator.get_page` answers it (the first page, or the last), by Django's own
paginator, which counts then.
"""

from collections.abc import Sequence

from django.core.paginator import Paginator

# The largest offset a database takes (a signed 64-bit integer, in PostgreSQL and SQLite): a page
# number beyond it lies past the end of any list, and goes to Django's paginator, which counts.
LARGEST_OFFSET = 2**63 - 1


class ListPage(Sequence):
    """What Django's `Page` offers a page with newer and older links: its rows, its number and its
    neighbours (not the number of pages, which needs the count)."""

    def __init__(self, rows, number, has_next):
        self.object_list = rows
        self.number = number
        self._has_next = has_next

    def __getitem__(self, index):
        return self.object_list[index]

    def __len__(self):
        return len(self.object_list)

    def has_next(self):
        return self._has_next

    def has_previous(self):
        return self.number > 1

    def has_other_pages(self):
        return self.has_previous() or self.has_next()

    def next_page_number(self):
        return self.number + 1

    def previous_page_number(self):
        return self.number - 1


def page_of(rows, per_page, number):
    """`Paginator(rows, per_page).get_page(number)`, in one query where the page exists; `number`
    as a query string gives it (a string, or None)."""
    try:
        number = int(number)  # as Paginator.validate_number reads a string
    except (TypeError, ValueError):
        number = 1
    start = (number - 1) * per_page
    if number >= 1 and start + per_page + 1 <= LARGEST_OFFSET:
        found = list(rows[start : start + per_page + 1])
        if found or number == 1:
            return ListPage(found[:per_page], number, has_next=len(found) > per_page)
    return Paginator(rows, per_page).get_page(number)
