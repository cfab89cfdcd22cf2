"""Saving an applicant's draft application (creating it, with its reference, on first save)."""

from django.db import transaction
from django.utils import timezone

from .models import CLOSED_STATUSES, Application, ApplicationEvent, ApplicationStatus


def make_reference(application):
    """Readable and unique: REG-<year>-<id>, the id being unique across years."""
    return f"REG-{timezone.localdate().year}-{application.pk:06d}"


def open_application_of(user):
    """The user's application that is not approved or rejected, if any."""
    return Application.objects.filter(applicant=user).exclude(status__in=CLOSED_STATUSES).first()


def save_draft(form, applicant):
    """Save the form's data; a new application gets its reference and a first timeline entry."""
    with transaction.atomic():
        application = form.save(commit=False)
        is_new = application.pk is None
        if is_new:
            application.applicant = applicant
        application.save()
        if is_new:
            application.reference = make_reference(application)
            application.save(update_fields=["reference"])
            ApplicationEvent.objects.create(
                application=application, from_status="", to_status=ApplicationStatus.DRAFT, actor=applicant
            )
    return application


def keep_valid_documents(application, documents):
    """After a failed validation, still store the uploads that passed their own checks."""
    if not documents or application.pk is None:
        return
    with transaction.atomic():
        for name, uploaded in documents.items():
            setattr(application, name, uploaded)
        application.save(update_fields=[*documents, "updated_at"])
