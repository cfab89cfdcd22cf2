"""Verification and share codes: 16 characters of Crockford's base 32, that is 80 random bits.

Shown in groups of four (ABCD-EFGH-JKMN-PQRS). What a person types is forgiven: case, spaces,
hyphens, and the letters O, I and L read as the digits they resemble.
"""

import secrets

import segno

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 16
_CONFUSABLES = str.maketrans({"O": "0", "I": "1", "L": "1"})


def new_code():
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def format_code(code):
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def parse_code(text):
    """The stored form of a typed code, or None when it cannot be one."""
    code = "".join((text or "").split()).replace("-", "").upper().translate(_CONFUSABLES)
    if len(code) != CODE_LENGTH or any(character not in ALPHABET for character in code):
        return None
    return code


def qr_code_data_uri(address):
    """A QR code of `address` as an SVG `data:` address (the certificate prints one, the share page
    shows one): medium error correction, which survives a smudged print or a cracked screen."""
    return segno.make(address, error="m").svg_data_uri(border=0)
