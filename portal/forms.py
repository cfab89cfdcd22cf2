"""Form fields shared by the apps."""

from django import forms

from .digits import normalize_digits


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
