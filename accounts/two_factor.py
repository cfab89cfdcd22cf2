"""التحقق بخطوتين: a code from an authenticator app after the password, on django-otp.

A TOTP device (django_otp.plugins.otp_totp) holds the app's secret; ten single-use recovery
codes are a static device (otp_static) whose tokens are stored as keyed hashes, never as the
codes themselves. Staff must have a confirmed device before any admin page opens (their first
set-up is reached through an emailed link, accounts/enrolment_links.py); anyone else may turn it
on and off. The owner is emailed whenever it is turned on or off, reset, or the recovery codes
are replaced. Flows here take plain values; the views wire forms to them.
"""

import functools
import hmac
import logging
import math
from base64 import b32encode
from dataclasses import dataclass

import segno
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.digits import normalize_digits
from core.emails import queue_email
from core.fixed_reads import fixed_read
from core.site import absolute_reverse

from .models import EnrolmentLink

security_log = logging.getLogger("mumaris.security")
RECOVERY_CODE_COUNT = 10
TOTP_DEVICE_NAME = "app"
RECOVERY_DEVICE_NAME = "recovery"


def normalize_code(text):
    """What was typed, as the code itself: ASCII digits, no spaces or hyphens, lower case."""
    return "".join(normalize_digits(text or "").split()).replace("-", "").lower()


def recovery_hash(code):
    """The stored form of a recovery code: a keyed hash that fits django-otp's 16 characters."""
    digest = hmac.new(settings.SECRET_KEY.encode(), f"recovery:{code}".encode(), "sha256").hexdigest()
    return digest[:16]


def has_second_factor(user):
    return bool(_confirmed(user.pk))


def enrolment_device(user, device_id):
    """The unconfirmed app device being set up in one session (its id kept there), or a new one.

    A device made for another session is never returned: whoever noted its key elsewhere (with
    the password alone) cannot have it confirmed here. Confirming deletes the others.
    """
    # Read through the user's own devices, so each comes with its user (no query for its address).
    device = user.totpdevice_set.filter(pk=device_id, confirmed=False).first() if device_id else None
    return device or new_enrolment_device(user)


def new_enrolment_device(user):
    return TOTPDevice.objects.create(user=user, confirmed=False, name=TOTP_DEVICE_NAME)


def second_factor_state(user, device_id):
    """(on, device): whether the user's second factor is on (`has_second_factor`) and, while it is
    off, the device `enrolment_device` would find for `device_id` (None if it would make one). The
    page of the second factor asks both on every view: one query instead of two."""
    found = _confirmed_or_enrolling(user.pk, device_id) if device_id else _confirmed(user.pk)
    device = found[0] if found else None
    if device is not None:
        device.user = user  # the user already read: no query for it
    on = device is not None and device.confirmed
    return on, None if on else device


@fixed_read
def _confirmed(user_id):
    return TOTPDevice.objects.filter(user=user_id, confirmed=True).order_by("pk")[:1]


@fixed_read
def _confirmed_or_enrolling(user_id, device_id):
    wanted = Q(confirmed=True) | Q(pk=device_id, confirmed=False)
    return TOTPDevice.objects.filter(wanted, user=user_id).order_by("-confirmed", "pk")[:1]


def qr_code_svg(device):
    """The otpauth:// address as an inline SVG QR code: drawn here, never fetched from elsewhere."""
    return _qr_code_svg(device.config_url)


# Drawing one takes about 13 ms; a page shown again (a reload, a second tab) reuses it. The
# secret is already in this process's memory while the page is made.
@functools.lru_cache(maxsize=64)
def _qr_code_svg(address):
    # Without a fixed size (a viewBox only), so CSS scales the whole code instead of cropping it.
    return segno.make(address, error="m").svg_inline(scale=4, omitsize=True, title="otpauth")


def readable_key(device):
    """The secret for typing by hand, in groups of four."""
    key = b32encode(device.bin_key).decode()
    return " ".join(key[index : index + 4] for index in range(0, len(key), 4))


def confirm_enrolment(device, code):
    """Confirm the app with one code; returns the new recovery codes, or None if the code is wrong."""
    if not device.verify_token(normalize_code(code)):
        return None
    with transaction.atomic():
        TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        EnrolmentLink.objects.filter(user=device.user).delete()
        codes = _new_recovery_codes(device.user)
        tell_owner(device.user, "on")
    security_log.info("second factor turned on user=%s", device.user_id)
    return codes


def replace_recovery_codes(user):
    """Ten new single-use codes (shown once); the old ones stop working. The owner is told."""
    with transaction.atomic():
        codes = _new_recovery_codes(user)
        tell_owner(user, "codes")
    security_log.info("recovery codes replaced user=%s", user.pk)
    return codes


def _new_recovery_codes(user):
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=recovery_hash(code)) for code in codes)
    return [f"{code[:4]}-{code[4:]}" for code in codes]


@dataclass(frozen=True)
class Wait:
    """django-otp refuses a device's codes for a while after wrong ones (1 s, then doubling):
    how many wrong codes in a row, and how many whole seconds are left."""

    wrong_codes: int
    seconds: int


def wait_before_checking(device, now=None):
    """The wait the device's own throttle imposes now, or None when it would check a code.

    The throttle's state is the device's row (`throttling_failure_count`,
    `throttling_failure_timestamp`), so it holds across workers and is reset only by a right code.
    """
    allowed, details = device.verify_is_allowed()
    if allowed or "locked_until" not in (details or {}):
        return None
    left = (details["locked_until"] - (now or timezone.now())).total_seconds()
    return Wait(wrong_codes=details["failure_count"], seconds=max(1, math.ceil(left)))


def is_app_code(code):
    """Six ASCII digits: the app's code; anything else is taken for a recovery code."""
    return code.isascii() and code.isdigit() and len(code) == 6


def device_for_code(user, typed):
    """The confirmed device a typed code is meant for (the app, or the recovery codes), or None.

    Each device keeps its own throttle: wrong app codes make only the app's codes wait, so a
    recovery code (the way out when the app is lost) is still checked, under its own throttle.
    """
    model = TOTPDevice if is_app_code(normalize_code(typed)) else StaticDevice
    return model.objects.filter(user=user, confirmed=True).first()


def verify_second_factor(device, typed):
    """Whether the typed code (the app's 6 digits, or a recovery code) is right for `device`
    (from `device_for_code`, not waiting). A wrong one counts on the device's throttle.

    A code works once: the app's codes through django-otp's last-used step, a recovery code by
    being deleted. Using a recovery code emails the owner.
    """
    code = normalize_code(typed)
    if isinstance(device, TOTPDevice):
        return device.verify_token(code)
    if not device.verify_token(recovery_hash(code)):
        return False
    user = device.user
    security_log.warning("recovery code used user=%s", user.pk)
    context = {"user": user, "remaining": device.token_set.count(), "link": absolute_reverse("accounts:two_factor")}
    queue_email("accounts/email/recovery_code_used", context, user.email, user.preferred_language)
    return True


def turn_off(user, by=None):
    """Delete every device of the user's (by them, or by a superuser resetting a staff member's)."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        tell_owner(user, "off" if by is None or by.pk == user.pk else "reset")
    security_log.warning("second factor turned off user=%s by=%s", user.pk, getattr(by, "pk", user.pk))


def tell_owner(user, change):
    """Email the owner that their second factor changed: "on", "off", "reset" (by a superuser) or
    "codes" (new recovery codes), so that a change they did not make does not go unnoticed."""
    link = absolute_reverse("accounts:login" if change == "reset" else "accounts:two_factor")
    context = {"user": user, "change": change, "link": link}
    queue_email("accounts/email/second_factor_changed", context, user.email, user.preferred_language)
