"""The practitioner's certificate and share codes, and the public verification pages.

The public pages send no cookie to a visitor who is not logged in (no session, no CSRF token,
the language from `?lang=`) and may be kept by a shared cache for a few seconds; they are
rate-limited per client address and write nothing, except that opening a share code counts.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_ratelimit.decorators import ratelimit

from .certificate import CertificateUnavailable, certificate_pdf
from .forms import ShareCodeForm, VerifySearchForm
from .models import ShareCode
from .public import find_code, looks_like_code, public_card, registration_by_membership_number
from .sharing import (
    ShareState,
    create_share_code,
    record_view,
    revoke_share_code,
    share_codes_of,
    share_state,
    timeline,
    work_history,
)
from .validity import is_in_good_standing

PUBLIC_LANGUAGES = {code for code, _name in settings.LANGUAGES}


def own_registration(request):
    """The logged-in practitioner's registration, or None (applicants have none yet)."""
    profile = getattr(request.user, "practitioner_profile", None)
    return getattr(profile, "registration", None) if profile is not None else None


def no_registration(request):
    messages.info(request, _("This service is for registered practitioners."))
    return redirect("portal:services")


@login_required
@require_safe
def certificate(request):
    """شهادة التسجيل: the PDF, while the registration is in good standing."""
    registration = own_registration(request)
    if registration is None:
        return no_registration(request)
    if not is_in_good_standing(registration.status, registration.valid_until, timezone.localdate()):
        messages.error(request, _("A certificate is issued only while the registration is active."))
        return redirect("portal:services")
    current = registration.certificates.select_related("registration__profile__user").get(replaced_at__isnull=True)
    try:
        pdf = certificate_pdf(current, request.LANGUAGE_CODE)
    except CertificateUnavailable:
        return render(request, "503.html", status=503)
    response = HttpResponse(pdf, content_type="application/pdf")
    number = registration.profile.membership_number
    response["Content-Disposition"] = f'attachment; filename="mumaris-certificate-{number}.pdf"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def share_codes(request):
    """مشاركة بيانات التسجيل: the practitioner's codes for employers, and a form for a new one."""
    registration = own_registration(request)
    if registration is None:
        return no_registration(request)
    if request.method == "POST":
        form = ShareCodeForm(request.POST)
        if form.is_valid():
            share_code = create_share_code(registration, **form.cleaned_data)
            messages.success(request, _("Your share code is ready. Give it to the employer."))
            return redirect(f"{request.path}#code-{share_code.pk}")
    else:
        form = ShareCodeForm()
    now = timezone.now()
    codes = [(share_code, share_state(share_code, now)) for share_code in share_codes_of(registration)]
    return render(request, "register/share_codes.html", {"form": form, "codes": codes, "states": ShareState})


@login_required
@require_POST
def share_code_revoke(request, pk):
    share_code = get_object_or_404(ShareCode, pk=pk, registration__profile__user=request.user)
    revoke_share_code(share_code)
    messages.success(request, _("The code no longer works."))
    return redirect("register:share_codes")


def public_page(request, template, context, status=200):
    """Render a public page in the `?lang=` language, with no cookie and a short shared-cache life."""
    language = request.GET.get("lang")
    if language not in PUBLIC_LANGUAGES:
        language = request.LANGUAGE_CODE
    with translation.override(language):
        response = render(request, template, {**context, "public_language": language}, status=status)
    response["Content-Language"] = language
    if not request.user.is_authenticated:
        patch_cache_control(response, public=True, max_age=settings.VERIFY_CACHE_SECONDS)
    return response


def public_rate(group, request):
    return settings.VERIFY_RATE


@ratelimit(key="ip", rate=public_rate, block=True)
@require_safe
def verify(request):
    """التحقق من الممارس: search by membership number or certificate code."""
    form = VerifySearchForm(request.GET or None)
    context = {"form": form, "searched": False}
    if form.is_valid():
        typed = form.cleaned_data["q"]
        if looks_like_code(typed):
            return redirect("register:verify_code", typed.replace(" ", ""))
        registration = registration_by_membership_number(typed)
        context.update(searched=True, card=public_card(registration) if registration else None)
    return public_page(request, "register/verify.html", context)


@ratelimit(key="ip", rate=public_rate, block=True)
@require_safe
def verify_code(request, code):
    """Where the QR code lands: the live card for a certificate code, or what a share code shows."""
    certificate, share_code = find_code(code)
    context = {"code": code}
    if certificate is not None:
        context.update(card=public_card(certificate.registration), replaced=certificate.replaced_at is not None)
    elif share_code is not None:
        state = share_state(share_code)
        context.update(share_state=state, states=ShareState)
        if state == ShareState.ACTIVE:
            record_view(share_code)
            registration = share_code.registration
            context.update(card=public_card(registration), share_code=share_code)
            if share_code.shares_work_history:
                context["work_history"] = work_history(registration.profile)
            if share_code.shares_timeline:
                context["timeline"] = timeline(registration)
    status = 200 if context.get("card") or context.get("share_state") else 404
    return public_page(request, "register/verify_code.html", context, status=status)
