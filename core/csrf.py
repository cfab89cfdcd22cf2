"""A page's CSRF token, as Django's `get_token` makes it, from one read of the system's random source.

Django draws each of the token's characters by `secrets.choice`: 32 reads of `os.urandom` for a
visitor's new secret and 32 more for the mask every page carries, about 0.8 million
instructions a page (`python -m bench.instructions`), half of a bare view's whole request. Here
each string is one `os.urandom` read mapped onto the same 62 characters by `bytes.translate`,
bytes at or above 248 (the largest multiple of 62 a byte holds) dropped, so every character is
as likely as in Django's. The token is Django's in every other way: the secret in
`request.META["CSRF_COOKIE"]` (so `CsrfViewMiddleware` sets the cookie and `Vary: Cookie` as
usual), the mask added as `_mask_cipher_secret` adds it, checked by Django's middleware.
"""

import os
import string

from django.middleware.csrf import CSRF_SECRET_LENGTH
from django.utils.functional import SimpleLazyObject

# Django's CSRF_ALLOWED_CHARS, in its order: the mask is added by index into it.
ALPHABET = string.ascii_letters + string.digits
UNBIASED_LIMIT = 256 - 256 % len(ALPHABET)
BYTE_TO_CHARACTER = bytes(ord(ALPHABET[byte % len(ALPHABET)]) if byte < UNBIASED_LIMIT else 0 for byte in range(256))
BIASED_BYTES = bytes(range(UNBIASED_LIMIT, 256))
INDEX = {character: index for index, character in enumerate(ALPHABET)}


def random_string(length=CSRF_SECRET_LENGTH):
    """`length` characters of ALPHABET, each equally likely (Django's `_get_new_csrf_string`)."""
    drawn = b""
    while len(drawn) < length:  # 8 spare bytes: a second read happens about once in 10^7
        drawn += os.urandom(length + 8).translate(BYTE_TO_CHARACTER, BIASED_BYTES)
    return drawn[:length].decode("ascii")


def masked(secret):
    """The token a form carries: a fresh mask, then the secret added to it character by
    character (Django's `_mask_cipher_secret`, which its middleware undoes)."""
    mask = random_string()
    return mask + "".join([ALPHABET[(INDEX[s] + INDEX[m]) % len(ALPHABET)] for s, m in zip(secret, mask, strict=True)])


def get_token(request):
    """Django's `get_token`: the visitor's secret (a new one if the request brought none) masked."""
    secret = request.META.get("CSRF_COOKIE")
    if secret is None:
        secret = request.META["CSRF_COOKIE"] = random_string()
    # Send the cookie with the response, as Django does whenever the token is used.
    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
    return masked(secret)


def csrf(request):
    """Context processor: `csrf_token` from `get_token` above, in place of Django's built-in one
    (a later processor's value wins); made only if the page uses it."""
    return {"csrf_token": SimpleLazyObject(lambda: get_token(request))}
