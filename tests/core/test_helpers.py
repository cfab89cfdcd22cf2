"""The shared helpers: digit normalisation, the Hijri date filter and the language switch."""

import datetime
import re

import pytest
from django.middleware.csrf import get_token
from django.template import Context, RequestContext, Template
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from core.digits import digits_only, normalize_digits
from core.hijri import hijri
from core.templatetags import language_switch as language_switch_tags


def test_arabic_indic_digits_become_ascii():
    assert normalize_digits("١٠٢٣٤٥٦٧٨٩") == "1023456789"


def test_persian_digits_become_ascii():
    assert normalize_digits("۱۰۲۳۴۵۶۷۸۹") == "1023456789"


def test_other_text_is_untouched():
    assert normalize_digits("abc أبج 12") == "abc أبج 12"


def test_digits_only_drops_hyphens_and_spaces():
    assert digits_only(" ٢٦-٠٠٠٠-٠٠٠١ ") == "2600000001"


@given(st.integers(min_value=0, max_value=10**12))
def test_every_number_round_trips_through_arabic_indic(number):
    arabic = str(number).translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    assert normalize_digits(arabic) == str(number)


def test_hijri_filter_shows_both_calendars_in_arabic():
    with translation.override("ar"):
        rendered = hijri(datetime.date(2026, 11, 28))
    assert "2026" in rendered
    assert "جمادى الآخرة" in rendered
    assert "1448" in rendered
    assert 'datetime="2026-11-28"' in rendered


def test_hijri_filter_in_english():
    with translation.override("en"):
        rendered = hijri(datetime.date(2026, 11, 28))
    assert "November 2026" in rendered
    assert "Jumada al-Akhirah 1448" in rendered


@pytest.mark.parametrize("language", ["ar", "en"])
@pytest.mark.parametrize(
    "moment",
    [
        datetime.datetime(2026, 12, 6, 21, 5, tzinfo=datetime.UTC),  # 00:05 the next day in Riyadh
        datetime.datetime(2026, 12, 6, 8, 59, 30, tzinfo=datetime.UTC),
        datetime.datetime(2026, 1, 1, 0, 0, tzinfo=datetime.UTC),
        datetime.datetime(1900, 1, 1, 12, 0, tzinfo=datetime.UTC),  # before the Umm al-Qura tables: Gregorian only
    ],
)
def test_hijri_with_time_is_the_date_and_the_time_filter_side_by_side(moment, language):
    """What the share and access-log pages wrote with two filters, one row at a time."""
    both = Template('{% load hijri %}{{ at|hijri }} <bdi dir="ltr">{{ at|time:"H:i" }}</bdi>')
    one = Template("{% load hijri %}{{ at|hijri_with_time }}")
    with translation.override(language):
        assert one.render(Context({"at": moment})) == both.render(Context({"at": moment}))


@pytest.mark.parametrize("language", ["ar", "en"])
def test_a_list_of_moments_is_the_loop_it_replaces(language):
    """A share code's openings: one filter for the list, the same markup as a loop of rows."""
    moments = [
        datetime.datetime(2026, 12, 6, 21, 5, tzinfo=datetime.UTC),
        datetime.datetime(2026, 12, 6, 8, 59, 30, tzinfo=datetime.UTC),
        datetime.datetime(1900, 1, 1, 12, 0, tzinfo=datetime.UTC),
        datetime.date(2026, 12, 6),  # a date alone: no time, as the filter writes it
    ]
    loop = Template("{% load hijri %}{% for at in moments %}<li>{{ at|hijri_with_time }}</li>{% endfor %}")
    one = Template("{% load hijri %}{{ moments|hijri_with_time_items }}")
    with translation.override(language):
        assert one.render(Context({"moments": moments})) == loop.render(Context({"moments": moments}))
        assert one.render(Context({"moments": moments})).count("<li>") == 4
        assert one.render(Context({"moments": []})) == ""


@pytest.mark.parametrize("value", [None, ""])
def test_hijri_filter_of_nothing_is_empty(value):
    assert hijri(value) == ""


def test_hijri_filter_outside_the_umm_al_qura_range_shows_gregorian_only():
    with translation.override("en"):
        rendered = hijri(datetime.date(1900, 1, 1))
    assert rendered == "1 January 1900"


LANGUAGE_SWITCH = Template("{% load language_switch %}{% language_switch %}")


@pytest.mark.parametrize(("language", "button"), [("ar", 'value="en" lang="en">English'), ("en", 'lang="ar">العربية')])
def test_language_switch_offers_the_other_language_and_comes_back_here(rf, language, button):
    request = rf.get('/terms/?a="b"&c=1')
    get_token(request)
    with translation.override(language):
        html = LANGUAGE_SWITCH.render(RequestContext(request))
    assert '<form method="post" action="/language/">' in html
    assert button in html
    assert 'name="next" value="/terms/?a=%22b%22&amp;c=1"' in html
    assert 'name="csrfmiddlewaretoken" value="' in html


def test_the_header_and_footer_switch_are_one_form_made_once_a_page(rf, monkeypatch):
    request = rf.get("/terms/")
    made = []
    original = language_switch_tags.switch_form
    monkeypatch.setattr(language_switch_tags, "switch_form", lambda context: made.append(1) or original(context))
    template = Template(
        "{% load language_switch %}<header>{% language_switch %}</header><footer>{% language_switch %}</footer>"
    )
    html = template.render(RequestContext(request))
    header, footer = re.search(r"<header>(.*)</header><footer>(.*)</footer>", html).groups()
    assert header == footer
    assert 'name="csrfmiddlewaretoken"' in header
    assert made == [1]
    template.render(RequestContext(request))
    assert made == [1, 1]  # a new page, a new form (a new CSRF mask)


def test_language_switch_is_left_out_without_a_request():
    assert LANGUAGE_SWITCH.render(Context({})) == ""
