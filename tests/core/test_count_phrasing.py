"""Counts in Arabic read right for every number, decimals included.

Arabic nouns after a number change with it (ساعة واحدة، ساعتان، 3 ساعات، 11 ساعةً، 100 ساعة) and a
decimal takes yet another form, so a fixed "%(n)s ساعة" is wrong for most numbers. Where the number
can be anything (hours, counts in the admin) it is shown as "label: number"; where a sentence needs
the noun (days left), the catalogue's six plural forms say it, and "one" and "two" in words.
"""

import re
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.template.defaultfilters import floatformat
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import ngettext

from applications.eligibility import check_cpd_hours, format_hours

from ..portal.test_translations import CATALOGUE, parse_entries

NUMBERS = [0, 1, 2, 3, 10, 11, 100, Decimal("2.5")]
# A number written before a noun: what "label: number" phrasing never produces.
NUMBER_THEN_NOUN = re.compile(r"\d\s+(ساعة|ساعات|ساعتين|ساعتان|طلب|طلبات|يوم|أيام)")


def written(number):
    """As templates write it (floatformat:"-1": the language's decimal separator)."""
    return floatformat(number, -1)


@pytest.fixture(autouse=True)
def arabic():
    with translation.override("ar"):
        yield


@pytest.mark.parametrize("number", NUMBERS)
def test_the_hours_bar_says_each_figure_after_its_label(number):
    summary = SimpleNamespace(accepted=number, required=30, missing=number, pending=number, enough=False, percent=0)
    html = render_to_string("applications/hours_bar.html", {"summary": summary})
    assert f"الساعات المقبولة: <strong>{written(number)}</strong> من 30" in html
    assert f"الساعات المتبقية للتجديد: {written(number)}" in html
    if number:
        assert f"الساعات التي بانتظار المراجعة: {written(number)}" in html
    assert not NUMBER_THEN_NOUN.search(html)


@pytest.mark.parametrize("number", NUMBERS)
def test_the_renewal_hours_rule_says_each_figure_after_its_label(number):
    required = Decimal(number) + 6
    result = check_cpd_hours(Decimal(number), required)
    assert str(result.title) == f"الساعات التعليمية المطلوبة خلال فترة التسجيل: {format_hours(required)}"
    assert result.explanation.startswith(
        f"الساعات المقبولة: {format_hours(number)} من {format_hours(required)}، والمتبقية: 6."
    )
    assert not NUMBER_THEN_NOUN.search(result.explanation)


@pytest.mark.parametrize("number", [n for n in NUMBERS if n == int(n)])
def test_the_admin_counts_results_as_label_and_number(number):
    changelist = SimpleNamespace(result_count=number, opts=SimpleNamespace(verbose_name_plural="طلبات التسجيل"))
    html = render_to_string("admin/pagination.html", {"cl": changelist})
    assert f"طلبات التسجيل: {number}" in html
    assert not NUMBER_THEN_NOUN.search(html)


@pytest.mark.parametrize(
    ("days", "expected"),
    [
        (0, "اليوم آخر يوم"),
        (1, "بقي يوم واحد"),
        (2, "بقي يومان"),
        (3, "بقي 3 أيام"),
        (10, "بقي 10 أيام"),
        (11, "بقي 11 يومًا"),
        (100, "بقي 100 يوم"),
    ],
)
def test_days_left_use_the_plural_form_of_each_number(days, expected):
    singular = "Your registration is valid until %(until)s: %(days)s day left. Renew it now so it does not lapse."
    plural = "Your registration is valid until %(until)s: %(days)s days left. Renew it now so it does not lapse."
    sentence = ngettext(singular, plural, days) % {"until": "1 أبريل 2027", "days": days}
    assert expected in sentence


def test_no_plural_form_writes_one_or_two_as_a_digit_before_the_noun():
    """Forms 1 and 2 are for exactly one and two: «يوم واحد», «يومان», never «2 يومين» (a label then
    the number, «النتائج: 2», reads right for every number)."""
    count_names = ("days", "hours", "minutes", "counter", "count", "remaining")
    plural_entries = [entry for entry in parse_entries(CATALOGUE.read_text(encoding="utf-8")) if entry[2]]
    assert plural_entries
    for _flags, msgid, _plural, forms in plural_entries:
        assert len(forms) == 6, msgid
        for form in forms[1:3]:
            assert not any(f"%({name})s" in form.replace(f": %({name})s", "") for name in count_names), (msgid, form)
