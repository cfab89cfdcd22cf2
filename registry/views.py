"""The practitioner's certificate and share codes, and the public verification pages.

The public pages send no cookie to a visitor who is not logged in (no session, no CSRF token,
the language from `?lang=`) and may be kept by a shared cache for a few seconds; they are
rate-limited per client address and write nothing, except that opening a share code counts.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core.limits import limited
from core.pagination import page_of
from profiles.membership import parse_membership_number

from .certificate import CertificateUnavailable, certificate_pdf
from .codes import format_code, parse_code, qr_code_data_uri
from .forms import ShareCodeForm, VerifySearchForm
from .models import ShareCode
from .public import (
    PublicPage,
    card_by_certificate_code,
    card_by_membership_number,
    looks_like_code,
    public_card,
    public_page_key,
    registration_of,
    share_code_by_code,
)
from .sharing import (
    ShareState,
    create_share_code,
    current_work,
    openings_of,
    record_view,
    revoke_share_code,
    share_code_of,
    share_codes_of,
    share_state,
    timeline,
    work_history,
)
from .validity import is_in_good_standing
from .workflow import current_certificate_of

PUBLIC_LANGUAGES = {code for code, _name in settings.LANGUAGES}
OPENINGS_PAGE_SIZE = 20


def no_registration(request):
    """Where a practitioners-only service sends someone who is not registered."""
    messages.info(request, _("This service is for registered practitioners."))
    return redirect("portal:services")


@login_required
@require_safe
def certificate(request):
    """شهادة التسجيل: the PDF, while the registration is in good standing."""
    registration = registration_of(request.user)
    if registration is None:
        return no_registration(request)
    if not is_in_good_standing(registration.status, registration.valid_until, timezone.localdate()):
        messages.error(request, _("A certificate is issued only while the registration is active."))
        return redirect("portal:services")
    current = current_certificate_of(registration)
    try:
        pdf = certificate_pdf(current, request.LANGUAGE_CODE)
    except CertificateUnavailable:
        return render(request, "503.html", status=503)
    response = HttpResponse(pdf, content_type="application/pdf")
    number = registration.profile.membership_number
    response["Content-Disposition"] = f'attachment; filename="mumaris-certificate-{number}.pdf"'
    return response


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def share_codes(request):
    """مشاركة بيانات التسجيل: the practitioner's codes for employers, and a form for a new one.
    A new code comes back first on the page (`?created=`), with its link and QR code."""
    registration = registration_of(request.user)
    if registration is None:
        return no_registration(request)
    if request.method == "POST":
        form = ShareCodeForm(request.POST)
        if form.is_valid():
            share_code = create_share_code(registration, **form.cleaned_data)
            return redirect(f"{request.path}?created={share_code.pk}#new-code")
    else:
        form = ShareCodeForm()
    now = timezone.now()
    codes = [(share_code, share_state(share_code, now)) for share_code in share_codes_of(registration.pk)]
    created = request.GET.get("created")
    new_code = next((code for code, state in codes if str(code.pk) == created and state == ShareState.ACTIVE), None)
    context = {"form": form, "codes": codes, "states": ShareState, "new_code": new_code}
    if new_code is not None:
        context["new_code_qr"] = qr_code_data_uri(new_code.url)
    return render(request, "registry/share_codes.html", context)


@login_required
@require_safe
def share_code_openings(request, pk):
    """When one of the practitioner's codes was opened, newest first, a page at a time (newer and
    older links, no count: the code keeps its own). Anyone else's code is a 404, as is any code
    for someone with no registration."""
    registration = registration_of(request.user)  # read with the session's user
    share_code = share_code_of(registration, pk) if registration is not None else None
    if share_code is None:
        raise Http404
    openings = page_of(openings_of(share_code), OPENINGS_PAGE_SIZE, request.GET.get("page"))
    context = {
        "share_code": share_code,
        "state": share_state(share_code),
        "states": ShareState,
        "openings": openings,
        "moments": [opening.at for opening in openings],
    }
    return render(request, "registry/share_code_openings.html", context)


@login_required
@require_POST
def share_code_revoke(request, pk):
    share_code = get_object_or_404(ShareCode, pk=pk, registration__profile__user=request.user)
    revoke_share_code(share_code)
    messages.success(request, _("The code is stopped and no longer works."))
    return redirect("registry:share_codes")


def public_language(request):
    language = request.GET.get("lang")
    return language if language in PUBLIC_LANGUAGES else request.LANGUAGE_CODE


def public_page(request, template, context, status=200, keep_as=None, *, shared_cache=True):
    """A public page in the `?lang=` language, with no cookie and a short shared-cache life
    (none with `shared_cache=False`).

    A visitor who is not logged in gets the same bytes as every other for the same card, so a
    page named by `keep_as` is kept in the cache as long as a CDN may keep it (`kept_page`
    serves it); a status change or a new certificate forgets it at once.
    """
    language = public_language(request)
    with translation.override(language):
        content = render_to_string(template, {**context, "public_language": language}, request)
    if keep_as and not request.user.is_authenticated:
        cache.set(public_page_key(*keep_as, language), (content, status), settings.VERIFY_CACHE_SECONDS)
    return public_response(request, content, status, language, shared_cache)


def kept_page(request, *page):
    """The kept page for a visitor who is not logged in, or None."""
    if request.user.is_authenticated:
        return None
    language = public_language(request)
    kept = cache.get(public_page_key(*page, language))
    return public_response(request, *kept, language) if kept else None


def public_response(request, content, status, language, shared_cache=True):
    response = HttpResponse(content, status=status)
    response["Content-Language"] = language
    if not shared_cache:
        response["Cache-Control"] = "private, no-store"
    elif not request.user.is_authenticated:
        patch_cache_control(response, public=True, max_age=settings.VERIFY_CACHE_SECONDS)
    return response


@limited("public-verification")
@require_safe
def verify(request):
    """التحقق من الممارس: search by membership number or certificate code."""
    form = VerifySearchForm(request.GET or None)
    context = {"form": form, "searched": False}
    if not form.is_valid():
        return public_page(request, "registry/verify.html", context)
    typed = form.cleaned_data["q"]
    if looks_like_code(typed):
        address = reverse("registry:verify_code", args=[typed.replace(" ", "")])
        language = request.GET.get("lang")  # a visitor reading in ?lang= goes on reading in it
        return redirect(f"{address}?lang={language}" if language in PUBLIC_LANGUAGES else address)
    number = parse_membership_number(typed)
    if number is None:
        return public_page(request, "registry/verify.html", {**context, "searched": True, "card": None})
    kept = kept_page(request, PublicPage.NUMBER, number)
    if kept:
        return kept
    context.update(searched=True, card=card_by_membership_number(number), checked_at=timezone.now())
    return public_page(request, "registry/verify.html", context, keep_as=(PublicPage.NUMBER, number))


@limited("public-verification")
@require_safe
def verify_code(request, code):
    """Where the QR code lands: the live card for a certificate code, or what a share code shows."""
    code = parse_code(code)
    kept = kept_page(request, PublicPage.CERTIFICATE, code) if code else None
    if kept:
        return kept
    found = card_by_certificate_code(code) if code else None
    if found is not None:
        card, replaced = found
        context = {"card": card, "replaced": replaced, "checked_at": timezone.now(), "checked_code": format_code(code)}
        return public_page(request, "registry/verify_code.html", context, keep_as=(PublicPage.CERTIFICATE, code))
    share_code = share_code_by_code(code) if code else None
    if share_code is None:
        return public_page(request, "registry/verify_code.html", {}, status=404)
    return shared_page(request, share_code)


def shared_page(request, share_code):
    """What an employer sees with a share code: counted, never cached (it may be revoked at once)."""
    state = share_state(share_code)
    context = {"share_state": state, "states": ShareState}
    if state == ShareState.ACTIVE:
        record_view(share_code)
        registration = share_code.registration
        context.update(
            card=public_card(registration),
            share_code=share_code,
            checked_at=timezone.now(),
            checked_code=share_code.display_code,
        )
        if share_code.shares_work_history:
            context["current_work"] = current_work(registration.profile, registration.registered_on)
            context["work_history"] = work_history(registration.profile)
        if share_code.shares_timeline:
            context["timeline"] = timeline(registration)
    # A CDN keeping the page would go on showing the work history after the code is revoked.
    return public_page(request, "registry/verify_code.html", context, shared_cache=False)
