"""Saving an applicant's draft application (creating it, with its reference, on first save)."""

from functools import partial

from django.db import IntegrityError, transaction

from core.fixed_reads import fixed_read
from core.numbering import assign_yearly_number
from profiles.models import PractitionerProfile

from .models import CLOSED_STATUSES, Application, ApplicationEvent, ApplicationKind, ApplicationStatus, DocumentKind

REFERENCE_PREFIXES = {ApplicationKind.REGISTRATION: "REG", ApplicationKind.RENEWAL: "REN"}


class CannotApply(Exception):
    """A registered practitioner, or someone whose application is already open, cannot start one."""


class NotEditable(Exception):
    """The application left draft / returned (submitted elsewhere, or under review)."""


@fixed_read
def _open_applications(applicant_id):
    return Application.objects.filter(applicant=applicant_id).exclude(status__in=CLOSED_STATUSES)[:1]


def open_application_of(user):
    """The user's application that is not approved or rejected, if any (at most one is open)."""
    return next(iter(_open_applications(user.pk)), None)


@fixed_read
def _applications_of(applicant_id):
    return (
        Application.objects.filter(applicant=applicant_id)
        .only("reference", "kind", "status", "updated_at", "submitted_at", "decided_at")
        .order_by("-created_at")
    )


@fixed_read
def _application_by_reference(applicant_id, reference):
    return Application.objects.filter(applicant=applicant_id, reference=reference).select_related("specialty")


def own_application_of(user, reference):
    """The user's application with this reference, with its specialty, or None (anyone else's)."""
    found = _application_by_reference(user.pk, reference)
    if not found:
        return None
    application = found[0]
    application.applicant = user  # the user already read: no query for it
    return application


@fixed_read
def _events_with_their_application(applicant_id, reference):
    return ApplicationEvent.objects.filter(
        application__applicant=applicant_id, application__reference=reference
    ).select_related("application__specialty")


def own_application_with_events(user, reference):
    """(the user's application with this reference and its specialty, its events newest first),
    in one read when it has events (every submitted one has); (None, []) for anyone else's."""
    events = _events_with_their_application(user.pk, reference)
    if not events:
        return own_application_of(user, reference), []
    # Each row brought its own copy of the application: all events share the first.
    application = events[0].application
    application.applicant = user  # the user already read: no query for it
    for event in events:
        event.application = application
    return application, events


def applications_of(user):
    """The user's applications, newest first, with what طلباتي shows of them."""
    return _applications_of(user.pk)


def is_practitioner(user):
    return PractitionerProfile.objects.filter(user=user).exists()


def can_apply(user):
    return not is_practitioner(user) and open_application_of(user) is None


def save_draft(applicant, data, application=None):
    """Create the applicant's draft with `data`, or write `data` to their editable `application`.

    `data` maps field names to values (documents as uploaded files). A new draft gets its
    reference and its first event. An existing application is locked and re-checked, so a save
    from a stale page cannot undo a submission or a reviewer's change made meanwhile; only the
    given fields are written. A document that a new upload replaces is deleted once the change
    is committed (never before: a rolled-back save keeps it).
    """
    if application is None:
        if not can_apply(applicant):
            raise CannotApply
        return create_draft(applicant, data, ApplicationKind.REGISTRATION)
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk, applicant=applicant)
        if not locked.is_editable:
            raise NotEditable
        replaced = [
            getattr(locked, kind.value).name
            for kind in DocumentKind
            if kind.value in data and getattr(locked, kind.value) and data[kind.value] is not None
        ]
        for field, value in data.items():
            setattr(locked, field, value)
        locked.save(update_fields=[*data, "updated_at"])
        storage = Application._meta.get_field(DocumentKind.EMPLOYER_LETTER).storage
        for name in replaced:
            transaction.on_commit(partial(storage.delete, name))
    return locked


def create_draft(applicant, data, kind):
    """A new draft of `kind` with its reference and first event (the caller checked that this
    person may apply for it). Two at once for one person: the one-open-application constraint
    lets only one through, the other raises CannotApply."""
    try:
        with transaction.atomic():
            application = Application.objects.create(applicant=applicant, kind=kind, **data)
            assign_yearly_number(application, "reference", REFERENCE_PREFIXES[kind])
            ApplicationEvent.objects.create(
                application=application, from_status="", to_status=ApplicationStatus.DRAFT, actor=applicant
            )
    except IntegrityError as error:
        # The same first save posted twice at once: the one-open-application constraint decided.
        raise CannotApply from error
    return application
