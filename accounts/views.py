"""Views of the accounts app: each wires a form to a flow and renders or redirects."""

import logging

from axes.handlers.proxy import AxesProxyHandler
from captcha.models import CaptchaStore
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
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

from core.limits import limited
from core.redirects import safe_next_url
from core.signed_links import LinkError, link_failed_page

from . import login_stages
from .captcha import SpeechUnavailable, spoken_code
from .email_confirmation import confirm_email, send_verification_email, user_for_verification_key
from .enrolment_links import user_for_enrolment_link
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
from .login_stages import Stage
from .signup import NationalIdTaken, sign_up
from .two_factor import (
    has_second_factor,
    new_enrolment_device,
    qr_code_svg,
    readable_key,
    replace_recovery_codes,
    second_factor_state,
    turn_off,
)

security_log = logging.getLogger("mumaris.security")
STAGE_VIEWS = {Stage.CODE: "accounts:login_code", Stage.ENROL: "accounts:login_enrolment"}


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
            user = form.get_user()
            next_url = next_url or landing_url_for(user)
            stage = login_stages.start(request, user, remember=form.cleaned_data["remember"], next_url=next_url)
            return redirect(STAGE_VIEWS[stage] if stage else next_url)
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
def email_confirmation(request, key):
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
    return render(request, "accounts/confirm_email.html", {"verify_user": user})


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


def stage_expired(request):
    messages.warning(request, _("Your log-in was not finished in time. Log in again."))
    return redirect("accounts:login")


@sensitive_post_parameters("code")
@csrf_protect
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def login_code(request):
    """The code step of التحقق بخطوتين, after the password: the person is logged in once it is accepted."""
    pending = login_stages.pending_login(request, Stage.CODE)
    if pending is None:
        return stage_expired(request)
    # django-axes counts the wrong codes with the wrong passwords, by the account's ID number.
    if not AxesProxyHandler.is_allowed(request, credentials={"username": pending.user.national_id}):
        return locked_out(request)
    form = SecondFactorForm(request, pending.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        login_stages.complete(request, pending, form.device)
        security_log.info("second factor verified user=%s", pending.user.pk)
        return redirect(pending.next_url)
    return render(request, "accounts/login_code.html", {"form": form})


def set_up_context(form, device):
    return {"form": form, "qr_code": qr_code_svg(device), "key": readable_key(device)}


@sensitive_post_parameters("code")
@csrf_protect
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def login_enrolment(request):
    """A staff member's first log-in: a link is emailed to them; once it is opened, the set-up.
    The person is logged in when the app's first code is accepted."""
    pending = login_stages.pending_login(request, Stage.ENROL)
    if pending is None:
        return stage_expired(request)
    if not pending.link_used:
        return render(request, "accounts/enrolment_link_sent.html")
    device = login_stages.session_enrolment_device(request, pending.user)
    form = EnrolmentForm(device, request.POST or None)
    if request.method == "POST" and form.is_valid():
        login_stages.complete(request, pending, device)
        return render(
            request, "accounts/recovery_codes.html", {"recovery_codes": form.recovery_codes, "next": pending.next_url}
        )
    return render(request, "accounts/login_enrolment.html", set_up_context(form, device))


@csrf_protect
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def enrolment_link(request, key):
    """GET shows a button (mail scanners open links); POST continues to the set-up here, after
    the password if it has not been typed in this browser."""
    try:
        user_for_enrolment_link(key)
    except LinkError as error:
        return link_failed_page(request, error, reverse("accounts:login"), _("Log in to get a new link"))
    if request.method == "POST":
        if login_stages.use_link(request, key):
            return redirect("accounts:login_enrolment")
        login_stages.remember_opened_link(request, key)
        messages.info(request, _("Log in here to continue setting up two-step verification."))
        return redirect("accounts:login")
    return render(request, "accounts/enrolment_link.html")


@sensitive_post_parameters("code")
@csrf_protect
@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def two_factor(request):
    """التحقق بخطوتين: its state, and turning it on (scan, confirm one code, see the recovery codes once)."""
    next_url = safe_next_url(request, reverse("accounts:two_factor"))
    on, device = second_factor_state(request.user, request.session.get(login_stages.ENROLMENT_DEVICE_KEY))
    if on:
        return render(request, "accounts/two_factor.html", {"enabled": True, "password_form": PasswordCheckForm(None)})
    if request.user.is_staff:
        # Staff set it up at log-in, through the link emailed to them, never on the password alone.
        return render(request, "accounts/two_factor.html", {"enabled": False})
    device = login_stages.keep_enrolment_device(request, device or new_enrolment_device(request.user))
    form = EnrolmentForm(device, request.POST or None)
    if request.method == "POST" and form.is_valid():
        otp_login(request, device)
        request.session.pop(login_stages.ENROLMENT_DEVICE_KEY, None)
        context = {"recovery_codes": form.recovery_codes, "next": next_url}
        return render(request, "accounts/recovery_codes.html", context)
    return render(
        request, "accounts/two_factor.html", {"enabled": False, "next": next_url, **set_up_context(form, device)}
    )


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
