"""Absolute addresses for emails and anything else built outside a page.

They come from the SITE_URL setting, never from a request's Host header: a link made by a
background job, a command or a reviewer's admin page points at the public portal all the same.
"""

from django.conf import settings
from django.urls import reverse


def absolute_url(path):
    """`path` (starting with "/") on the public portal."""
    return settings.SITE_URL.rstrip("/") + path


def absolute_reverse(viewname, args=None, kwargs=None):
    return absolute_url(reverse(viewname, args=args, kwargs=kwargs))
