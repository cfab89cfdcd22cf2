"""`{% url %}` with an address reversed once a process (core/template_url.py) renders Django's."""

import pytest
from django.template import Context, Engine, RequestContext, engines
from django.test import RequestFactory
from django.urls import NoReverseMatch, resolve
from django.urls.base import clear_script_prefix, set_script_prefix

from core import template_url

DJANGOS = Engine()
OURS = Engine(builtins=["core.template_url"])

SOURCES = [
    "{% url 'accounts:signup' %}",
    '{% url "portal:privacy" %}',
    "{% url 'captcha-image' 'abc' %}",
    "{% url 'captcha-image' key=key %}",
    "{% url name %}",
    "{% url 'accounts:login' as login %}[{{ login }}]",
    "{% url 'admin:index' %}",
]


@pytest.mark.parametrize("source", SOURCES)
@pytest.mark.parametrize("prefix", ["/", "/portal/"])
def test_each_form_of_the_tag_renders_as_djangos(source, prefix):
    set_script_prefix(prefix)
    try:
        request = RequestFactory().get("/accounts/login/")
        request.resolver_match = resolve("/accounts/login/")
        for context in ({"key": "x y", "name": "portal:terms"}, {"key": "k", "name": "accounts:login"}):
            assert OURS.from_string(source).render(RequestContext(request, context)) == DJANGOS.from_string(
                source
            ).render(RequestContext(request, context))
            assert OURS.from_string(source).render(Context(context)) == DJANGOS.from_string(source).render(
                Context(context)
            )
    finally:
        clear_script_prefix()


def test_an_unknown_name_fails_as_djangos_does():
    with pytest.raises(NoReverseMatch):
        OURS.from_string("{% url 'nowhere' %}").render(Context())


def test_the_site_uses_it_for_constant_names_only():
    nodes = (
        engines["django"].from_string("{% url 'accounts:signup' %}{% url 'captcha-image' 'abc' %}").template.nodelist
    )
    assert [type(node) for node in nodes][:1] == [template_url.ConstantURLNode]
    assert not isinstance(nodes[1], template_url.ConstantURLNode)
