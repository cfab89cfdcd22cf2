"""`{% extends %}` as Django's, with the root template's blocks found once per compiled template.

Django's `ExtendsNode` walks the whole node tree of the template at the root of the chain
(base.html: 170 nodes) on every render to find its `{% block %}`s: about 0.1 ms a page, on every
page. A compiled template does not change once the cached loader holds it, so its blocks are
kept with it (weakly: a template the loader lets go takes them along; with DEBUG's uncached
loader every render compiles a new template and finds them afresh, as Django does).
Installed as a template builtin (settings.TEMPLATES), which takes the tag's name over.
"""

import weakref

from django import template
from django.template.base import TextNode
from django.template.loader_tags import BLOCK_CONTEXT_KEY, BlockContext, BlockNode, do_extends
from django.template.loader_tags import ExtendsNode as DjangoExtendsNode

register = template.Library()

# Compiled root template → its blocks by name; None for a template that extends another.
_ROOT_BLOCKS = weakref.WeakKeyDictionary()


def root_blocks(compiled):
    """The blocks of `compiled` if it is the root of its chain (extends nothing), else None."""
    try:
        return _ROOT_BLOCKS[compiled]
    except KeyError:
        pass
    blocks = None
    for node in compiled.nodelist:
        # The ExtendsNode has to be the first non-text node.
        if not isinstance(node, TextNode):
            if not isinstance(node, DjangoExtendsNode):
                blocks = {block.name: block for block in compiled.nodelist.get_nodes_by_type(BlockNode)}
            break
    _ROOT_BLOCKS[compiled] = blocks
    return blocks


class ExtendsNode(DjangoExtendsNode):
    def render(self, context):
        # Django's `ExtendsNode.render`, the root's blocks from `root_blocks`.
        compiled_parent = self.get_parent(context)
        if BLOCK_CONTEXT_KEY not in context.render_context:
            context.render_context[BLOCK_CONTEXT_KEY] = BlockContext()
        block_context = context.render_context[BLOCK_CONTEXT_KEY]
        block_context.add_blocks(self.blocks)
        blocks = root_blocks(compiled_parent)
        if blocks is not None:
            block_context.add_blocks(blocks)
        with context.render_context.push_state(compiled_parent, isolated_context=False):
            return compiled_parent._render(context)


@register.tag("extends")
def extends(parser, token):
    node = do_extends(parser, token)
    return ExtendsNode(node.nodelist, node.parent_name, node.template_dirs)
