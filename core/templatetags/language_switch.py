"""`{% language_switch %}`: the form that switches between Arabic and English and comes back here.

A tag in Python, like Django's own `{% csrf_token %}`, rather than an included template: it is
on every page twice (header and footer), and including it cost about a tenth of the home page's
time (`make profile`).
"""

from django import template
from django.utils.html import format_html
from django.utils.translation import get_language

from core.links import chrome_paths

register = template.Library()

# Where a page's language switch is kept while the page renders (its template's render context).
RENDERED_SWITCH = "core.language_switch"
OTHER_LANGUAGE = {"ar": ("en", "English"), "en": ("ar", "العربية")}


@register.simple_tag(takes_context=True)
def language_switch(context):
    """Empty where there is no request or CSRF token to post with (pages rendered without one).

    Made once a page (the header's and the footer's are the same form): each cost about 0.16
    million instructions, a tenth of a bare view's request (`python -m bench.instructions`).
    """
    if RENDERED_SWITCH not in context.render_context:
        context.render_context[RENDERED_SWITCH] = switch_form(context)
    return context.render_context[RENDERED_SWITCH]


def switch_form(context):
    request = context.get("request")
    csrf_token = str(context.get("csrf_token") or "")
    if request is None or csrf_token in {"", "NOTPROVIDED"}:
        return ""
    code, name = OTHER_LANGUAGE.get(get_language(), OTHER_LANGUAGE["en"])
    return format_html(
        '<form method="post" action="{}"><input type="hidden" name="csrfmiddlewaretoken" value="{}">'
        '<input type="hidden" name="next" value="{}">'
        '<button type="submit" class="link-button" name="language" value="{}" lang="{}">{}</button></form>',
        chrome_paths()["set_language"],
        csrf_token,
        request.get_full_path(),
        code,
        code,
        name,
    )


@register.simple_tag(takes_context=True)
def language_link(context):
    """For pages sent without cookies (the public verification pages): a plain link to the same
    address in the other language (`?lang=`), which sets nothing in the visitor's browser."""
    request = context["request"]
    code, name = OTHER_LANGUAGE.get(get_language(), OTHER_LANGUAGE["en"])
    query = request.GET.copy()
    query["lang"] = code
    return format_html('<a href="?{}" hreflang="{}" lang="{}">{}</a>', query.urlencode(), code, code, name)
