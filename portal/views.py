"""Pages that belong to the portal as a whole, and pages that span its apps (the services page)."""

import hmac
import logging
import sys

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.db import InterfaceError, OperationalError
from django.http import FileResponse, Http404, HttpResponse, HttpResponseServerError
from django.shortcuts import redirect, render
from django.template import loader
from django.utils import timezone
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.forms import PasswordCheckForm
from api.usage import lookups_of, minutes_behind
from applications.applications import applications_of, open_application_of
from applications.models import DocumentKind
from core.access_log import OWNER_DESCRIPTIONS, access_records_of
from core.health import database_answers, health_problems
from core.limits import limited
from core.links import chrome_paths
from core.metrics import exposition
from core.pagination import page_of
from core.request_log import user_id_of, view_label
from employers.practitioners import watch_records_of
from profiles.workflow import requests_of
from registry.public import registration_of, standing_of

from .personal_data import CannotClose, close_account, personal_data_zip
from .service_levels import forecasts_of_my_requests, published_figures

security_log = logging.getLogger("mumaris.security")
ACCESS_LOG_PAGE_SIZE = 50


@require_safe
def home(request):
    """The same page for everyone, plus the renewal notice for a practitioner whose renewal is open."""
    standing = standing_of(getattr(request.user, "practitioner_profile", None))
    return render(request, "portal/home.html", {"standing": standing})


@require_safe
def terms(request):
    return render(request, "portal/terms.html")


@login_required
@require_safe
def services(request):
    """الخدمات الإلكترونية: the practitioner's services, or the applicant's way to registration."""
    profile = getattr(request.user, "practitioner_profile", None)
    context = {
        "profile": profile,
        "standing": standing_of(profile),
        "open_application": open_application_of(request.user),
    }
    return render(request, "profiles/services.html", context)


@login_required
@require_safe
def access_log(request):
    """سجل الاطلاع على بياناتي: when staff opened the person's file, and what for; which
    organisations added the practitioner to their watchlist, and when; and how many times a day
    each organisation's API requests returned their registration."""
    # Pages with newer and older links only: no count of either list (core/pagination.py).
    records = page_of(
        access_records_of(request.user),
        ACCESS_LOG_PAGE_SIZE,
        request.GET.get("page"),
    )
    rows = [(record.at, describe_for_owner(record)) for record in records]
    registration = registration_of(request.user)  # read with the user
    watches = page_of(watch_records_of(registration), ACCESS_LOG_PAGE_SIZE, request.GET.get("watch_page"))
    context = {"records": records, "rows": rows, "watches": watches, "api_lookups": lookups_of(registration)}
    context["api_lookups_minutes_behind"] = minutes_behind()
    return render(request, "portal/access_log.html", context)


def describe_for_owner(record):
    """The record's sentence, with the reference kept left-to-right and whole inside Arabic text."""
    target, _slash, kind = record.target.partition("/")
    document = DocumentKind(kind).label if kind in DocumentKind.values else ""
    sentence = conditional_escape(OWNER_DESCRIPTIONS[record.action])
    isolated_target = format_html('<bdi dir="ltr" class="nowrap">{}</bdi>', target)
    # Both parts are escaped above; only the <bdi> is markup.
    return mark_safe(sentence % {"target": isolated_target, "document": conditional_escape(document)})  # noqa: S308  # nosec B308 B703


@require_safe
def service_levels(request):
    """معايير الخدمة: each service's promised time and how long decisions took lately."""
    return render(request, "portal/service_levels.html", {"figures": published_figures()})


@require_safe
def privacy(request):
    return render(request, "portal/privacy.html", {"access_log_days": settings.ACCESS_LOG_RETENTION_DAYS})


@login_required
@limited("personal-data-export")
@require_POST
def download_my_data(request):
    """A copy of everything held about the person (data.json and their documents), built now in a
    temporary file and streamed from it."""
    response = FileResponse(
        personal_data_zip(request.user),
        as_attachment=True,
        filename="mumaris-my-data.zip",
        content_type="application/zip",
    )
    response["Cache-Control"] = "private, no-store"
    return response


@sensitive_post_parameters("password")
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def close_my_account(request):
    """An applicant who never got registered may close their account; a practitioner may not."""
    form = PasswordCheckForm(request.user, request.POST or None, purpose="close account")
    refusal = "practitioner" if getattr(request.user, "practitioner_profile", None) else None
    if request.method == "POST" and refusal is None and form.is_valid():
        try:
            close_account(request.user)
        except CannotClose as cannot:
            refusal = cannot.reason
        else:
            logout(request)
            messages.success(request, _("Your account is closed and your documents are deleted."))
            return redirect("portal:home")
    return render(request, "portal/close_account.html", {"form": form, "refusal": refusal})


@never_cache
@require_safe
def healthz(request):
    """For a monitor: "ok", or 503 "degraded: …" with the reasons (the database down, the task
    queue stuck). Sets no cookies."""
    problems = health_problems()
    if problems:
        return HttpResponse(f"degraded: {'; '.join(problems)}\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")


@never_cache
@require_safe
def readyz(request):
    """For a load balancer: 200 when this server can answer pages (its database answers), 503
    when not. The task queue is not its business: no server can fix it, all would be taken out."""
    if not database_answers():
        return HttpResponse("not ready: database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ready\n", content_type="text/plain")


@never_cache
@require_safe
def metrics(request):
    """Prometheus' scrape, for the bearer of METRICS_TOKEN only; 404 to anyone else and when unset."""
    expected = f"Bearer {settings.METRICS_TOKEN}".encode()
    offered = request.headers.get("Authorization", "").encode()
    if not settings.METRICS_TOKEN or not hmac.compare_digest(offered, expected):
        raise Http404
    return HttpResponse(exposition(), content_type="text/plain; version=0.0.4; charset=utf-8")


def csrf_failure(request, reason=""):
    # Here and below, the URL's name and the user's id, never the path (a reset token or a signed
    # link) or the person's ID number.
    security_log.info("csrf failure view=%s reason=%s", view_label(request), reason)
    return render(request, "403_csrf.html", status=403)


def bad_request(request, exception):
    return render(request, "400.html", status=400)


def permission_denied(request, exception):
    security_log.info("permission denied view=%s user_id=%s", view_label(request), user_id_of(request))
    return render(request, "403.html", status=403)


def page_not_found(request, exception):
    return render(request, "404.html", status=404)


def server_error(request):
    """500, or 503 with Retry-After when the database is out of reach.

    Rendered without the request's context (no session, no user): those need the database,
    which may be the very thing that failed. The request's identifier is passed alone, to quote.
    """
    error = sys.exc_info()[1]
    context = {"request_id": getattr(request, "request_id", None), "chrome": chrome_paths()}
    if isinstance(error, OperationalError | InterfaceError):
        security_log.warning("database unavailable view=%s error=%s", view_label(request), type(error).__name__)
        response = HttpResponse(loader.get_template("503.html").render(context), status=503)
        response["Retry-After"] = "10"
        return response
    return HttpResponseServerError(loader.get_template("500.html").render(context))


def rate_limited(request, exception):
    security_log.warning("rate limited view=%s user_id=%s", view_label(request), user_id_of(request))
    return render(request, "429.html", status=429)


@login_required
@require_safe
def my_requests(request):
    """طلباتي: the user's applications and data-update requests with their status."""
    applications = applications_of(request.user)
    profile = getattr(request.user, "practitioner_profile", None)
    update_requests = requests_of(profile)
    application_standings, request_standings = forecasts_of_my_requests(
        applications, update_requests, timezone.localdate()
    )
    context = {
        "applications": applications,
        "update_requests": update_requests,
        "application_standings": application_standings,
        "request_standings": request_standings,
        "has_open_application": any(application.is_open for application in applications),
        "profile": profile,
        "standing": standing_of(profile),
    }
    return render(request, "portal/my_requests.html", context)
