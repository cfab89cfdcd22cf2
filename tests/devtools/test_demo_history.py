"""`load_demo`'s past decisions: the supervisors' dashboard and the expected dates show
something on `make run`, and no old email is sent."""

import pytest
from django.core.management import call_command

from core.models import OutboundEmail
from core.service_levels import ServiceKind, service_level_facts
from devtools.history import DECISIONS_PER_WEEK, WEEKS
from portal.dashboard import dashboard_figures
from portal.integrity import integrity_problems

pytestmark = pytest.mark.django_db


def test_the_demo_has_twelve_weeks_of_decisions_by_three_reviewers_and_requests_of_every_age(capsys):
    call_command("load_demo")
    call_command("load_demo")  # a second time adds nothing
    assert "/admin/dashboard/" in capsys.readouterr().out
    figures = dashboard_figures()
    assert len(figures.reviewers) == 3
    # The history's decisions, and the demo's own few made today.
    assert WEEKS * DECISIONS_PER_WEEK <= sum(figures.everyone) < 2 * WEEKS * DECISIONS_PER_WEEK
    assert all(figures.everyone[:-1])  # every past week has decisions
    assert sum(1 for median in figures.medians if median is not None) >= WEEKS - 1
    registrations = next(row for row in figures.waiting if row.kind == "registration")
    # The demo's submitted application (today) and two of the history's in each band.
    assert registrations.by_age == (3, 2, 2)
    assert registrations.overdue == 2
    # The expected dates have a decision rate to go by.
    assert service_level_facts([ServiceKind.REGISTRATION]).queues["registration"].decisions_per_working_day > 0
    assert not OutboundEmail.objects.filter(to_address__startswith="history").exists()
    assert integrity_problems() == []
