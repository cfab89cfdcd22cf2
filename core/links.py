"""Addresses without arguments, reversed once per process.

Django's `reverse` walks the URL patterns each time: about 50 µs here, and the page chrome links
to the same addresses on every page (a tenth of a signed-in page's own work). Such an address
cannot change while the process runs, except with the script prefix, which is part of the key.
"""

import functools

from django.urls import get_script_prefix, reverse

# What base.html links to on every page, by the name it uses.
CHROME = {
    "home": "portal:home",
    "services": "portal:services",
    "my_requests": "portal:my_requests",
    "eligibility": "applications:eligibility",
    "account": "accounts:account",
    "organisations": "employers:home",
    "review": "admin:index",
    "logout": "accounts:logout",
    "set_language": "set_language",
}


@functools.cache
def _chrome_paths(prefix):
    return {name: reverse(viewname) for name, viewname in CHROME.items()}


def chrome_paths():
    return _chrome_paths(get_script_prefix())
