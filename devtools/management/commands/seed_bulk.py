"""`manage.py seed_bulk N`: N practitioners and N applicants, fast, into PostgreSQL (COPY).

Creates 2N accounts (one Argon2 hash computed once and shared, so the password of every bulk
account is BULK_PASSWORD), N practitioner profiles with their registrations (registered 1 to
700 days ago, one in fifty suspended; each with its certificate) and approved applications, and N
applications of applicants spread over every other status, with their documents' names and
their timelines (about 3 events an application). Progress is printed as it goes. For scale
tests, not for production data; each batch commits on its own, so an interrupted run leaves
the batches it finished.
"""

import io
import itertools
import queue
import threading
import time
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import User
from accounts.national_id import luhn_check_digit
from applications.models import Application, ApplicationEvent, ApplicationKind, ApplicationStatus, Nationality
from profiles.membership import make_membership_number
from profiles.models import PractitionerProfile, Profession, Specialty
from registry.codes import ALPHABET, CODE_LENGTH
from registry.models import Certificate, Registration, RegistrationEvent, RegistrationEventKind, RegistrationStatus
from registry.validity import period_end

BULK_PASSWORD = "Bulk-Demo-Password-2026"  # noqa: S105  # nosec B105
FIRST_NAMES = ["محمد", "أحمد", "عبدالله", "فاطمة", "نورة", "سارة", "خالد", "علي", "ريم", "يوسف", "مريم", "هند"]
FATHER_NAMES = ["سعد", "فهد", "ناصر", "إبراهيم", "صالح", "حمد", "منصور", "عمر"]
FAMILY_NAMES = ["القحطاني", "العتيبي", "الحربي", "الغامدي", "الشهري", "الدوسري", "الزهراني", "المطيري", "العنزي"]
APPLICANT_PATHS = {
    ApplicationStatus.DRAFT: ["draft"],
    ApplicationStatus.SUBMITTED: ["draft", "submitted"],
    ApplicationStatus.UNDER_REVIEW: ["draft", "submitted", "under_review"],
    ApplicationStatus.RETURNED: ["draft", "submitted", "under_review", "returned"],
    ApplicationStatus.REJECTED: ["draft", "submitted", "under_review", "rejected"],
}
APPROVED_PATH = ["draft", "submitted", "under_review", "approved"]
# Seconds between two bulk applications' submissions (a million practitioners' and a million
# applicants' then span about a year).
APPLICATION_SPACING = timedelta(seconds=15)
# National IDs from this serial upwards belong to bulk accounts (demo and test data use fewer).
FIRST_SERIAL = 30_000_000


def copy_rows(model, rows, batch_size, progress):
    """COPY `rows` into the model's table, `batch_size` at a time, reporting each batch.

    Each row is a dict keyed by field name (`attname`: `applicant_id`, not `applicant`); a field
    it leaves out takes the field's default (empty text, None, or the default the model gives),
    and a name the model does not have is refused, so a new or reordered column cannot shift
    the values into the wrong ones."""
    fields = model._meta.concrete_fields
    names = {field.attname for field in fields}
    defaults = {field.attname: field.get_default() for field in fields}
    # A thread writes the next batch while PostgreSQL takes this one: two cores, both busy.
    batches = queue.Queue(maxsize=2)

    def line(row):
        unknown = row.keys() - names
        if unknown or model._meta.pk.attname not in row:
            raise CommandError(f"{model.__name__} row without its id or with unknown fields {sorted(unknown)}")
        values = (row.get(name, defaults[name]) for name in defaults)
        return "\t".join(r"\N" if value is None else str(value) for value in values) + "\n"

    def produce():
        rows_left = iter(rows)
        while batch := list(itertools.islice(rows_left, batch_size)):
            batches.put((len(batch), "".join(line(row) for row in batch)))
        batches.put(None)

    producer = threading.Thread(target=produce, daemon=True)
    producer.start()
    table = model._meta.db_table
    columns = ", ".join(field.column for field in fields)
    done = 0
    while (item := batches.get()) is not None:
        size, text = item
        # One transaction a batch: the deferred foreign-key checks queue only a batch's rows.
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.cursor.copy_expert(f"COPY {table} ({columns}) FROM STDIN", io.StringIO(text))
        done += size
        progress(table, done)
    producer.join()


def reset_sequence(model):
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE(MAX(id), 1)) FROM {table}"  # noqa: S608  # nosec B608
        )


def next_id(model):
    return (model.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1


def bulk_certificate_code(index):
    """A unique certificate code for bulk row `index`: its number in the codes' own alphabet."""
    digits = []
    for _ in range(CODE_LENGTH):
        index, remainder = divmod(index, len(ALPHABET))
        digits.append(ALPHABET[remainder])
    return "".join(reversed(digits))


class BulkRows:
    """The rows of one seed_bulk run: N practitioners (indexes 0…N-1) and N applicants (N…2N-1)."""

    def __init__(self, count):
        self.count = count
        self.password = make_password(BULK_PASSWORD)
        self.today = timezone.localdate()
        self.now = timezone.now().isoformat()
        # Applications spread over the past, practitioners' and applicants' in turn, as they would
        # arrive: a list ordered by submission then mixes statuses, as the real one does.
        self.first_moment = timezone.now() - APPLICATION_SPACING * 2 * count
        self.serial_start = FIRST_SERIAL + User.objects.filter(email__startswith="bulk").count()
        self.first = {
            model: next_id(model)
            for model in (
                User,
                PractitionerProfile,
                Application,
                ApplicationEvent,
                Registration,
                RegistrationEvent,
                Certificate,
            )
        }
        self.statuses = list(APPLICANT_PATHS)
        self.professions = Profession.values  # an enum property: read it once, not per row
        # Each profession's first offered specialty (the list's data migration made them).
        self.specialty_ids = {
            profession: Specialty.objects.filter(profession=profession, is_offered=True).values_list("pk", flat=True)[0]
            for profession in self.professions
        }

    def profession_and_specialty(self, index):
        profession = self.professions[index % len(self.professions)]
        return {"profession": profession, "specialty_id": self.specialty_ids[profession]}

    @staticmethod
    def is_resident(index):
        return index % 4 == 3  # a quarter of the accounts are residents (iqama numbers)

    def national_id(self, index):
        first_nine = f"{2 if self.is_resident(index) else 1}{self.serial_start + index:08d}"
        return first_nine + luhn_check_digit(first_nine)

    def user_id(self, index):
        return self.first[User] + index

    def registration_dates(self, index):
        """Registered 1 to 700 days ago, so some expire within days and a few have expired."""
        registered_on = self.today - timedelta(days=1 + index % 700)
        return registered_on, period_end(registered_on, settings.REGISTRATION_VALIDITY_MONTHS)

    def users(self):
        for index in range(2 * self.count):
            name = " ".join(
                (
                    FIRST_NAMES[index % len(FIRST_NAMES)],
                    FATHER_NAMES[index // 7 % len(FATHER_NAMES)],
                    FAMILY_NAMES[index // 3 % len(FAMILY_NAMES)],
                )
            )
            yield {
                "id": self.user_id(index),
                "password": self.password,
                "national_id": self.national_id(index),
                "email": f"bulk{self.user_id(index)}@example.sa",
                "full_name_ar": name,
                "is_active": True,
                "is_staff": False,
                "is_superuser": False,
                "date_joined": self.now,
                "email_verified_at": self.now,
                "terms_version": "2026-11",
                "terms_accepted_at": self.now,
            }

    def profiles(self):
        for index in range(self.count):
            profile_id = self.first[PractitionerProfile] + index
            yield {
                "id": profile_id,
                "user_id": self.user_id(index),
                "membership_number": make_membership_number(self.today.year, profile_id),
                **self.profession_and_specialty(index),
                "mobile": f"+9665{index % 100_000_000:08d}",
                "email": f"bulk{self.user_id(index)}@example.sa",
                "city": "الرياض",
                "employer": "مستشفى الملك فهد",
                "data_confirmed_at": self.now,
                "created_at": self.now,
                "updated_at": self.now,
            }

    def registrations(self):
        for index in range(self.count):
            registered_on, valid_until = self.registration_dates(index)
            suspended = index % 50 == 49
            yield {
                "id": self.first[Registration] + index,
                "profile_id": self.first[PractitionerProfile] + index,
                "registered_on": registered_on,
                "period_start": registered_on,
                "valid_until": valid_until,
                "status": RegistrationStatus.SUSPENDED if suspended else RegistrationStatus.ACTIVE,
                "status_reason": "إيقاف مؤقت للمراجعة" if suspended else "",
                "created_at": self.now,
                "updated_at": self.now,
            }

    def registration_events(self):
        for index in range(self.count):
            yield {
                "id": self.first[RegistrationEvent] + index,
                "registration_id": self.first[Registration] + index,
                "kind": RegistrationEventKind.REGISTERED,
                "valid_until": self.registration_dates(index)[1],
                "at": self.now,
            }

    def certificates(self):
        for index in range(self.count):
            yield {
                "id": self.first[Certificate] + index,
                "registration_id": self.first[Registration] + index,
                "code": bulk_certificate_code(self.first[Certificate] + index),
                "issued_at": self.now,
            }

    def moment(self, index):
        """When application `index` was made, submitted and (if it was) decided."""
        slot = 2 * index if index < self.count else 2 * (index - self.count) + 1
        return (self.first_moment + APPLICATION_SPACING * slot).isoformat()

    def status_of(self, index):
        return ApplicationStatus.APPROVED if index < self.count else self.statuses[index % len(self.statuses)]

    def applications(self):
        decided = (ApplicationStatus.APPROVED, ApplicationStatus.RETURNED, ApplicationStatus.REJECTED)
        for index in range(2 * self.count):
            application_id = self.first[Application] + index
            status = self.status_of(index)
            resident = self.is_resident(index)
            yield {
                "id": application_id,
                "reference": f"REG-{self.today.year}-{application_id:06d}",
                "kind": ApplicationKind.REGISTRATION,
                "applicant_id": self.user_id(index),
                "status": status,
                "nationality": Nationality.NON_SAUDI if resident else Nationality.SAUDI,
                "date_of_birth": "1985-05-14",
                "iqama_number": self.national_id(index) if resident else "",
                "iqama_expiry": "2027-12-31" if resident else None,
                **self.profession_and_specialty(index),
                "employer": "مستشفى الملك فهد",
                "employer_letter_date": "2026-11-01",
                "employer_letter": f"documents/bulk-{application_id}.pdf" if index % 10 else "",
                "iqama_copy": f"documents/bulk-{application_id}-iqama.pdf" if resident else "",
                "decision_reason": "خطاب جهة العمل غير واضح" if status == ApplicationStatus.RETURNED else "",
                "created_at": self.moment(index),
                "updated_at": self.moment(index),
                "submitted_at": self.moment(index) if status != ApplicationStatus.DRAFT else None,
                "decided_at": self.moment(index) if status in decided else None,
            }

    def application_events(self):
        event_id = self.first[ApplicationEvent]
        for index in range(2 * self.count):
            path = APPROVED_PATH if index < self.count else APPLICANT_PATHS[self.status_of(index)]
            previous = ""
            for step in path:
                yield {
                    "id": event_id,
                    "application_id": self.first[Application] + index,
                    "from_status": previous,
                    "to_status": step,
                    "actor_id": self.user_id(index),
                    "created_at": self.moment(index),
                }
                event_id += 1
                previous = step


class Command(BaseCommand):
    help = "Create N practitioners (registered) and N applicants (with applications) in PostgreSQL, fast."

    def add_arguments(self, parser):
        parser.add_argument("count", type=int)
        parser.add_argument("--batch-size", type=int, default=100_000)

    def handle(self, *args, count, batch_size, **options):
        if connection.vendor != "postgresql":
            raise CommandError("seed_bulk uses PostgreSQL's COPY: set DATABASE_URL to a postgres:// URL.")
        started = time.monotonic()

        def progress(table, done):
            self.stdout.write(f"  {table}: {done:,} rows  ({time.monotonic() - started:.0f} s)")
            self.stdout.flush()

        rows = BulkRows(count)
        copy_rows(User, rows.users(), batch_size, progress)
        copy_rows(PractitionerProfile, rows.profiles(), batch_size, progress)
        copy_rows(Registration, rows.registrations(), batch_size, progress)
        copy_rows(RegistrationEvent, rows.registration_events(), batch_size, progress)
        copy_rows(Certificate, rows.certificates(), batch_size, progress)
        copy_rows(Application, rows.applications(), batch_size, progress)
        copy_rows(ApplicationEvent, rows.application_events(), batch_size, progress)
        for model in rows.first:
            reset_sequence(model)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        self.stdout.write(
            self.style.SUCCESS(
                f"{2 * count:,} accounts, {count:,} profiles and registrations, {2 * count:,} applications in "
                f"{time.monotonic() - started:.0f} s (password of every bulk account: {BULK_PASSWORD})"
            )
        )
