"""Rendering helpers that tie hints and errors to their inputs for screen readers."""

from django import template
from django.forms.utils import flatatt

register = template.Library()


@register.simple_tag
def field_widget(field, **extra_attrs):
    """Render the field's widget with aria-describedby pointing at its hint and error."""
    described_by = []
    if field.help_text:
        described_by.append(f"{field.auto_id}_hint")
    if field.errors:
        described_by.append(f"{field.auto_id}_error")
    attrs = dict(extra_attrs)
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    if field.errors:
        attrs["aria-invalid"] = "true"
    return field.as_widget(attrs=attrs)


@register.filter
def input_type(field):
    """The widget's input type ("checkbox", "radio", "file"...), or its class name."""
    widget = field.field.widget
    return getattr(widget, "input_type", None) or type(widget).__name__


@register.filter
def html_attrs(attrs):
    """A widget's attributes as HTML (True: the bare name, False or None: left out).

    What Django's attrs.html loop writes, in one Python call: that loop cost about 70 µs per
    attribute here (`make profile`), a tenth of the sign-up page (10.0 → 8.8 ms).
    """
    return flatatt(attrs)
