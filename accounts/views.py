"""Views of the accounts app: each wires a form to a flow and renders or redirects."""

import logging

from axes.handlers.proxy import AxesProxyHandler
from captcha.models import CaptchaStore
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_otp import login as otp_login

from portal.limits import limited
from portal.redirects import safe_next_url
from portal.signed_links import LinkError, link_failed_page

from .captcha import SpeechUnavailable, spoken_code
from .forms import (
    EnrolmentForm,
    LoginForm,
    PasswordChangeForm,
    PasswordCheckForm,
    ResendVerificationForm,
    SecondFactorForm,
    SetPasswordForm,
    SignupForm,
)
from .landing import landing_url_for
from .middleware import SECOND_FACTOR_PENDING_KEY
from .signup import NationalIdTaken, sign_up
from .two_factor import (
    enrolment_device,
    enrolment_url_for,
    has_second_factor,
    qr_code_svg,
    readable_key,
    replace_recovery_codes,
    turn_off,
)
from .verification import confirm_email, send_verification_email, user_for_verification_key

security_log = logging.getLogger("mumaris.security")


# Emails a visitor can trigger: per client address first, then per email typed.
throttle_email_sending = limited("email-sending-per-address", "email-sending-per-email")


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def login_view(request):
    next_url = safe_next_url(request, "")
    if request.method == "POST":
        form = LoginForm(request, data=request.POST)
        if form.is_valid():
            # The new session row, the old one's deletion, the last log-in time and the lockout
            # log are written in one commit instead of one each.
            with transaction.atomic():
                login(request, form.get_user())  # rotates the session key
                if not form.cleaned_data["remember"]:
                    # The cookie ends with the browser; the absolute limit applies either way.
                    request.session.set_expiry(0)
            user = form.get_user()
            return redirect(enrolment_url_for(user, next_url or landing_url_for(user)))
    else:
        form = LoginForm(request)
    unverified = "unverified" in {error.code for error in form.non_field_errors().as_data()}
    return render(request, "accounts/login.html", {"form": form, "next": next_url, "show_resend": unverified})


@limited("captcha-audio")
@never_cache
@require_http_methods(["GET"])
def captcha_audio(request, key):
    """The captcha's code spoken in the page's language: the image's alternative."""
    store = CaptchaStore.objects.filter(hashkey=key, expiration__gt=timezone.now()).first()
    if store is None:
        # Gone, as the package answers for an expired image, so crawlers drop the address.
        return HttpResponse(status=410)
    try:
        wav = spoken_code(store.challenge, request.LANGUAGE_CODE)
    except SpeechUnavailable:
        return render(request, "503.html", status=503)
    response = HttpResponse(wav, content_type="audio/wav")
    response["Content-Disposition"] = 'inline; filename="code.wav"'
    return response


@require_POST
def logout_view(request):
    logout(request)
    messages.success(request, _("You have logged out."))
    return redirect(settings.LOGOUT_REDIRECT_URL)


@limited("signup-per-address", "signup-per-id-number")
@sensitive_post_parameters("password1", "password2")
@csrf_protect
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def signup_view(request):
    if request.user.is_authenticated:
        return redirect("portal:home")
    if request.method == "POST":
        form = SignupForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                sign_up(
                    national_id=data["national_id"],
                    email=data["email"],
                    full_name_ar=data["full_name_ar"],
                    full_name_en=data["full_name_en"],
                    password=data["password1"],
                    language=get_language(),
                )
            except NationalIdTaken:
                form.add_national_id_taken_error()
            else:
                return redirect("accounts:signup_done")
    else:
        form = SignupForm()
    return render(request, "accounts/signup.html", {"form": form})


@require_safe
def signup_done(request):
    return render(request, "accounts/signup_done.html")


@csrf_protect
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def verify_email(request, key):
    """GET shows a confirm button (mail scanners open links); POST activates the account."""
    try:
        user = user_for_verification_key(key)
    except LinkError as error:
        return link_failed_page(
            request, error, reverse("accounts:resend_verification"), _("Send me a new verification link")
        )
    if request.method == "POST":
        confirm_email(user)
        messages.success(request, _("Your email address is verified. You can log in now."))
        return redirect("accounts:login")
    return render(request, "accounts/verify_email.html", {"verify_user": user})


@throttle_email_sending
@csrf_protect
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def resend_verification(request):
    if request.method == "POST":
        form = ResendVerificationForm(request.POST)
        if form.is_valid():
            user = form.account_awaiting_verification()
            if user is not None:
                send_verification_email(user)
            # The same answer whether or not the account exists.
            messages.success(
                request,
                _("If an account with this email is waiting for verification, we have sent it a new link."),
            )
            return redirect("accounts:login")
    else:
        form = ResendVerificationForm()
    return render(request, "accounts/resend_verification.html", {"form": form})


@login_required
@require_safe
def account(request):
    return render(request, "accounts/account.html", {"second_factor_on": has_second_factor(request.user)})


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's view, logged; the form checks the current password against the per-user limit.
    Django then ends the user's other sessions (the hash changed)."""

    form_class = PasswordChangeForm

    def form_valid(self, form):
        response = super().form_valid(form)
        security_log.info("password changed user=%s", self.request.user.pk)
        return response


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's view, in our words and logged."""

    form_class = SetPasswordForm

    def form_valid(self, form):
        response = super().form_valid(form)
        security_log.info("password reset user=%s", self.user.pk)
        return response


def locked_out(request, original_response=None, credentials=None):
    """Axes' lockout page: says in the visitor's language when they may try again."""
    retry_at = timezone.now() + settings.AXES_COOLOFF_TIME
    context = {"retry_at": retry_at, "minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)}
    return render(request, "accounts/locked_out.html", context, status=429)


@sensitive_post_parameters("code")
@csrf_protect
@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def login_code(request):
    """The code step of التحقق بخطوتين, after the password."""
    next_url = safe_next_url(request, landing_url_for(request.user))
    if request.user.is_verified() or not has_second_factor(request.user):
        request.session.pop(SECOND_FACTOR_PENDING_KEY, None)
        return redirect(next_url)
    if not AxesProxyHandler.is_allowed(request, credentials={"username": request.user.national_id}):
        return locked_out(request)
    if request.method == "POST":
        form = SecondFactorForm(request, request.POST)
        if form.is_valid():
            otp_login(request, form.device)
            request.session.pop(SECOND_FACTOR_PENDING_KEY, None)
            security_log.info("second factor verified user=%s", request.user.pk)
            return redirect(next_url)
    else:
        form = SecondFactorForm(request)
    return render(request, "accounts/login_code.html", {"form": form, "next": next_url})


@sensitive_post_parameters("code")
@csrf_protect
@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def two_factor(request):
    """التحقق بخطوتين: its state, and turning it on (scan, confirm one code, see the recovery codes once)."""
    next_url = safe_next_url(request, reverse("accounts:two_factor"))
    if has_second_factor(request.user):
        return render(request, "accounts/two_factor.html", {"enabled": True, "password_form": PasswordCheckForm(None)})
    device = enrolment_device(request.user)
    form = EnrolmentForm(device, request.POST or None)
    if request.method == "POST" and form.is_valid():
        otp_login(request, device)
        request.session.pop(SECOND_FACTOR_PENDING_KEY, None)
        context = {"recovery_codes": form.recovery_codes, "next": next_url}
        return render(request, "accounts/recovery_codes.html", context)
    context = {
        "enabled": False,
        "form": form,
        "qr_code": qr_code_svg(device),
        "key": readable_key(device),
        "next": next_url,
    }
    return render(request, "accounts/two_factor.html", context)


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
@login_required
@require_POST
def two_factor_change(request):
    """With the password again: new recovery codes, or (not for staff) turning the second factor off."""
    form = PasswordCheckForm(request.user, request.POST)
    action = request.POST.get("action")
    if action == "off" and request.user.is_staff:
        messages.error(request, _("Staff accounts must keep two-step verification on."))
        return redirect("accounts:two_factor")
    if not form.is_valid():
        return render(request, "accounts/two_factor.html", {"enabled": True, "password_form": form}, status=400)
    if action == "off":
        turn_off(request.user)
        messages.success(request, _("Two-step verification is off. Your log-in now asks only for your password."))
        return redirect("accounts:account")
    context = {"recovery_codes": replace_recovery_codes(request.user), "next": reverse("accounts:two_factor")}
    return render(request, "accounts/recovery_codes.html", context)
