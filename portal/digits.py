"""Normalisation of the digits people type into number fields.

Saudi keyboards produce Arabic-Indic digits (٠١٢٣٤٥٦٧٨٩) and Persian keyboards Eastern
Arabic-Indic ones (۰۱۲۳۴۵۶۷۸۹); both mean the same numbers as 0-9.
"""

ARABIC_INDIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"
PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"
_TO_ASCII = str.maketrans(ARABIC_INDIC_DIGITS + PERSIAN_DIGITS, "0123456789" * 2)


def normalize_digits(text):
    """Return `text` with Arabic-Indic and Persian digits replaced by ASCII digits."""
    return text.translate(_TO_ASCII)


def digits_only(text):
    """Keep only the digits of `text` (after normalising them): drops hyphens and spaces."""
    return "".join(character for character in normalize_digits(text) if character in "0123456789")
