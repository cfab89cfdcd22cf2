"""The organisation's pages: sign-up, the switcher, the watchlist, its files, its members."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core.limits import limited
from registry.public import public_card
from registry.sharing import current_work, timeline, work_history

from .access import refusal
from .exports import watchlist_csv, watchlist_xlsx
from .forms import InvitationForm, MembershipNumberForm, OrganisationSignupForm, ShareCodeForm, UploadForm
from .members import (
    InvitationError,
    LastAdministrator,
    accept_invitation,
    invitation_for,
    invite_member,
    membership_of,
    memberships_of,
    remove_member,
)
from .models import Membership
from .watchlist import (
    ListFilter,
    RowOutcome,
    ShareCodeRefused,
    add_number,
    add_numbers,
    add_share_code,
    live_share_code,
    remove,
    report_summary,
    watched_entry,
    watched_rows,
    watchlist_entries,
)
from .workflow import sign_up_organisation

PAGE_SIZE = 50


def organisation_page(manages=False):
    """Open the view to members of the organisation in the URL (others: 404), once it is approved;
    `manages`: administrators only, with a second factor. The view gets the membership."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, organisation_id, *args, **kwargs):
            membership = membership_of(request.user, organisation_id)
            if membership is None:
                raise Http404
            reason = refusal(membership, manages=manages, second_factor_verified=request.user.is_verified())
            if reason is not None:
                context = {"membership": membership, "organisation": membership.organisation, "reason": reason}
                return render(request, "employers/refused.html", context, status=403)
            return view(request, membership, *args, **kwargs)

        return wrapped

    return decorator


@login_required
@require_safe
def home(request):
    """My organisations: the switcher, and the way to sign one up."""
    return render(request, "employers/home.html", {"memberships": memberships_of(request.user)})


@login_required
@limited("signup-per-address")
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def signup(request):
    form = OrganisationSignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        sign_up_organisation(
            user=request.user,
            name_ar=data["name_ar"],
            name_en=data["name_en"],
            commercial_registration=data["commercial_registration"],
            facility_licence=data["facility_licence"],
            city=data["city"],
            contact_email=data["contact_email"],
        )
        # The same page whether or not the number was already registered.
        return redirect("employers:signup_done")
    return render(request, "employers/signup.html", {"form": form})


@login_required
@require_safe
def signup_done(request):
    return render(request, "employers/signup_done.html")


@login_required
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def invitation(request, token):
    """GET shows what joining means (mail scanners open links); POST joins."""
    try:
        if request.method == "POST":
            membership = accept_invitation(token, request.user)
            messages.success(request, _("You are now a member of %(name)s.") % {"name": membership.organisation})
            return redirect("employers:watchlist", membership.organisation_id)
        found = invitation_for(token, request.user)
    except InvitationError as error:
        return render(request, "employers/invitation.html", {"error": error.message}, status=400)
    return render(request, "employers/invitation.html", {"invitation": found})


def _watchlist_context(membership, request):
    today = timezone.localdate()
    list_filter = request.GET.get("filter", "")
    if list_filter not in ListFilter.LABELS:
        list_filter = ListFilter.ALL
    page = Paginator(watchlist_entries(membership.organisation, list_filter, today), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return {
        "membership": membership,
        "organisation": membership.organisation,
        "page": page,
        "rows": watched_rows(page.object_list, today),
        "filters": ListFilter.LABELS.items(),
        "list_filter": list_filter,
    }


def _watchlist_page(request, membership, number_form=None, share_form=None):
    """The list, and for administrators its two forms (a bound one showing its errors)."""
    context = _watchlist_context(membership, request)
    if membership.is_administrator:
        context |= {
            "number_form": number_form or MembershipNumberForm(),
            "share_form": share_form or ShareCodeForm(),
        }
    return render(request, "employers/watchlist.html", context)


@organisation_page()
@require_safe
def watchlist(request, membership):
    return _watchlist_page(request, membership)


@organisation_page(manages=True)
@require_POST
def add(request, membership):
    form = MembershipNumberForm(request.POST)
    if form.is_valid():
        report = add_number(membership.organisation, form.cleaned_data["membership_number"], request.user)
        number = form.cleaned_data["membership_number"]
        if report.outcome == RowOutcome.ADDED:
            messages.success(request, _("%(number)s is now on the list.") % {"number": number})
            return redirect("employers:watchlist", membership.organisation_id)
        form.add_error("membership_number", str(report.label))
    return _watchlist_page(request, membership, number_form=form)


@organisation_page(manages=True)
@require_POST
def share_code(request, membership):
    form = ShareCodeForm(request.POST)
    if form.is_valid():
        try:
            entry = add_share_code(membership.organisation, form.cleaned_data["code"], request.user)
        except ShareCodeRefused as refused:
            form.add_error("code", str(refused.message))
        else:
            messages.success(request, _("The share code is added to the list."))
            return redirect("employers:watched", membership.organisation_id, entry.pk)
    return _watchlist_page(request, membership, share_form=form)


@organisation_page(manages=True)
@require_http_methods(["GET", "HEAD", "POST"])
def upload(request, membership):
    """A file of numbers: all of it added (and its per-row report shown) or none of it."""
    form = UploadForm(request.POST or None, request.FILES or None)
    context = {"organisation": membership.organisation, "form": form}
    if request.method == "POST" and form.is_valid():
        report = add_numbers(membership.organisation, form.numbers, request.user)
        context |= {"report": report, "summary": report_summary(report)}
        return render(request, "employers/upload_report.html", context)
    return render(request, "employers/upload.html", context)


@organisation_page(manages=True)
@require_POST
def remove_watched(request, membership, entry_id):
    if remove(membership.organisation, entry_id, request.user):
        messages.success(request, _("The practitioner is off the list."))
    return redirect("employers:watchlist", membership.organisation_id)


@organisation_page()
@require_safe
def watched(request, membership, entry_id):
    """One practitioner on the list: the public record, and what a live share code adds."""
    entry = watched_entry(membership.organisation, entry_id)
    if entry is None:
        raise Http404
    code = live_share_code(entry)
    card = public_card(entry.practitioner)
    context = {"membership": membership, "organisation": membership.organisation, "entry": entry, "card": card}
    if code is not None:
        context["share_code"] = code
        if code.shares_work_history:
            context["current_work"] = current_work(entry.practitioner.profile, entry.practitioner.registered_on)
            context["work_history"] = work_history(entry.practitioner.profile)
        context["timeline"] = timeline(entry.practitioner) if code.shares_timeline else None
    return render(request, "employers/watched.html", context)


@organisation_page()
@require_safe
def download(request, membership, file_format):
    if file_format not in ("csv", "xlsx"):
        raise Http404
    today = timezone.localdate()
    rows = watched_rows(watchlist_entries(membership.organisation, ListFilter.ALL, today).iterator(), today)
    filename = f"watchlist-{membership.organisation.commercial_registration}-{today:%Y%m%d}.{file_format}"
    if file_format == "csv":
        response = HttpResponse(watchlist_csv(rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    else:
        response = FileResponse(
            watchlist_xlsx(rows),
            as_attachment=True,
            filename=filename,
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Cache-Control"] = "private, no-store"
    return response


@organisation_page(manages=True)
@require_http_methods(["GET", "HEAD", "POST"])
def members(request, membership):
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        invite_member(
            membership.organisation,
            email=form.cleaned_data["email"],
            role=form.cleaned_data["role"],
            invited_by=request.user,
            language=request.LANGUAGE_CODE,
        )
        messages.success(request, _("The invitation is sent to %(email)s.") % {"email": form.cleaned_data["email"]})
        return redirect("employers:members", membership.organisation_id)
    context = {
        "membership": membership,
        "organisation": membership.organisation,
        "members": Membership.objects.filter(organisation=membership.organisation).select_related("user"),
        "invitations": membership.organisation.invitations.filter(accepted_at__isnull=True)[:50],
        "form": form,
    }
    return render(request, "employers/members.html", context)


@organisation_page(manages=True)
@require_POST
def member_remove(request, membership, member_id):
    member = Membership.objects.filter(organisation=membership.organisation, pk=member_id).first()
    if member is None:
        raise Http404
    try:
        remove_member(member, request.user)
    except LastAdministrator as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("%(name)s is no longer a member.") % {"name": member.user.display_name})
    return redirect("employers:members", membership.organisation_id)
