"""`manage.py seed_bulk N`: N practitioners and N applicants, fast, into PostgreSQL (COPY).

Creates 2N accounts (one Argon2 hash computed once and shared, so the password of every bulk
account is BULK_PASSWORD), N practitioner profiles with their approved applications, and N
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

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import User
from accounts.national_id import luhn_check_digit
from profiles.membership import make_membership_number
from profiles.models import PractitionerProfile, Profession
from registration.models import Application, ApplicationEvent, ApplicationStatus, Nationality

BULK_PASSWORD = "Bulk-Demo-Password-2026"  # noqa: S105  # nosec B105
FIRST_NAMES = ["محمد", "أحمد", "عبدالله", "فاطمة", "نورة", "سارة", "خالد", "علي", "ريم", "يوسف", "مريم", "هند"]
FATHER_NAMES = ["سعد", "فهد", "ناصر", "إبراهيم", "صالح", "حمد", "منصور", "عمر"]
FAMILY_NAMES = ["القحطاني", "العتيبي", "الحربي", "الغامدي", "الشهري", "الدوسري", "الزهراني", "المطيري", "العنزي"]
SPECIALTIES = ["طب الأسرة", "طب الأطفال", "التمريض", "الصيدلة السريرية", "الأشعة", "المختبرات"]
APPLICANT_PATHS = {
    ApplicationStatus.DRAFT: ["draft"],
    ApplicationStatus.SUBMITTED: ["draft", "submitted"],
    ApplicationStatus.UNDER_REVIEW: ["draft", "submitted", "under_review"],
    ApplicationStatus.RETURNED: ["draft", "submitted", "under_review", "returned"],
    ApplicationStatus.REJECTED: ["draft", "submitted", "under_review", "rejected"],
}
APPROVED_PATH = ["draft", "submitted", "under_review", "approved"]
# National IDs from this serial upwards belong to bulk accounts (demo and test data use fewer).
FIRST_SERIAL = 30_000_000


def copy_rows(table, columns, rows, batch_size, progress):
    """COPY `rows` (tuples) into `table`, `batch_size` at a time, reporting each batch."""
    # A thread writes the next batch while PostgreSQL takes this one: two cores, both busy.
    batches = queue.Queue(maxsize=2)

    def produce():
        rows_left = iter(rows)
        while batch := list(itertools.islice(rows_left, batch_size)):
            text = "".join("\t".join(r"\N" if value is None else str(value) for value in row) + "\n" for row in batch)
            batches.put((len(batch), text))
        batches.put(None)

    producer = threading.Thread(target=produce, daemon=True)
    producer.start()
    done = 0
    while (item := batches.get()) is not None:
        size, text = item
        # One transaction a batch: the deferred foreign-key checks queue only a batch's rows.
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.cursor.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN", io.StringIO(text))
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


def columns_of(model):
    """The table's columns in the model's order: the order the row generators yield values in."""
    return [field.column for field in model._meta.concrete_fields]


class Command(BaseCommand):
    help = "Create N practitioners and N applicants (with applications) in PostgreSQL, fast."

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

        password = make_password(BULK_PASSWORD)
        now = timezone.now()
        year = timezone.localdate().year
        serial_start = FIRST_SERIAL + User.objects.filter(email__startswith="bulk").count()
        first_user, first_profile, first_application, first_event = (
            next_id(User),
            next_id(PractitionerProfile),
            next_id(Application),
            next_id(ApplicationEvent),
        )
        statuses = list(APPLICANT_PATHS)
        professions = Profession.values  # an enum property: read it once, not per row
        now = now.isoformat()

        def is_resident(index):
            return index % 4 == 3  # a quarter of the accounts are residents (iqama numbers)

        def national_id(index):
            first_nine = f"{2 if is_resident(index) else 1}{serial_start + index:08d}"
            return first_nine + luhn_check_digit(first_nine)

        def user_rows():
            for index in range(2 * count):
                user_id = first_user + index
                name = " ".join(
                    (
                        FIRST_NAMES[index % len(FIRST_NAMES)],
                        FATHER_NAMES[index // 7 % len(FATHER_NAMES)],
                        FAMILY_NAMES[index // 3 % len(FAMILY_NAMES)],
                    )
                )
                yield (
                    user_id,
                    password,
                    national_id(index),
                    f"bulk{user_id}@example.sa",
                    name,
                    "",
                    True,
                    False,
                    False,
                    now,
                    now,
                    "2026-11",
                    now,
                    "ar",
                )

        def profile_rows():
            for index in range(count):
                profile_id = first_profile + index
                yield (
                    profile_id,
                    first_user + index,
                    make_membership_number(year, profile_id),
                    professions[index % len(professions)],
                    SPECIALTIES[index % len(SPECIALTIES)],
                    f"+9665{index % 100_000_000:08d}",
                    f"bulk{first_user + index}@example.sa",
                    "الرياض",
                    "",
                    "مستشفى الملك فهد",
                    "",
                    now,  # data confirmed
                    0,  # postponements
                    1,  # version
                    now,
                    now,
                )

        def application_rows():
            for index in range(2 * count):
                application_id = first_application + index
                practitioner = index < count
                status = ApplicationStatus.APPROVED if practitioner else statuses[index % len(statuses)]
                resident = is_resident(index)
                submitted = status != ApplicationStatus.DRAFT
                decided = status in (ApplicationStatus.APPROVED, ApplicationStatus.RETURNED, ApplicationStatus.REJECTED)
                yield (
                    application_id,
                    f"REG-{year}-{application_id:06d}",
                    first_user + index,
                    status,
                    Nationality.NON_SAUDI if resident else Nationality.SAUDI,
                    "1985-05-14",
                    national_id(index) if resident else "",
                    "2027-12-31" if resident else None,
                    professions[index % len(professions)],
                    SPECIALTIES[index % len(SPECIALTIES)],
                    "مستشفى الملك فهد",
                    "2026-11-01",
                    f"documents/bulk-{application_id}.pdf" if index % 10 else "",
                    f"documents/bulk-{application_id}-iqama.pdf" if resident else "",
                    "",
                    "" if status != ApplicationStatus.RETURNED else "خطاب جهة العمل غير واضح",
                    now,
                    now,
                    now if submitted else None,
                    now if decided else None,
                )

        def event_rows():
            event_id = first_event
            for index in range(2 * count):
                practitioner = index < count
                path = APPROVED_PATH if practitioner else APPLICANT_PATHS[statuses[index % len(statuses)]]
                previous = ""
                for step in path:
                    yield (event_id, first_application + index, previous, step, first_user + index, "", now)
                    event_id += 1
                    previous = step

        copy_rows(
            User._meta.db_table,
            [
                "id",
                "password",
                "national_id",
                "email",
                "full_name_ar",
                "full_name_en",
                "is_active",
                "is_staff",
                "is_superuser",
                "date_joined",
                "email_verified_at",
                "terms_version",
                "terms_accepted_at",
                "preferred_language",
            ],
            user_rows(),
            batch_size,
            progress,
        )
        copy_rows(
            PractitionerProfile._meta.db_table,
            columns_of(PractitionerProfile),
            profile_rows(),
            batch_size,
            progress,
        )
        copy_rows(
            Application._meta.db_table,
            columns_of(Application),
            application_rows(),
            batch_size,
            progress,
        )
        copy_rows(
            ApplicationEvent._meta.db_table,
            columns_of(ApplicationEvent),
            event_rows(),
            batch_size,
            progress,
        )
        for model in (User, PractitionerProfile, Application, ApplicationEvent):
            reset_sequence(model)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        self.stdout.write(
            self.style.SUCCESS(
                f"{2 * count:,} accounts, {count:,} profiles, {2 * count:,} applications in "
                f"{time.monotonic() - started:.0f} s (password of every bulk account: {BULK_PASSWORD})"
            )
        )
