"""`{% url %}` as Django's, with an address that takes no arguments reversed once a process.

Django's tag reverses on every render: about 0.2 million instructions a tag
(`python -m bench.instructions`), and the log-in and sign-up pages link to two such addresses
each. An address named by a constant, without arguments, depends only on the name, the
namespace of the current application (which `reverse` may use) and the script prefix, and none
of those changes what it reverses to while the process runs, so it is kept for each. Any other
use (arguments, a name in a variable, `as`) is Django's. Installed as a template builtin
(settings.TEMPLATES), which takes the tag's name over.
"""

import functools

from django import template
from django.template.defaulttags import URLNode
from django.template.defaulttags import url as django_url
from django.urls import get_script_prefix, reverse
from django.utils.html import conditional_escape

register = template.Library()


@functools.cache
def reversed_path(view_name, current_app, script_prefix):
    return reverse(view_name, current_app=current_app)


class ConstantURLNode(URLNode):
    def render(self, context):
        # The current application as Django's tag finds it.
        request = getattr(context, "request", None)
        try:
            current_app = request.current_app
        except AttributeError:
            try:
                current_app = request.resolver_match.namespace
            except AttributeError:
                current_app = None
        path = reversed_path(self.view_name.var, current_app, get_script_prefix())
        return conditional_escape(path) if context.autoescape else path


@register.tag("url")
def url(parser, token):
    node = django_url(parser, token)
    name_is_constant = not node.view_name.filters and isinstance(node.view_name.var, str)
    if name_is_constant and not (node.args or node.kwargs or node.asvar):
        return ConstantURLNode(node.view_name, node.args, node.kwargs, node.asvar)
    return node
