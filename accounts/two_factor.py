"""التحقق بخطوتين: a code from an authenticator app after the password, on django-otp.

A TOTP device (django_otp.plugins.otp_totp) holds the app's secret; ten single-use recovery
codes are a static device (otp_static) whose tokens are stored as keyed hashes, never as the
codes themselves. Staff must have a confirmed device before any admin page opens; anyone else
may turn it on and off. Flows here take plain values; the views wire forms to them.
"""

import functools
import hmac
import logging
from base64 import b32encode

import segno
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils.http import urlencode
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.digits import normalize_digits
from portal.emails import queue_email
from portal.site import absolute_reverse

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
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def enrolment_url_for(user, next_url):
    """Where a log-in goes next: staff without a second factor enrol first (the admin needs it)."""
    if user.is_staff and not has_second_factor(user):
        return f"{reverse('accounts:two_factor')}?{urlencode({'next': next_url})}"
    return next_url


def enrolment_device(user):
    """The unconfirmed app device being set up (one per user), made on first use."""
    # Not get_or_create: two tabs opening the page at once may each make one (make bench did),
    # and the oldest is then the one shown; confirming deletes the others.
    existing = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return existing or TOTPDevice.objects.create(user=user, confirmed=False, name=TOTP_DEVICE_NAME)


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
        codes = replace_recovery_codes(device.user)
    security_log.info("second factor turned on user=%s", device.user_id)
    return codes


def replace_recovery_codes(user):
    """Ten new single-use codes (shown once); the old ones stop working."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=recovery_hash(code)) for code in codes)
    return [f"{code[:4]}-{code[4:]}" for code in codes]


def is_waiting_after_wrong_codes(user):
    """django-otp refuses codes for a moment after wrong ones (1 s, doubling): say so, rather
    than call a right code wrong."""
    devices = [*TOTPDevice.objects.filter(user=user), *StaticDevice.objects.filter(user=user)]
    return any(not device.verify_is_allowed()[0] for device in devices)


def verify_second_factor(user, typed):
    """The device that accepts the typed code (the app's 6 digits, or a recovery code), or None.

    A code works once: the app's codes through django-otp's last-used step, a recovery code by
    being deleted. Using a recovery code emails the owner.
    """
    code = normalize_code(typed)
    if code.isdigit() and len(code) == 6:
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        return device if device is not None and device.verify_token(code) else None
    device = StaticDevice.objects.filter(user=user, confirmed=True).first()
    if device is None or not device.verify_token(recovery_hash(code)):
        return None
    security_log.warning("recovery code used user=%s", user.pk)
    context = {"user": user, "remaining": device.token_set.count(), "link": absolute_reverse("accounts:two_factor")}
    queue_email("accounts/email/recovery_code_used", context, user.email, user.preferred_language)
    return device


def turn_off(user, by=None):
    """Delete every device of the user's (by them, or by a superuser resetting a staff member's)."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
    security_log.warning("second factor turned off user=%s by=%s", user.pk, getattr(by, "pk", user.pk))
