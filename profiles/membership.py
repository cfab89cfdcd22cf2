"""Membership numbers: stored as 10 digits, shown with hyphens as on the card (26-0000-0001)."""

from core.digits import digits_only

MEMBERSHIP_NUMBER_LENGTH = 10


def make_membership_number(year, serial):
    """The number for the `serial`-th practitioner, prefixed with the two-digit year of approval."""
    return f"{year % 100:02d}{serial:08d}"


def format_membership_number(number):
    """`2600000001` → `26-0000-0001`."""
    if len(number) != MEMBERSHIP_NUMBER_LENGTH:
        return number
    return f"{number[:2]}-{number[2:6]}-{number[6:]}"


def parse_membership_number(text):
    """What a person typed (hyphens, spaces, Arabic-Indic digits) → the stored digits, or None."""
    digits = digits_only(text or "")
    if len(digits) != MEMBERSHIP_NUMBER_LENGTH:
        return None
    return digits
