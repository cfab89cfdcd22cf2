"""Form fields shared by the apps."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .digits import normalize_digits

# Characters that reorder the text around them (embeddings, overrides, isolates and marks). In
# a name they can make it read differently in someone else's inbox or on a reviewer's screen.
BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def reject_bidi_controls(value):
    if any(character in BIDI_CONTROLS for character in value):
        raise ValidationError(
            _("Remove the invisible text-direction characters from this field (they were probably pasted)."),
            code="bidi_control",
        )


class DigitsInput(forms.TextInput):
    """A number-like text input: left-to-right, numeric keyboard on phones."""

    def __init__(self, attrs=None):
        super().__init__({"dir": "ltr", "inputmode": "numeric", "autocomplete": "off", **(attrs or {})})


class NormalizedDigitsField(forms.CharField):
    """A CharField that accepts Arabic-Indic and Persian digits as ASCII digits."""

    widget = DigitsInput

    def to_python(self, value):
        value = super().to_python(value)
        return normalize_digits(value).strip()
