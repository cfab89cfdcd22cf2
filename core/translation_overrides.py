"""Strings of Django's own catalogues that we word differently in Arabic.

Our catalogue (LOCALE_PATHS) takes precedence over Django's, so translating the same message
there is enough. They are listed here only so that makemessages keeps them in the catalogue;
nothing imports this module at run time (tests/core/test_translation_overrides.py checks them).
"""

from django.utils.translation import gettext_noop, pgettext_lazy

OVERRIDDEN_MESSAGES = (
    # Month names: "أبريل" is the spelling Saudi government services use; Django says "إبريل".
    gettext_noop("April"),
    gettext_noop("apr"),
    pgettext_lazy("abbrev. month", "April"),
    # The admin's filter panel: "تصفية" rather than "مرشّح".
    gettext_noop("Filter"),
    gettext_noop("Clear all filters"),
    # "Select all 3 registration applications" cannot agree in Arabic for every number.
    gettext_noop("Select all %(total_count)s %(module_name)s"),
)
