"""`{% static "a constant" %}` found once (core/template_static.py) renders what Django's tag renders."""

import pytest
from django.template import Context, Engine, engines
from django.templatetags import static

from core import template_static

DJANGOS = Engine(libraries={"static": "django.templatetags.static"})
OURS = Engine(libraries={"static": "core.template_static"})

SOURCES = [
    "{% static 'js/registry.js' %}",
    "{% static 'css/mumaris.css' %}|{% static 'css/mumaris.css' %}",
    "{% static path %}",
    "{% static 'js/registry.js' as address %}<{{ address }}>",
    "{% static 'a file & a space.css' %}",
    "{% static 'JS/Registry.js'|lower %}",
    "{% get_static_prefix %}",
]


@pytest.mark.parametrize("source", SOURCES)
def test_each_form_of_the_tag_renders_as_djangos(source):
    theirs, ours = DJANGOS.from_string("{% load static %}" + source), OURS.from_string("{% load static %}" + source)
    for path in ["css/fonts.css", "js/mumaris.js"]:  # the second render comes from what was kept
        assert ours.render(Context({"path": path})) == theirs.render(Context({"path": path}))


def test_a_constant_is_found_once_and_a_variable_on_every_render(monkeypatch):
    found = []
    original = static.StaticNode.handle_simple
    monkeypatch.setattr(
        static.StaticNode, "handle_simple", classmethod(lambda cls, path: found.append(path) or original(path))
    )
    template = OURS.from_string("{% load static %}{% static 'js/registry.js' %}{% static path %}")
    rendered = [template.render(Context({"path": path})) for path in ["css/fonts.css", "js/mumaris.js"]]
    assert found == ["js/registry.js", "css/fonts.css", "js/mumaris.js"]
    assert rendered[0].startswith(original("js/registry.js"))


def test_the_site_uses_it():
    node = engines["django"].from_string("{% load static %}{% static 'js/registry.js' %}").template.nodelist[-1]
    assert isinstance(node, template_static.StaticNode)
