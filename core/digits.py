"""Normalisation of the digits people type into number fields.

Saudi keyboards produce Arabic-Indic digits (٠١٢٣٤٥٦٧٨٩) and Persian keyboards Eastern
Arabic-Indic ones (۰۱۲۳۴۵۶۷۸۹); both mean the same numbers as 0-9.
"""

ARABIC_INDIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"
PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"
_TO_ASCII = str.maketrans(ARABIC_INDIC_DIGITS + PERSIAN_DIGITS, "0123456789" * 2)


def has_other_digits(text):
    """Whether `text` holds digits of another script (𝟘𝟙𝟚, ០១២, ...): Python's int(), Decimal()
    and strptime read every Unicode decimal digit, so a number field must refuse them itself."""
    return any(character.isdecimal() and not character.isascii() for character in normalize_digits(text))


def normalize_digits(text):
    """Return `text` with Arabic-Indic and Persian digits replaced by ASCII digits."""
    return text.translate(_TO_ASCII)


def normalized_search_term(text):
    """A staff search: Arabic-Indic digits to ASCII, and a number typed with hyphens or spaces
    (a membership number as on the card) to its bare digits."""
    text = normalize_digits(text).strip()
    compact = text.replace("-", "").replace(" ", "")
    return compact if compact.isdigit() else text


def digits_only(text):
    """Keep only the digits of `text` (after normalising them): drops hyphens and spaces."""
    return "".join(character for character in normalize_digits(text) if character in "0123456789")
