"""The supervisors' dashboard, a page of the admin: the figures the jobs counted
(portal/dashboard.py) drawn as SVG charts on the server (core/charts.py), each with its numbers
in a table."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.utils.formats import date_format
from django.utils.translation import get_language_bidi
from django.utils.translation import gettext_lazy as _

from core.admin_site import AdminPage
from core.charts import column_bars, grid, stacked_bars
from core.dashboard import AGE_BAND_LABELS
from core.service_levels import ServiceKind

from .dashboard import dashboard_figures
from .reviewers import is_supervisor


def dashboard_context(figures, rtl):
    """The charts and tables of the dashboard from its figures."""
    kinds = [(ServiceKind(row.kind).label, row) for row in figures.waiting]
    short_weeks = [date_format(week, "j/n") for week in figures.weeks]
    reviewer_rows = [(reviewer.name, reviewer.counts) for reviewer in figures.reviewers]
    if any(figures.others):
        reviewer_rows.append((_("Other reviewers"), figures.others))
    return {
        "figures": figures,
        "kinds": kinds,
        "age_bands": AGE_BAND_LABELS,
        "waiting_total": sum(row.total for row in figures.waiting),
        "waiting_chart": stacked_bars([(label, row.by_age) for label, row in kinds], rtl),
        "overdue_chart": stacked_bars([(label, [row.overdue]) for label, row in kinds], rtl),
        "reviewer_rows": reviewer_rows,
        "reviewers_chart": grid(reviewer_rows, short_weeks, rtl) if reviewer_rows else None,
        "weekly": list(zip(figures.weeks, figures.everyone, figures.decided, figures.medians, strict=True)),
        "medians_chart": column_bars(figures.medians, short_weeks, rtl),
    }


def dashboard_view(request):
    if not is_supervisor(request.user):
        raise PermissionDenied
    return TemplateResponse(
        request,
        "admin/dashboard.html",
        {
            **admin.site.each_context(request),
            "title": _("Supervisors' dashboard"),
            **dashboard_context(dashboard_figures(), get_language_bidi()),
        },
    )


admin.site.register_page(
    AdminPage(
        route="dashboard/",
        view=dashboard_view,
        name="dashboard",
        title=_("Supervisors' dashboard"),
        shown_to=is_supervisor,
    )
)
