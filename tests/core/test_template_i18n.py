"""`{% translate %}` kept per language (core/template_i18n.py) renders what Django's tag renders."""

import pytest
from django.core.checks.templates import check_templates
from django.template import Context, Engine, engines
from django.templatetags import i18n
from django.utils import translation

from core import template_i18n

DJANGOS = Engine(libraries={"i18n": "django.templatetags.i18n"})
OURS = Engine(libraries={"i18n": "core.template_i18n"})

SOURCES = [
    '{% translate "Log in" %}',
    '{% translate "Log in" %}|{% translate "Log in" %}',
    "{% translate word %}",
    '{% translate "Log in"|upper %}',
    '{% translate "Log in" as label %}<{{ label }}>',
    '{% translate "Log in" noop %}',
    '{% translate "May" context "month name" %}',
    '{% translate "100%% done" %}',
    '{% translate "<b>&</b>" %}',
    '{% autoescape off %}{% translate "<b>&</b>" %}{% endautoescape %}',
    "{% blocktranslate %}Log in{% endblocktranslate %}",
    "{% get_current_language as code %}{{ code }}",
]


@pytest.mark.parametrize("source", SOURCES)
def test_each_form_of_the_tag_renders_as_djangos_in_both_languages(source):
    theirs, ours = DJANGOS.from_string("{% load i18n %}" + source), OURS.from_string("{% load i18n %}" + source)
    for language in ["ar", "en", "ar"]:  # the second Arabic render comes from what was kept
        with translation.override(language):
            context = {"word": "Password"}
            assert ours.render(Context(context)) == theirs.render(Context(context))


def test_a_constant_is_translated_once_for_each_language_and_escaping(monkeypatch):
    template = OURS.from_string('{% load i18n %}{% translate "Log in" %}')
    looked_up = []
    original = i18n.TranslateNode.render
    monkeypatch.setattr(
        i18n.TranslateNode, "render", lambda node, context: looked_up.append(1) or original(node, context)
    )
    with translation.override("ar"):
        arabic = [template.render(Context()) for _ in range(3)]
    with translation.override("en"):
        english = template.render(Context())
    assert arabic == ["تسجيل الدخول"] * 3
    assert english == "Log in"
    assert looked_up == [1, 1]


def test_the_site_uses_it_and_keeps_djangos_other_tags():
    node = engines["django"].from_string('{% load i18n %}{% translate "Log in" %}').template.nodelist[-1]
    assert isinstance(node, template_i18n.TranslateNode)
    assert set(template_i18n.register.tags) >= {"blocktranslate", "get_current_language", "language"}


def test_i18n_and_static_are_the_only_library_names_given_twice():
    # The check's warning is silenced in settings for these names only (core/template_static.py).
    warnings = check_templates(None)
    assert [warning.id for warning in warnings] == ["templates.W003"] * 2
    assert sorted(warning.msg.split(" is used")[0] for warning in warnings) == ["'i18n'", "'static'"]
