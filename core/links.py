"""Addresses reversed once per process: without arguments, or with one plain value put in.

Django's `reverse` walks the URL patterns each time: about 50 µs here, and the page chrome links
to the same addresses on every page (a tenth of a signed-in page's own work), the captcha to its
image and sound. Such an address cannot change while the process runs, except with the script
prefix, which is part of the key.
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


@functools.cache
def _path(viewname, prefix):
    return reverse(viewname)


def path_of(viewname):
    """`reverse(viewname)` of an address without arguments."""
    return _path(viewname, get_script_prefix())


# Stands for an argument while its pattern is reversed: letters only, so never quoted.
_ARGUMENT_MARK = "ArgumentMark"


@functools.cache
def _path_around_argument(viewname, argument, prefix):
    return tuple(reverse(viewname, kwargs={argument: _ARGUMENT_MARK}).split(_ARGUMENT_MARK))


def path_with(viewname, argument, value):
    """`reverse(viewname, kwargs={argument: value})` for a `value` of ASCII letters and digits
    (a key, an id), which a URL takes as it is: the pattern is reversed once a process and the
    value put in its place. Anything else is reversed as usual."""
    if not (value.isascii() and value.isalnum()):
        return reverse(viewname, kwargs={argument: value})
    before, after = _path_around_argument(viewname, argument, get_script_prefix())
    return f"{before}{value}{after}"
