"""Consistency checks over the stored data: nothing half-written after a crash or an outage.

Each check returns a list of human-readable problems; an empty list means the data is whole.
"""

from django.db.models import Count, Q

from applications.models import Application, ApplicationStatus
from profiles.models import DataUpdateRequest, PractitionerProfile, ProfileChange, RequestStatus


def applications_without_reference():
    return [
        f"application id={pk} has no reference"
        for pk in Application.objects.filter(reference=None).values_list("pk", flat=True)
    ]


def application_timelines_that_do_not_add_up():
    """Each event must start where the previous one ended, and the last must be the status."""
    problems = []
    applications = Application.objects.annotate(event_count=Count("events")).filter(event_count__gt=0)
    for application in applications.prefetch_related("events").iterator(chunk_size=500):
        events = sorted(application.events.all(), key=lambda event: (event.created_at, event.pk))
        for previous, current in zip(events, events[1:], strict=False):
            if current.from_status != previous.to_status:
                problems.append(f"{application.reference}: event {current.pk} starts from {current.from_status}")
        if events[-1].to_status != application.status:
            problems.append(f"{application.reference}: status {application.status}, last event {events[-1].to_status}")
    return problems


def submitted_applications_without_submission_time():
    not_draft = Application.objects.exclude(status=ApplicationStatus.DRAFT).filter(submitted_at=None)
    return [
        f"{reference}: not a draft but never submitted" for reference in not_draft.values_list("reference", flat=True)
    ]


def approvals_without_a_numbered_profile():
    approved = Application.objects.filter(status=ApplicationStatus.APPROVED)
    missing = approved.filter(
        Q(applicant__practitioner_profile=None) | Q(applicant__practitioner_profile__membership_number=None)
    )
    unnumbered = PractitionerProfile.objects.filter(membership_number=None)
    return [
        f"{reference}: approved without a numbered profile" for reference in missing.values_list("reference", flat=True)
    ] + [f"profile id={pk} has no membership number" for pk in unnumbered.values_list("pk", flat=True)]


def requests_half_written():
    problems = [
        f"data update request id={pk} has no number"
        for pk in DataUpdateRequest.objects.filter(number=None).values_list("pk", flat=True)
    ]
    for update_request in DataUpdateRequest.objects.filter(status=RequestStatus.APPROVED).iterator(chunk_size=500):
        applied = set(ProfileChange.objects.filter(request=update_request).values_list("field", flat=True))
        expected = set(update_request.changes) - {"email"}  # the email waits for its own link
        if not expected <= applied:
            problems.append(f"{update_request.number}: approved but {sorted(expected - applied)} not applied")
    return problems


CHECKS = [
    applications_without_reference,
    application_timelines_that_do_not_add_up,
    submitted_applications_without_submission_time,
    approvals_without_a_numbered_profile,
    requests_half_written,
]


def integrity_problems():
    return [problem for check in CHECKS for problem in check()]
