"""Form fields shared by the apps."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .digits import has_other_digits, normalize_digits

# Characters that reorder the text around them (embeddings, overrides, isolates and marks). In
# a name they can make it read differently in someone else's inbox or on a reviewer's screen.
BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def reject_bidi_controls(value):
    if any(character in BIDI_CONTROLS for character in value):
        raise ValidationError(
            _("Remove the invisible text-direction characters from this field (they were probably pasted)."),
            code="bidi_control",
        )


# Letters that are drawn as blank space (Hangul fillers, the blank Braille pattern).
BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")


def reject_invisible_only(value):
    """A name of zero-width characters (U+200B and kin) only looks empty on every screen."""
    if value and not any(
        character.isprintable() and not character.isspace() and character not in BLANK_LETTERS for character in value
    ):
        raise ValidationError(
            _("Write this field in visible letters: it holds only invisible characters."), code="invisible"
        )


class ReadsLocalDigitsMixin:
    """A number or date field that reads Arabic-Indic and Persian digits as 0-9 and refuses every
    other script's digits with the field's own "invalid" message."""

    def to_python(self, value):
        if isinstance(value, str):
            if has_other_digits(value):
                raise ValidationError(self.error_messages["invalid"], code="invalid")
            value = normalize_digits(value)
        return super().to_python(value)


class DecimalField(ReadsLocalDigitsMixin, forms.DecimalField):
    pass


class IntegerField(ReadsLocalDigitsMixin, forms.IntegerField):
    pass


class DateField(ReadsLocalDigitsMixin, forms.DateField):
    pass


class DigitsInput(forms.TextInput):
    """A number-like text input: left-to-right, numeric keyboard on phones."""

    def __init__(self, attrs=None):
        super().__init__({"dir": "ltr", "inputmode": "numeric", "autocomplete": "off", **(attrs or {})})


class NormalizedDigitsField(forms.CharField):
    """A CharField that accepts Arabic-Indic and Persian digits as ASCII digits, and no others."""

    widget = DigitsInput
    default_error_messages = {"other_digits": _("Type the digits 0-9 or ٠-٩.")}

    def to_python(self, value):
        value = super().to_python(value)
        if has_other_digits(value):
            raise ValidationError(self.error_messages["other_digits"], code="other_digits")
        return normalize_digits(value).strip()
