"""Views of the registration app: the self-check, the applicant's pages and document download."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from core.access_log import record_access
from core.limits import limited
from core.models import AccessAction
from registry.public import registration_of, standing_of
from registry.views import no_registration

from .applications import (
    CannotApply,
    NotEditable,
    is_practitioner,
    open_application_of,
    own_application_of,
    own_application_with_events,
    save_draft,
)
from .cpd import activity_list_of, hours_summary, hours_summary_of, period_of, record_activity
from .documents import CONTENT_TYPES, EXTENSIONS, kind_from_stored_name
from .eligibility import all_passed, check_eligibility
from .facts import application_checklist
from .forms import (
    CPDActivityForm,
    DeclarationForm,
    DetailsStepForm,
    EligibilityBasicsForm,
    EligibilityCheckForm,
    WorkStepForm,
)
from .models import Application, CPDActivity, DocumentKind
from .previews import MAX_PREVIEW_PAGES, PreviewUnavailable, placeholder_png, render_preview
from .renewal import CannotRenew, renewal_state, start_renewal
from .service_levels import WAITING_STATUSES, application_forecast
from .steps import DETAILS, STEPS, WORK, questions_for
from .workflow import (
    IllegalTransition,
    NotReadyToSubmit,
    NotWithdrawable,
    can_withdraw,
    submission_gaps,
    submit_application,
    withdraw_application,
)


@require_http_methods(["GET", "HEAD", "POST"])
def eligibility(request):
    """The registration conditions and a self-check in two pages: the nationality and the date
    of birth, then only the questions those make apply, then the checklist. Nothing is stored."""
    today = timezone.localdate()
    form, basics, results = EligibilityBasicsForm(), None, None
    if request.method == "POST":
        answered = EligibilityBasicsForm(request.POST)
        if not answered.is_valid():
            form = answered
        elif request.POST.get("stage") != "questions":
            basics = answered.cleaned_data
            form = EligibilityCheckForm(basics=basics, on_date=today)
        else:
            basics = answered.cleaned_data
            form = EligibilityCheckForm(request.POST, basics=basics, on_date=today)
            if form.is_valid():
                results = check_eligibility(form.facts(), today, settings.MEDICAL_REPORT_AGE)
    context = {
        "form": form,
        "basics": basics,
        "results": results,
        "eligible": results is not None and all_passed(results),
    }
    return render(request, "applications/eligibility.html", context)


def own_application(request, reference):
    """The logged-in user's application with this reference; anyone else's is a 404."""
    application = own_application_of(request.user, reference)
    if application is None:
        raise Http404
    return application


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def application_new(request):
    """The first question page of a new application; its first save makes the draft."""
    existing = open_application_of(request.user)
    if existing is not None:
        return redirect("applications:application_edit", existing.reference)
    if is_practitioner(request.user):
        messages.info(request, _("You are already registered as a practitioner."))
        return redirect("portal:my_requests")
    return answer_step(request, Application(applicant=request.user), DetailsStepForm)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def application_edit(request, reference):
    """Step 1: nationality, date of birth and profession."""
    return edit_step(request, reference, DetailsStepForm)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def application_work(request, reference):
    """Step 2: specialty, employer and the documents that apply."""
    return edit_step(request, reference, WorkStepForm)


def editable_application(request, reference):
    """(the user's application, None), or (None, a redirect) when it can no longer be changed."""
    application = own_application(request, reference)
    if not application.is_editable:
        messages.warning(request, _("This application cannot be changed now."))
        return None, redirect(application)
    return application, None


def edit_step(request, reference, form_class):
    application, refusal = editable_application(request, reference)
    return refusal or answer_step(request, application, form_class)


# Where "Save and continue" leads from each question page.
NEXT_PAGE = {DetailsStepForm: "applications:application_work", WorkStepForm: "applications:application_check"}


def answer_step(request, application, form_class):
    if request.method == "POST":
        continuing = request.POST.get("action") == "continue"
        form = form_class(request.POST, request.FILES, instance=application, continuing=continuing)
        if form.is_valid():
            try:
                application = save_draft(request.user, form.draft_data(), application if application.pk else None)
            except CannotApply:
                return redirect("applications:application_new")
            except NotEditable:
                messages.warning(request, _("This application cannot be changed now."))
                return redirect("portal:my_requests")
            if continuing:
                return redirect(NEXT_PAGE[form_class], application.reference)
            messages.success(request, _("Your draft is saved."))
            return redirect(form.step.url_name, application.reference)
    else:
        form = form_class(instance=application)
    return render(request, "applications/application_form.html", {"form": form, "application": application})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def application_check(request, reference):
    """Check your answers: every answer with a link to change it, what is still missing, and
    the declaration to tick to submit."""
    application, refusal = editable_application(request, reference)
    if refusal:
        return refusal
    form = DeclarationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            submit_application(application, request.user, declared=form.cleaned_data["declaration"])
        except NotReadyToSubmit:
            pass  # the page shows what is missing, below
        except IllegalTransition:
            messages.warning(request, _("This application has already been submitted."))
            return redirect(application)
        else:
            return redirect("applications:application_submitted", application.reference)
    context = {
        "application": application,
        "form": form,
        "gaps": submission_gaps(application),
        "asked": {field for step in STEPS for field in questions_for(application, step)},
        "details_url": DETAILS.url(application),
        "work_url": WORK.url(application),
    }
    return render(request, "applications/application_check.html", context)


@login_required
@require_safe
def application_submitted(request, reference):
    """The confirmation after submitting: the reference, what happens next and when."""
    application, events = own_application_with_events(request.user, reference)
    if application is None:
        raise Http404
    if application.status not in WAITING_STATUSES:
        return redirect(application)
    context = {
        "application": application,
        "standing": application_forecast(application, events, timezone.localdate()),
        "can_withdraw": can_withdraw(application),
    }
    return render(request, "applications/application_submitted.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def application_withdraw(request, reference):
    """Withdraw a submitted application before a reviewer opens it: a page that says what it
    does, then the withdrawal on POST."""
    application = own_application(request, reference)
    if request.method == "POST":
        try:
            withdraw_application(application, request.user)
        except NotWithdrawable as refusal:
            messages.warning(request, refusal.message)
        else:
            messages.success(request, _("Your application has been withdrawn. You can start a new one at any time."))
        return redirect(application)
    if not can_withdraw(application):
        messages.warning(request, NotWithdrawable.message)
        return redirect(application)
    return render(request, "applications/application_withdraw.html", {"application": application})


@login_required
@require_safe
def application_detail(request, reference):
    application = own_application(request, reference)
    events = list(application.events.select_related("actor"))
    context = {
        "application": application,
        "checklist": application_checklist(application),
        "events": events,
        "standing": application_forecast(application, events, timezone.localdate()),
        "can_withdraw": can_withdraw(application),
    }
    return render(request, "applications/application_detail.html", context)


@login_required
@require_safe
def document_download(request, reference, kind):
    """A document of an application, to its owner and to reviewers only; everyone else gets 404."""
    if kind not in DocumentKind.values:
        raise Http404
    application = get_object_or_404(Application, reference=reference)
    is_owner = application.applicant_id == request.user.pk
    if not (is_owner or request.user.has_perm("applications.view_application")):
        raise Http404
    document = application.document(kind)
    if not document:
        raise Http404
    if not is_owner:
        record_access(request, application.applicant_id, AccessAction.DOWNLOADED_DOCUMENT, f"{reference}/{kind}")
    return document_response(document, f"{application.reference}-{kind}")


@login_required
@require_safe
def document_preview(request, reference, kind, page):
    """A picture of a page of an application's document, for reviewers only; everyone else gets 404."""
    if kind not in DocumentKind.values or not request.user.has_perm("applications.view_application"):
        raise Http404
    application = get_object_or_404(Application, reference=reference)
    document = application.document(kind)
    if not document:
        raise Http404
    record_access(request, application.applicant_id, AccessAction.DOWNLOADED_DOCUMENT, f"{reference}/{kind}")
    return preview_response(document, page)


def preview_response(document, page):
    """The page as a PNG drawn by the server, or a placeholder picture when it cannot be drawn."""
    if not 1 <= page <= MAX_PREVIEW_PAGES:
        raise Http404
    try:
        picture = render_preview(document, page)
    except PreviewUnavailable:
        picture = placeholder_png()
    response = HttpResponse(picture, content_type="image/png")
    response["Cache-Control"] = "private, no-store"
    return response


def document_response(document, name):
    """A stored document as a download named `name` plus the extension of its real type."""
    detected = kind_from_stored_name(document.name) or "pdf"
    response = FileResponse(
        document.open("rb"),
        as_attachment=True,
        filename=f"{name}{EXTENSIONS[detected]}",
        content_type=CONTENT_TYPES[detected],
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@limited("cpd-upload")
@require_http_methods(["GET", "HEAD", "POST"])
def cpd(request):
    """الساعات التعليمية: the practitioner's activities, the hours that count and a form for one more."""
    registration = registration_of(request.user)
    if registration is None:
        return no_registration(request)
    profile = registration.profile
    if request.method == "POST":
        form = CPDActivityForm(request.POST, request.FILES, registration=registration)
        if form.is_valid():
            try:
                record_activity(profile, registration, form.cleaned_data)
            except ValidationError as refusal:  # a parallel upload passed the cap or the same activity first
                form.add_error(None, refusal)
            else:
                messages.success(request, _("Activity recorded. Its hours count once a reviewer accepts it."))
                return redirect("applications:cpd")
    else:
        form = CPDActivityForm(registration=registration)
    activities = activity_list_of(profile.pk)
    context = {
        "form": form,
        "summary": hours_summary_of(activities, registration),
        "period": period_of(registration),
        "activities": activities,
    }
    return render(request, "applications/cpd.html", context)


@login_required
@require_safe
def cpd_certificate(request, pk):
    """An activity's certificate, to its practitioner and to reviewers only; everyone else gets 404."""
    activity = get_object_or_404(CPDActivity.objects.select_related("profile"), pk=pk)
    is_owner = activity.profile.user_id == request.user.pk
    if not (is_owner or request.user.has_perm("applications.view_cpdactivity")):
        raise Http404
    if not is_owner:
        record_access(request, activity.profile.user_id, AccessAction.DOWNLOADED_DOCUMENT, f"CPD-{activity.pk}")
    return document_response(activity.certificate, f"CPD-{activity.pk}")


@login_required
@require_safe
def cpd_certificate_preview(request, pk, page):
    """A picture of a page of an activity's certificate, for reviewers only; everyone else gets 404."""
    if not request.user.has_perm("applications.view_cpdactivity"):
        raise Http404
    activity = get_object_or_404(CPDActivity.objects.select_related("profile"), pk=pk)
    record_access(request, activity.profile.user_id, AccessAction.DOWNLOADED_DOCUMENT, f"CPD-{activity.pk}")
    return preview_response(activity.certificate, page)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def renewal(request):
    """تجديد التسجيل: when the registration can be renewed, what renewal needs, and the start."""
    state = renewal_state(request.user)
    if state is None:
        return no_registration(request)
    if request.method == "POST":
        try:
            application = start_renewal(request.user)
        except CannotRenew:
            return redirect("applications:renewal")
        return redirect("applications:application_edit", application.reference)
    profile = request.user.practitioner_profile
    context = {
        "state": state,
        "summary": hours_summary(profile, state.registration),
        "standing": standing_of(profile),
    }
    return render(request, "applications/renewal.html", context)
