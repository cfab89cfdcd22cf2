"""Absolute links for emails, from SITE_URL (see portal/site.py)."""

from django import template

from core.site import absolute_reverse

register = template.Library()


@register.simple_tag
def absolute_url(viewname, *args):
    """`{% absolute_url "portal:my_requests" as url %}`: the page's address on the public portal."""
    return absolute_reverse(viewname, args=args)
