"""Every change of an application's status: one function each, one transaction each.

Each function locks the application row, checks that the change is allowed from the
current status, saves, records an ApplicationEvent (from, to, who, reason, when) and queues
the applicant's email for after the commit. An illegal change raises IllegalTransition; a
reviewer deciding on their own application raises OwnFileRefused. The reviewer's decisions
are declared once, in DECISIONS at the end.
"""

import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from core.decisions import (
    Decision,
    DecisionError,
    DecisionTone,
    available_decisions,
    check_transition,
    refuse_own_file,
    required_reason,
)
from core.emails import queue_email
from core.hijri import hijri_text
from core.queue import refuse_held_by_another, release
from core.site import absolute_reverse
from profiles.workflow import create_practitioner_profile
from registry.models import Registration, RegistrationStatus
from registry.validity import (
    RenewalWindow,
    period_end,
    renewal_closes_on,
    renewal_opens_on,
    renewal_window,
    renewed_period,
)
from registry.workflow import register_practitioner, renew_registration

from . import steps
from .applications import is_practitioner
from .deadlines import answer_deadline, answer_missed
from .models import Application, ApplicationEvent, ApplicationStatus
from .queue import APPLICATIONS
from .service_levels import standing_at_submission

security_log = logging.getLogger("mumaris.security")

ALLOWED_TRANSITIONS = {
    ApplicationStatus.DRAFT: {ApplicationStatus.SUBMITTED},
    # Corrected and sent back, or closed by the daily job when no answer came in time.
    ApplicationStatus.RETURNED: {ApplicationStatus.SUBMITTED, ApplicationStatus.CLOSED},
    # Withdrawn by the applicant while no reviewer has it (can_withdraw).
    ApplicationStatus.SUBMITTED: {ApplicationStatus.UNDER_REVIEW, ApplicationStatus.WITHDRAWN},
    ApplicationStatus.UNDER_REVIEW: {
        ApplicationStatus.APPROVED,
        ApplicationStatus.RETURNED,
        ApplicationStatus.REJECTED,
    },
}
# The applicant's own changes; every other change is a reviewer's (or the daily job's).
APPLICANT_CHANGES = (ApplicationStatus.SUBMITTED, ApplicationStatus.WITHDRAWN)


class IllegalTransition(DecisionError):
    """The application is not in a status from which this change is allowed."""

    message = _("This application's status has changed in the meantime; nothing was done.")


class NotReadyToSubmit(Exception):
    """Information is missing or an eligibility rule fails; `problems` says which."""

    def __init__(self, problems):
        super().__init__(problems)
        self.problems = problems


class NotWithdrawable(DecisionError):
    """A reviewer has the application already (or it is no longer waiting): it cannot be withdrawn."""

    message = _("A reviewer has already started on this application, so it can no longer be withdrawn.")


def submission_gaps(application, on_date=None):
    """What stops the application being submitted now (empty when nothing does): each unanswered
    question and failing condition once, with where to put it right (steps.py); for a renewal,
    also a window that has closed."""
    gaps = steps.submission_gaps(application, on_date)
    if application.is_renewal:
        gaps += [
            steps.Gap(problem) for problem in renewal_window_problems(application, on_date or timezone.localdate())
        ]
    return gaps


def submission_problems(application, on_date=None):
    """Human-readable reasons why the application cannot be submitted now (empty when it can)."""
    return [gap.message for gap in submission_gaps(application, on_date)]


def renewal_window_problems(application, on_date):
    registration = Registration.objects.get(profile__user=application.applicant_id)
    window = renewal_window(registration.valid_until, on_date, settings.RENEWAL_GRACE_DAYS)
    if window == RenewalWindow.CLOSED:
        closed_on = renewal_closes_on(registration.valid_until, settings.RENEWAL_GRACE_DAYS)
        return [
            _("Renewal closed on %(date)s. Contact support about your registration.") % {"date": date_format(closed_on)}
        ]
    if registration.status != RegistrationStatus.ACTIVE:
        return [
            _("This registration is %(status)s and cannot be renewed.") % {"status": registration.get_status_display()}
        ]
    return []


def _change_status(application, to_status, actor, reason=""):
    """Lock the row, check the transition, save and record the event. Returns the fresh row."""
    locked = Application.objects.select_for_update().get(pk=application.pk)
    check_transition(ALLOWED_TRANSITIONS, locked.status, to_status, IllegalTransition(f"{locked.status} → {to_status}"))
    if to_status not in APPLICANT_CHANGES:
        refuse_own_file(actor, locked.applicant_id, locked.reference)
        refuse_held_by_another(locked, actor, APPLICATIONS.supervise_permission)
    from_status = locked.status
    now = timezone.now()
    locked.status = to_status
    update_fields = ["status", "updated_at"]
    if to_status == ApplicationStatus.SUBMITTED:
        locked.submitted_at = now
        update_fields.append("submitted_at")
    if to_status in (ApplicationStatus.APPROVED, ApplicationStatus.RETURNED, ApplicationStatus.REJECTED):
        locked.decided_at = now
        locked.decision_reason = reason
        # Off the staff's queue: nobody holds it any longer (the event records who decided).
        update_fields += ["decided_at", "decision_reason", *release(locked)]
    locked.save(update_fields=update_fields)
    ApplicationEvent.objects.create(
        application=locked, from_status=from_status, to_status=to_status, actor=actor, reason=reason
    )
    security_log.info(
        "application %s %s -> %s by user=%s", locked.reference, from_status, to_status, getattr(actor, "pk", None)
    )
    return locked


def _email_applicant(application, template, **context):
    applicant = application.applicant
    context = {"application": application, "user": applicant, **context}
    # One email per status change: the change's time names the event.
    key = f"application:{application.pk}:{application.status}:{application.updated_at.isoformat()}"
    queue_email(template, context, applicant.email, applicant.preferred_language, key=key)


def submit_application(application, actor, on_date=None, *, declared):
    """Submit, once every condition holds and the applicant declared the data and documents
    true (`declared`: they ticked the declaration); the declaration's time is recorded."""
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        problems = submission_problems(locked, on_date)
        if not declared:
            problems.append(DECLARATION_MISSING)
        if problems:
            raise NotReadyToSubmit(problems)
        submitted = _change_status(locked, ApplicationStatus.SUBMITTED, actor)
        submitted.declared_at = submitted.submitted_at
        submitted.save(update_fields=["declared_at"])
        _email_applicant(submitted, "applications/email/submitted", standing=standing_at_submission(submitted))
    return submitted


DECLARATION_MISSING = _("Tick the declaration to confirm that the data and documents are correct.")


def can_withdraw(application):
    """Submitted and not yet opened by a reviewer. A reviewer "opens" an application by taking it
    from the queue (or being given it), since that is when work on it starts; a glance at the
    list or the page is not recorded as work and does not count, and starting the review
    (under review) comes after taking it."""
    return application.status == ApplicationStatus.SUBMITTED and application.assigned_to_id is None


def withdraw_application(application, applicant):
    """The applicant takes back their application before a reviewer opens it; it then no longer
    stops them starting a new one."""
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk, applicant=applicant)
        if not can_withdraw(locked):
            raise NotWithdrawable(f"{locked.reference} {locked.status} assigned={locked.assigned_to_id}")
        return _change_status(locked, ApplicationStatus.WITHDRAWN, applicant)


def start_review(application, reviewer, reason=""):
    with transaction.atomic():
        return _change_status(application, ApplicationStatus.UNDER_REVIEW, reviewer)


class AlreadyRegistered(IllegalTransition):
    """The applicant already has a practitioner profile (and a membership number)."""


def approve_application(application, reviewer, reason=""):
    """Approve. A registration: issue the membership number, create the practitioner's profile
    and open their registration for one validity period, with its certificate. A renewal: extend
    the registration by one period and issue a new certificate."""
    with transaction.atomic():
        approved = _change_status(application, ApplicationStatus.APPROVED, reviewer)
        approved_on = timezone.localdate(approved.decided_at)
        if approved.is_renewal:
            registration = Registration.objects.get(profile__user=approved.applicant_id)
            renewed = renew_registration(registration, approved_on, reviewer)
            _email_applicant(approved, "applications/email/decided", **what_approval_gives(renewed))
            return approved
        if is_practitioner(approved.applicant):
            raise AlreadyRegistered(approved.applicant.national_id)
        profile = create_practitioner_profile(
            user=approved.applicant,
            profession=approved.profession,
            specialty=approved.specialty,
            employer=approved.employer,
        )
        registration = register_practitioner(profile, approved_on, actor=reviewer)
        _email_applicant(approved, "applications/email/decided", **what_approval_gives(registration))
    return approved


def what_approval_gives(registration):
    """What the approval email tells a new practitioner they now have and what comes next."""
    return {
        "registration": registration,
        "certificate_url": absolute_reverse("registry:certificate"),
        "renewal_opens_on": renewal_opens_on(registration.valid_until),
        "cpd_hours_required": settings.CPD_HOURS_REQUIRED,
    }


def _decide_with_reason(application, reviewer, to_status, reason):
    reason = required_reason(reason)
    with transaction.atomic():
        decided = _change_status(application, to_status, reviewer, reason)
        _email_applicant(decided, "applications/email/decided")
    return decided


def return_application(application, reviewer, reason=""):
    return _decide_with_reason(application, reviewer, ApplicationStatus.RETURNED, reason)


def reject_application(application, reviewer, reason=""):
    return _decide_with_reason(application, reviewer, ApplicationStatus.REJECTED, reason)


class AnswerNotLate(IllegalTransition):
    """The returned application's last day to answer has not passed (or it was returned again)."""


def close_unanswered_application(application, today):
    """Close a returned application whose last day to answer passed before `today`: "closed: no
    answer", by no one (the daily job), with an email saying how to start again. The deadline is
    checked again under the lock: the person may have sent it back, and a reviewer returned it
    again, in the meantime."""
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        deadline = locked.answer_deadline
        returned_on = timezone.localdate(locked.decided_at) if locked.decided_at else None
        if deadline is None or not answer_missed(returned_on, today, settings.RETURNED_ANSWER_DAYS):
            raise AnswerNotLate(f"{locked.reference} {locked.status}")
        closed = _change_status(locked, ApplicationStatus.CLOSED, actor=None)
        _email_applicant(closed, "applications/email/closed", returned_on=returned_on, answer_deadline=deadline)
    return closed


def approval_consequence(application, today=None):
    """What approving will do, with the dates it gives if approved today."""
    today = today or timezone.localdate()
    months = settings.REGISTRATION_VALIDITY_MONTHS
    if application.is_renewal:
        registration = Registration.objects.get(profile__user=application.applicant_id)
        start, until = renewed_period(registration.valid_until, today, months)
        return _(
            "Renews the registration from %(start)s to %(until)s and issues a new certificate. "
            "The practitioner is emailed."
        ) % {"start": hijri_text(start), "until": hijri_text(until)}
    return _(
        "Issues a membership number and a registration certificate valid until %(until)s, and opens "
        "the practitioner's file. The applicant is emailed."
    ) % {"until": hijri_text(period_end(today, months))}


def return_consequence(application, today=None):
    deadline = answer_deadline(today or timezone.localdate(), settings.RETURNED_ANSWER_DAYS)
    return _(
        "Sends the application back to the applicant with your reason. They may correct it and send it "
        "again until %(deadline)s; after that it closes."
    ) % {"deadline": hijri_text(deadline)}


DECISIONS = {
    "start_review": Decision(_("Start review"), ApplicationStatus.UNDER_REVIEW, start_review),
    "approve": Decision(
        _("Approve"),
        ApplicationStatus.APPROVED,
        approve_application,
        tone=DecisionTone.PRIMARY,
        consequence=approval_consequence,
    ),
    "return": Decision(
        _("Return for correction"),
        ApplicationStatus.RETURNED,
        return_application,
        needs_reason=True,
        consequence=return_consequence,
    ),
    "reject": Decision(
        _("Reject"),
        ApplicationStatus.REJECTED,
        reject_application,
        needs_reason=True,
        tone=DecisionTone.DESTRUCTIVE,
        consequence=_(
            "Closes the application for good, with your reason; it cannot be reopened. The applicant is emailed."
        ),
    ),
}


def decisions_for(application):
    """The keys of the decisions a reviewer may take on the application now."""
    return available_decisions(DECISIONS, ALLOWED_TRANSITIONS, application.status)
