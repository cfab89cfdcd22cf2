"""`manage.py seed_watchlists N`: N approved organisations that watch every registration in the
database between them (each its own slice), and a day's worth of changes, fast (COPY).

For the scale figures of the daily alert (docs/performance.md): after `seed_bulk 1000000`,
`seed_watchlists 10000` makes 10,000 organisations watching a million practitioners in all, each
addition recorded for the practitioner as the watchlist does. `--changes K` also suspends, lifts
suspensions and renews K registrations yesterday and lets a third as many expire yesterday, so
the next morning's alert has something to say.
"""

import time
from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from employers.alerts import day_bounds
from employers.models import Organisation, OrganisationStatus, WatchAction, WatchedPractitioner, WatchRecord
from registry.models import Registration, RegistrationEvent, RegistrationEventKind

from .seed_bulk import copy_rows, next_id, reset_sequence

CHANGE_KINDS = [RegistrationEventKind.RENEWED, RegistrationEventKind.SUSPENDED, RegistrationEventKind.REINSTATED]
# Commercial registrations of seeded organisations start here (demo and tests use fewer).
FIRST_COMMERCIAL_REGISTRATION = 7_000_000_000


class Command(BaseCommand):
    help = "Create N approved organisations watching every registration between them, and yesterday's changes."

    def add_arguments(self, parser):
        parser.add_argument("count", type=int)
        parser.add_argument("--changes", type=int, default=3000)
        parser.add_argument("--batch-size", type=int, default=100_000)

    def handle(self, *args, count, changes, batch_size, **options):
        if connection.vendor != "postgresql":
            raise CommandError("seed_watchlists uses PostgreSQL's COPY: set DATABASE_URL to a postgres:// URL.")
        started = time.monotonic()

        def progress(table, done):
            self.stdout.write(f"  {table}: {done:,} rows  ({time.monotonic() - started:.0f} s)")
            self.stdout.flush()

        now = timezone.now()
        registrations = list(Registration.objects.order_by("pk").values_list("pk", flat=True))
        first_organisation = next_id(Organisation)
        copy_rows(Organisation, self.organisations(first_organisation, count, now), batch_size, progress)
        share = -(-len(registrations) // count)  # each organisation's slice, rounded up

        def watched():
            first = next_id(WatchedPractitioner)
            for index, registration_id in enumerate(registrations):
                organisation_id = first_organisation + index // share
                yield {"id": first + index, "organisation_id": organisation_id, "practitioner_id": registration_id}

        def records():
            first = next_id(WatchRecord)
            for index, registration_id in enumerate(registrations):
                yield {
                    "id": first + index,
                    "organisation_id": first_organisation + index // share,
                    "practitioner_id": registration_id,
                    "action": WatchAction.ADDED,
                    "at": now,
                }

        copy_rows(WatchedPractitioner, ({**row, "added_at": now} for row in watched()), batch_size, progress)
        copy_rows(WatchRecord, records(), batch_size, progress)
        self.yesterdays_changes(registrations, changes, batch_size, progress)
        for model in (Organisation, WatchedPractitioner, WatchRecord, RegistrationEvent):
            reset_sequence(model)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        self.stdout.write(
            self.style.SUCCESS(
                f"{count:,} organisations watching {len(registrations):,} practitioners, {changes:,} changes "
                f"yesterday, in {time.monotonic() - started:.0f} s"
            )
        )

    def organisations(self, first, count, now):
        for index in range(count):
            yield {
                "id": first + index,
                "name_ar": f"منشأة صحية رقم {index + 1}",
                "name_en": f"Health facility {index + 1}",
                "commercial_registration": str(FIRST_COMMERCIAL_REGISTRATION + first + index),
                "facility_licence": f"BULK-{first + index}",
                "city": "الرياض",
                "contact_email": f"facility{first + index}@bulk.example.sa",
                "status": OrganisationStatus.APPROVED,
                "decided_at": now,
                "created_at": now,
            }

    def yesterdays_changes(self, registrations, changes, batch_size, progress):
        """Events yesterday on `changes` registrations spread over the register, and a third as
        many registrations whose last valid day was yesterday."""
        if not changes or not registrations:
            return
        today = timezone.localdate()
        at = day_bounds(today - timedelta(days=1))[0] + timedelta(hours=11)
        step = max(len(registrations) // changes, 1)
        changed = registrations[::step][:changes]
        first = next_id(RegistrationEvent)
        valid_until = today + timedelta(days=365)
        events = (
            {
                "id": first + index,
                "registration_id": registration_id,
                "kind": CHANGE_KINDS[index % len(CHANGE_KINDS)],
                "valid_until": valid_until,
                "at": at,
            }
            for index, registration_id in enumerate(changed)
        )
        copy_rows(RegistrationEvent, events, batch_size, progress)
        expiring = registrations[step // 2 :: step * 3][: changes // 3]
        Registration.objects.filter(pk__in=expiring).update(valid_until=today - timedelta(days=1))
