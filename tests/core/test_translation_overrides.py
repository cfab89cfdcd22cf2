"""Django's own strings that our catalogue words differently (core/translation_overrides.py)."""

import datetime

import pytest
from django.template import Context, Template
from django.utils import translation
from django.utils.translation import gettext, pgettext

from core.hijri import hijri


@pytest.fixture(autouse=True)
def arabic():
    with translation.override("ar"):
        yield


def test_april_is_spelt_as_saudi_government_services_spell_it():
    april = datetime.date(2027, 4, 1)
    assert (
        Template('{{ day|date:"j F Y" }} {{ day|date:"N" }} {{ day|date:"b" }}').render(Context({"day": april}))
        == "1 أبريل 2027 أبريل أبريل"
    )
    assert "أبريل" in str(hijri(april))
    assert "إبريل" not in str(hijri(april))


def test_the_admin_filter_panel_says_tasfiya():
    assert gettext("Filter") == "تصفية"
    assert "تصفية" in gettext("Clear all filters")


def test_select_all_puts_the_count_after_its_label():
    assert (
        gettext("Select all %(total_count)s %(module_name)s")
        % {
            "total_count": 3,
            "module_name": "طلبات التسجيل",
        }
        == "تحديد الكل (طلبات التسجيل: 3)"
    )


def test_no_override_keeps_djangos_spelling():
    from core.translation_overrides import OVERRIDDEN_MESSAGES

    for message in OVERRIDDEN_MESSAGES:
        translated = str(message) if not isinstance(message, str) else gettext(message)
        assert "إبريل" not in translated
        assert "مرشّح" not in translated
    assert pgettext("abbrev. month", "April") == "أبريل"
