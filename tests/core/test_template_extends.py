"""`{% extends %}` finding the root template's blocks once per compiled template
(core/template_extends.py) renders what Django's tag renders."""

from django.template import Context, Engine
from django.template.loader import get_template
from django.template.loader_tags import BlockNode

from core import template_extends

TEMPLATES = {
    "root.html": "<title>{% block title %}Root{% endblock %}</title>{% if show %}"
    "<main>{% block content %}root content{% endblock %}</main>{% endif %}"
    "<footer>{% block footer %}f{% endblock %}</footer>",
    "middle.html": "{% extends 'root.html' %}{% block content %}[middle {{ block.super }}]"
    "{% block inner %}middle inner{% endblock %}{% endblock %}",
    "page.html": "{% extends 'middle.html' %}{% block title %}Page, not {{ block.super }}{% endblock %}"
    "{% block inner %}page inner, not {{ block.super }}{% endblock %}",
}


def engine(**options):
    loaders = [("django.template.loaders.cached.Loader", [("django.template.loaders.locmem.Loader", TEMPLATES)])]
    return Engine(loaders=loaders, **options)


def test_a_chain_renders_as_with_djangos_tag():
    ours, django = engine(builtins=["core.template_extends"]), engine()
    for name in TEMPLATES:
        for show in (True, False):
            context = {"show": show}
            expected = django.get_template(name).render(Context(context))
            assert ours.get_template(name).render(Context(context)) == expected
            assert ours.get_template(name).render(Context(context)) == expected  # the blocks kept


def test_the_root_blocks_are_found_once(monkeypatch):
    ours = engine(builtins=["core.template_extends"])
    page = ours.get_template("page.html")
    page.render(Context({"show": True}))
    walks = []
    original = type(page.nodelist).get_nodes_by_type
    monkeypatch.setattr(
        type(page.nodelist), "get_nodes_by_type", lambda self, kind: walks.append(kind) or original(self, kind)
    )
    assert page.render(Context({"show": True})).startswith("<title>Page, not Root</title>")
    assert BlockNode not in walks


def test_the_portals_pages_use_it():
    login = get_template("accounts/login.html").template
    assert isinstance(login.nodelist[0], template_extends.ExtendsNode)
