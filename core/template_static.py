"""Django's `static` template library, with `{% static "a constant" %}`'s address found once.

The storage finds a file's hashed name in its manifest and builds the address on every call:
about 18 µs a tag (production settings), on pages rendered many times a second (the public
verification pages, the share page). A constant path's address does not change while the process
lives, so each compiled tag keeps it, as `core.template_i18n` keeps a constant translation, for as
long as the template loader keeps the compiled template. In production the manifest is read once
at start-up (a new one needs a restart anyway); with DEBUG the storage does not hash names, so an
address is the path under STATIC_URL and never changes. A path from a variable is looked up on
every render, as Django does.
Installed in place of Django's library of that name (settings.TEMPLATES "libraries").
"""

from django import template
from django.templatetags import static

register = template.Library()
register.tags.update(static.register.tags)
register.filters.update(static.register.filters)


class StaticNode(static.StaticNode):
    def __init__(self, varname=None, path=None):
        super().__init__(varname, path)
        # A quoted path is parsed to its text; a variable stays a `Variable`.
        self.constant = isinstance(self.path.var, str) and not self.path.filters
        self.address = None

    def url(self, context):
        if not self.constant:
            return super().url(context)
        if self.address is None:
            self.address = super().url(context)
        return self.address


@register.tag("static")
def do_static(parser, token):
    return StaticNode.handle_token(parser, token)
