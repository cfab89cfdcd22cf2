"""The person's data rights: a copy of everything held about them, and closing an applicant's account.

Here, in the app at the top of the import order, because a copy spans every app: the account
(accounts), the practitioner record and data-update requests (profiles), the registration with
its certificates and share codes (register), the applications and their events and documents
(registration).
"""

import json
import logging
import shutil
import tempfile
import zipfile
from functools import partial

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth import get_user_model
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from accounts.models import Session
from applications.documents import kind_from_stored_name
from applications.models import Application, ApplicationStatus, CPDActivity, DocumentKind
from core.models import OutboundEmail
from profiles.models import DataUpdateRequest, PractitionerProfile, Specialty
from registry.models import Registration

security_log = logging.getLogger("mumaris.security")
ACCOUNT_FIELDS = (
    "national_id",
    "email",
    "full_name_ar",
    "full_name_en",
    "preferred_language",
    "date_joined",
    "email_verified_at",
    "last_login",
)
# Every field of the record and the applications, but the ones that say nothing about the
# person (ids, counters) and the documents (which go into the ZIP as files).
PROFILE_FIELDS = tuple(
    field.name
    for field in PractitionerProfile._meta.concrete_fields
    if field.name not in {"id", "user", "version", "data_review_postponements"}
)
APPLICATION_FIELDS = tuple(
    field.name
    for field in Application._meta.concrete_fields
    if field.name not in {"id", "applicant", "updated_at", *DocumentKind.values}
)
CPD_FIELDS = ("title", "provider", "completed_on", "hours", "status", "reason", "created_at", "decided_at")
REGISTRATION_FIELDS = ("registered_on", "period_start", "valid_until", "status", "status_reason")
SHARE_CODE_FIELDS = (
    "code",
    "label",
    "shares_work_history",
    "shares_timeline",
    "created_at",
    "expires_at",
    "revoked_at",
    "view_count",
)
# While a reviewer may be reading the file, it cannot be closed: the decision comes first.
IN_REVIEW = (ApplicationStatus.SUBMITTED, ApplicationStatus.UNDER_REVIEW)


def _fields(obj, names):
    return {name: _plain(getattr(obj, name)) for name in names}


def _plain(value):
    """A specialty (a row of the list) as its names in both languages; other values as they are."""
    if isinstance(value, Specialty):
        return {"ar": value.name_ar, "en": value.name_en}
    return value


def registration_data(profile):
    """The registration, its timeline, certificates and share codes (with when each was opened)."""
    registration = Registration.objects.filter(profile=profile).first() if profile else None
    if registration is None:
        return None
    return {
        **_fields(registration, REGISTRATION_FIELDS),
        "events": [
            {"event": event.kind, "valid_until": event.valid_until, "reason": event.reason, "at": event.at}
            for event in registration.events.all()
        ],
        "certificates": list(registration.certificates.values("code", "issued_at", "replaced_at")),
        "share_codes": [
            {
                **_fields(share_code, SHARE_CODE_FIELDS),
                "opened_at": list(share_code.views.values_list("at", flat=True)),
            }
            for share_code in registration.share_codes.all()
        ],
    }


def personal_data(user):
    """Everything held about `user`, as plain values (nothing about anyone else: reviewers are
    named by role, not by name)."""
    profile = PractitionerProfile.objects.filter(user=user).first()
    applications = Application.objects.filter(applicant=user).prefetch_related("events").order_by("created_at")
    return {
        "account": _fields(user, ACCOUNT_FIELDS),
        "consents": [{"terms_version": user.terms_version, "accepted_at": user.terms_accepted_at}],
        "practitioner_record": _fields(profile, PROFILE_FIELDS) if profile else None,
        "data_update_requests": [
            {
                "number": request.number,
                "status": request.status,
                "changes": request.changes,
                "reason": request.reason,
                "created_at": request.created_at,
                "decided_at": request.decided_at,
            }
            for request in DataUpdateRequest.objects.filter(profile=profile).order_by("created_at")
        ]
        if profile
        else [],
        "registration": registration_data(profile),
        "continuing_education": [
            _fields(activity, CPD_FIELDS)
            for activity in CPDActivity.objects.filter(profile=profile).order_by("completed_on")
        ]
        if profile
        else [],
        "applications": [
            {
                **_fields(application, APPLICATION_FIELDS),
                "documents": [kind.value for kind in DocumentKind if application.document(kind)],
                "events": [
                    {
                        "from": event.from_status,
                        "to": event.to_status,
                        "by": "you" if event.actor_id == user.pk else "a reviewer",
                        "reason": event.reason,
                        "at": event.created_at,
                    }
                    for event in application.events.all()
                ],
            }
            for application in applications
        ],
        "exported_at": timezone.now(),
    }


def stored_documents(user):
    """(name in the ZIP, stored file) of each document the person uploaded."""
    for activity in CPDActivity.objects.filter(profile__user=user):
        extension = kind_from_stored_name(activity.certificate.name) or "pdf"
        yield f"documents/CPD-{activity.pk}.{extension}", activity.certificate
    for application in Application.objects.filter(applicant=user):
        for kind in DocumentKind:
            document = application.document(kind)
            if document:
                extension = kind_from_stored_name(document.name) or "pdf"
                yield f"documents/{application.reference}-{kind.value}.{extension}", document


def personal_data_zip(user):
    """A ZIP of `data.json` and the person's own uploaded documents, as an open temporary file at
    its start (deleted when closed). Each document is copied through a small buffer, so memory
    stays flat however many and large the documents are."""
    archive_file = tempfile.TemporaryFile()  # noqa: SIM115  # closed by whoever sends it
    with zipfile.ZipFile(archive_file, "w", zipfile.ZIP_DEFLATED) as archive:
        data = json.dumps(personal_data(user), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
        archive.writestr("data.json", data)
        for name, document in stored_documents(user):
            with document.open("rb") as stored, archive.open(name, "w") as copy:
                shutil.copyfileobj(stored, copy)
    archive_file.seek(0)
    security_log.info("personal data exported user=%s", user.pk)
    return archive_file


class CannotClose(Exception):
    """A registered practitioner, or an application under review: `reason` says which."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


def close_account(user):
    """Close an applicant's account: documents deleted, personal data removed, ID and email freed.

    The applications stay (without personal data) so the register's history is whole; a
    practitioner's registration record is never deleted this way.
    """
    if PractitionerProfile.objects.filter(user=user).exists():
        raise CannotClose("practitioner")
    with transaction.atomic():
        locked = get_user_model().objects.select_for_update().get(pk=user.pk)
        applications = list(Application.objects.select_for_update().filter(applicant=locked))
        if any(application.status in IN_REVIEW for application in applications):
            raise CannotClose("in_review")
        for application in applications:
            for kind in DocumentKind:
                document = application.document(kind)
                if document:
                    transaction.on_commit(partial(document.storage.delete, document.name))
                    setattr(application, kind.value, "")
            application.date_of_birth = application.iqama_expiry = application.employer_letter_date = None
            application.iqama_number = application.employer = ""
            application.specialty = None
            application.save()
        forget_traces(locked)
        locked.national_id = f"0{locked.pk:09d}"  # real ID numbers start with 1 or 2
        locked.email = f"closed-{locked.pk}@closed.invalid"
        locked.full_name_ar = "—"
        locked.full_name_en = ""
        locked.is_active = False
        locked.set_unusable_password()
        locked.save()
    security_log.warning("account closed user=%s", user.pk)
    return locked


def forget_traces(user):
    """What else holds the person's ID, email or log-in: the outbox (a reset link waiting to be
    sent), the lockout's rows (keyed by the ID number) and every session, on any device."""
    OutboundEmail.objects.filter(to_address__iexact=user.email).delete()
    for lockout_model in (AccessAttempt, AccessFailureLog, AccessLog):
        lockout_model.objects.filter(username=user.national_id).delete()
    # Each session's row names its user as its data do (accounts/sessions.py).
    Session.objects.filter(user=user).delete()
