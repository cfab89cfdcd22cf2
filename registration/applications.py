"""Saving an applicant's draft application (creating it, with its reference, on first save)."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from profiles.models import PractitionerProfile

from .models import CLOSED_STATUSES, Application, ApplicationEvent, ApplicationStatus


class CannotApply(Exception):
    """A registered practitioner, or someone whose application is already open, cannot start one."""


class NotEditable(Exception):
    """The application left draft / returned (submitted elsewhere, or under review)."""


def make_reference(application):
    """Readable and unique: REG-<year>-<id>, the id being unique across years."""
    return f"REG-{timezone.localdate().year}-{application.pk:06d}"


def open_application_of(user):
    """The user's application that is not approved or rejected, if any."""
    return Application.objects.filter(applicant=user).exclude(status__in=CLOSED_STATUSES).first()


def is_practitioner(user):
    return PractitionerProfile.objects.filter(user=user).exists()


def can_apply(user):
    return not is_practitioner(user) and open_application_of(user) is None


def save_draft(form, applicant):
    """Save a valid ApplicationForm: create the draft (reference, first event) or update it.

    An existing application is locked and re-checked, so a save from a stale page cannot
    undo a submission or a reviewer's change made meanwhile; only the form's fields are written.
    """
    application = form.instance
    if application.pk is None:
        return _create_draft(application, applicant)
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        if not locked.is_editable:
            raise NotEditable
        application.save(update_fields=[*form.Meta.fields, "updated_at"])
    return application


def _create_draft(application, applicant):
    if not can_apply(applicant):
        raise CannotApply
    try:
        with transaction.atomic():
            application.applicant = applicant
            application.save()
            application.reference = make_reference(application)
            application.save(update_fields=["reference"])
            ApplicationEvent.objects.create(
                application=application, from_status="", to_status=ApplicationStatus.DRAFT, actor=applicant
            )
    except IntegrityError as error:
        # The same first save posted twice at once: the one-open-application constraint decided.
        raise CannotApply from error
    return application


def keep_valid_documents(application, documents):
    """After a failed validation, still store the uploads that passed their own checks."""
    if not documents or application.pk is None:
        return
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        if not locked.is_editable:
            return
        for name, uploaded in documents.items():
            setattr(locked, name, uploaded)
        locked.save(update_fields=[*documents, "updated_at"])
