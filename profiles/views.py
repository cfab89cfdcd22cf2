"""The electronic services and the update-member-data steps, as the seed describes them.

1. services → 2. the data (إنهاء التحديث; a practitioner is not asked their membership number)
→ 3. old → new summary (إكمال الطلب) → 4. the request with its number and status.
Between steps the chosen profile and the proposed changes are kept in the session.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms.models import model_to_dict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core.limits import limited
from core.redirects import safe_next_url
from core.signed_links import LinkError, link_failed_page

from .data_review import can_postpone, confirm_data, postpone_review, remaining_postponements
from .email_change import EmailTaken, confirm_email_change, request_for_email_change_key
from .forms import UPDATABLE_FIELDS, MemberDataForm, MembershipNumberForm, change_rows
from .middleware import REVIEW_DUE_KEY, data_review_exempt
from .models import DataUpdateRequest, PractitionerProfile
from .service_levels import request_forecast
from .workflow import PendingRequestExists, create_update_request, pending_request_of

PROFILE_KEY = "profiles.update.profile"
CHANGES_KEY = "profiles.update.changes"
VERSION_KEY = "profiles.update.version"


def refuse_if_pending(request, profile):
    """Redirect to the pending request when there is one (one pending request at a time)."""
    pending = pending_request_of(profile)
    if pending is None:
        return None
    messages.warning(request, _("You already have a data update request under review. Wait for its decision."))
    return redirect("profiles:request_detail", pending.number)


@data_review_exempt
@login_required
@limited("membership-lookup")
@require_http_methods(["GET", "HEAD", "POST"])
def update_lookup(request):
    """A practitioner is not asked their own membership number: the update starts with their data.
    The form remains for anyone else, who gets the answer of a number that does not exist."""
    own_profile = getattr(request.user, "practitioner_profile", None)
    if request.method != "POST" and own_profile is not None and own_profile.membership_number:
        return start_update(request, own_profile)
    if request.method == "POST":
        form = MembershipNumberForm(request.POST, user=request.user)
        if form.is_valid():
            return start_update(request, form.profile)
    else:
        form = MembershipNumberForm(user=request.user)
    return render(request, "profiles/update_lookup.html", {"form": form})


def start_update(request, profile):
    """Step 1 with `profile`, unless a request of theirs is already pending."""
    refusal = refuse_if_pending(request, profile)
    if refusal:
        return refusal
    request.session[PROFILE_KEY] = profile.pk
    request.session.pop(CHANGES_KEY, None)
    return redirect("profiles:update_edit")


def forget_update_in_progress(request):
    for key in (PROFILE_KEY, CHANGES_KEY, VERSION_KEY):
        request.session.pop(key, None)


def profile_in_progress(request):
    """The profile the update started with, provided it is still the user's own; else None."""
    profile_id = request.session.get(PROFILE_KEY)
    if profile_id is None:
        return None
    return PractitionerProfile.objects.filter(pk=profile_id, user=request.user).first()


@data_review_exempt
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def update_edit(request):
    profile = profile_in_progress(request)
    if profile is None:
        return redirect("profiles:update_lookup")
    refusal = refuse_if_pending(request, profile)
    if refusal:
        return refusal
    current = model_to_dict(profile, fields=UPDATABLE_FIELDS)
    if request.method == "POST":
        form = MemberDataForm(request.POST, initial=current, profile=profile)
        if form.is_valid():
            changes = form.changes(profile)
            if not changes:
                messages.info(request, _("You did not change anything, so there is nothing to send."))
            else:
                request.session[CHANGES_KEY] = changes
                request.session[VERSION_KEY] = profile.version
                return redirect("profiles:update_confirm")
    else:
        proposed = request.session.get(CHANGES_KEY) or {}
        form = MemberDataForm(
            initial={**current, **{name: change["new"] for name, change in proposed.items()}}, profile=profile
        )
    return render(request, "profiles/update_edit.html", {"form": form, "profile": profile, "step": 1})


@data_review_exempt
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def update_confirm(request):
    profile = profile_in_progress(request)
    changes = request.session.get(CHANGES_KEY)
    if profile is None or not changes:
        return redirect("profiles:update_lookup")
    if request.method == "POST":
        try:
            update_request = create_update_request(profile, changes, request.session[VERSION_KEY])
        except PendingRequestExists as error:
            messages.warning(request, _("You already have a data update request under review. Wait for its decision."))
            return redirect("profiles:request_detail", error.pending.number)
        forget_update_in_progress(request)
        messages.success(request, _("Your request has been sent. A reviewer will decide on it."))
        return redirect("profiles:request_detail", update_request.number)
    context = {"rows": change_rows(changes), "profile": profile, "step": 2}
    return render(request, "profiles/update_confirm.html", context)


@data_review_exempt
@login_required
@require_safe
def request_detail(request, number):
    update_request = get_object_or_404(
        DataUpdateRequest.objects.select_related("profile"), number=number, profile__user=request.user
    )
    context = {
        "update_request": update_request,
        "rows": change_rows(update_request.changes),
        "standing": request_forecast(update_request, timezone.localdate()),
    }
    return render(request, "profiles/request_detail.html", context)


@data_review_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def confirm_email(request, key):
    """The link sent to a new email address: GET shows a button, POST applies the address."""
    try:
        update_request = request_for_email_change_key(key)
    except LinkError as error:
        return link_failed_page(request, error, reverse("profiles:update_lookup"), _("Ask for the change again"))
    if request.method == "POST":
        try:
            confirm_email_change(update_request)
        except EmailTaken:
            messages.error(request, _("Another account already uses this email address, so it cannot be yours."))
            return redirect("portal:home")
        messages.success(request, _("Your new email address is confirmed."))
        return redirect("portal:home")
    return render(request, "profiles/confirm_email.html", {"new_email": update_request.changes["email"]["new"]})


@data_review_exempt
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def review_data(request):
    """مراجعة البيانات: confirm the data, go and update it, or (a limited number of times) later."""
    profile = get_object_or_404(PractitionerProfile.objects.select_related("specialty"), user=request.user)
    next_url = safe_next_url(request, reverse("portal:services"))
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "confirm":
            confirm_data(profile)
            request.session.pop(REVIEW_DUE_KEY, None)
            messages.success(request, _("Thank you. Your data is recorded as current."))
            return redirect(next_url)
        if action == "update":
            return redirect("profiles:update_lookup")
        if action == "later":
            if postpone_review(profile):
                request.session.pop(REVIEW_DUE_KEY, None)
                return redirect(next_url)
            messages.error(request, _("The review cannot be put off again. Confirm or update your data to continue."))
        return redirect(f"{reverse('profiles:review_data')}?{urlencode({'next': next_url})}")
    context = {
        "profile": profile,
        "next": next_url,
        "can_postpone": can_postpone(profile),
        "remaining_postponements": remaining_postponements(profile),
    }
    return render(request, "profiles/review_data.html", context)


@data_review_exempt
@login_required
@require_POST
def update_cancel(request):
    forget_update_in_progress(request)
    return redirect("portal:services")
