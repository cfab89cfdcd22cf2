"""Django's `i18n` template library, with `{% translate "a constant" %}` kept per language.

A page has twenty or so `{% translate %}` tags of constant text (base.html alone a dozen), and
each looked the message up and escaped it again on every render: about 35 thousand
instructions a tag (`python -m bench.instructions`). A constant's output depends only on the
language and on whether the template escapes, so each compiled tag keeps it for each (as
`core.template_extends` keeps a template's blocks): with the cached loader for the life of the
process, with DEBUG's uncached loader for one render, so an edited catalogue still shows there.
A variable, a filter, `as`, `noop` or `context` is translated on every render, as Django does.
Installed in place of Django's library of that name (settings.TEMPLATES "libraries").
"""

from django import template
from django.template.base import Variable
from django.templatetags import i18n
from django.utils import translation

register = template.Library()
register.tags.update(i18n.register.tags)
register.filters.update(i18n.register.filters)


class TranslateNode(i18n.TranslateNode):
    def __init__(self, filter_expression, noop, asvar=None, message_context=None):
        super().__init__(filter_expression, noop, asvar, message_context)
        variable = self.filter_expression.var
        self.constant = (
            isinstance(variable, Variable)
            and variable.lookups is None  # a literal
            and not self.filter_expression.filters
            and not (noop or asvar or message_context)
        )
        self.rendered = {}

    def render(self, context):
        if not self.constant:
            return super().render(context)
        key = (translation.get_language(), context.autoescape)
        try:
            return self.rendered[key]
        except KeyError:
            self.rendered[key] = super().render(context)
            return self.rendered[key]


@register.tag("translate")
@register.tag("trans")
def do_translate(parser, token):
    node = i18n.do_translate(parser, token)
    return TranslateNode(node.filter_expression, node.noop, node.asvar, node.message_context)
