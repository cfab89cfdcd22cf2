"""Saudi national ID and iqama numbers: 10 digits, 1 for citizens, 2 for residents, Luhn check."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

CITIZEN_PREFIX = "1"
RESIDENT_PREFIX = "2"

ERROR_MESSAGES = {
    "length": _("The ID number must be exactly 10 digits."),
    "prefix": _("The ID number must start with 1 (national ID) or 2 (iqama)."),
    "checksum": _("This ID number is not valid. Check the digits and type it again."),
}


def luhn_sum(digits):
    """The Luhn sum: every second digit from the right doubled (less 9 above 9), all added."""
    total = 0
    for position, character in enumerate(reversed(digits)):
        digit = int(character)
        if position % 2 == 1:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return total


def luhn_is_valid(digits):
    """True when the digit string passes the Luhn check (the last digit is the check digit)."""
    return luhn_sum(digits) % 10 == 0


def luhn_check_digit(digits):
    """The digit that makes `digits` + digit pass the Luhn check."""
    return str(-luhn_sum(digits + "0") % 10)


def validate_national_id(value):
    """Raise ValidationError (code length, prefix or checksum) unless `value` is a valid ID."""
    if len(value) != 10 or not value.isascii() or not value.isdigit():
        raise ValidationError(ERROR_MESSAGES["length"], code="length")
    if value[0] not in (CITIZEN_PREFIX, RESIDENT_PREFIX):
        raise ValidationError(ERROR_MESSAGES["prefix"], code="prefix")
    if not luhn_is_valid(value):
        raise ValidationError(ERROR_MESSAGES["checksum"], code="checksum")


def is_resident_id(value):
    return value.startswith(RESIDENT_PREFIX)
