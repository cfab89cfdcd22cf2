"""Renewal reminders: emails at 90, 30 and 7 days before a registration's last valid day and on
the day itself, each once per registration period.

The daily job may run on any server, twice, or after days off: each reminder's outbox key names
the registration, its last valid day and the stage, so the outbox's unique key lets one email
through whatever happens; after a pause only the latest stage reached goes (never "90 days
left" at 20). Practitioners whose renewal is already submitted are not reminded.
"""

import datetime

from django.db.models import Exists, OuterRef
from django.urls import reverse
from icalendar import Alarm, Calendar, Event

from core.emails import queue_email
from core.hijri import calendar_parts
from core.models import OutboundEmail
from core.site import absolute_url
from registry.models import Registration, RegistrationStatus
from registry.validity import REMINDER_DAYS, reminder_due

from .cpd import hours_summary
from .models import Application, ApplicationKind, ApplicationStatus

IN_REVIEW = (ApplicationStatus.SUBMITTED, ApplicationStatus.UNDER_REVIEW)


# The calendar entry's alarm: a week before the last valid day, when the last email but one goes out.
CALENDAR_ALARM_DAYS_BEFORE = 7


def reminder_key(registration, stage):
    return f"renewal-reminder:{registration.pk}:{registration.valid_until.isoformat()}:{stage}"


def expiry_calendar(registration, renewal_url):
    """An all-day iCalendar event on the registration's last valid day, with the renewal link."""
    calendar = Calendar()
    calendar.add("prodid", "-//Mumaris//Renewal reminder//AR")
    calendar.add("version", "2.0")
    event = Event()
    number = registration.profile.display_membership_number
    event.add("uid", f"registration-{registration.pk}-{registration.valid_until.isoformat()}@mumaris")
    event.add("dtstamp", datetime.datetime.now(datetime.UTC))
    event.add("dtstart", registration.valid_until)
    event.add("dtend", registration.valid_until + datetime.timedelta(days=1))
    event.add("summary", f"آخر يوم لصلاحية التسجيل المهني {number} / Registration {number}: last valid day")
    event.add("description", renewal_url)
    event.add("url", renewal_url)
    # The calendar itself reminds them too, while there is still time to renew without a gap.
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("trigger", -datetime.timedelta(days=CALENDAR_ALARM_DAYS_BEFORE))
    alarm.add("description", f"جدّد تسجيلك المهني {number} / Renew registration {number}")
    event.add_component(alarm)
    calendar.add_component(event)
    return calendar.to_ical().decode()


def due_reminders(today):
    """(registration, stage) of every reminder due today that has not been sent."""
    last_day = today + datetime.timedelta(days=max(REMINDER_DAYS))
    renewal_in_review = Application.objects.filter(
        applicant=OuterRef("profile__user"), kind=ApplicationKind.RENEWAL, status__in=IN_REVIEW
    )
    candidates = (
        Registration.objects.filter(status=RegistrationStatus.ACTIVE, valid_until__range=(today, last_day))
        .filter(~Exists(renewal_in_review))
        .select_related("profile__user")
        .order_by("valid_until", "pk")
    )
    due = [(registration, reminder_due(registration.valid_until, today)) for registration in candidates]
    keys = {reminder_key(registration, stage): (registration, stage) for registration, stage in due}
    sent = set(OutboundEmail.objects.filter(key__in=list(keys)).values_list("key", flat=True))
    return [reminder for key, reminder in keys.items() if key not in sent]


def send_renewal_reminders(today):
    """Queue today's reminders; returns how many."""
    renewal_url = absolute_url(reverse("applications:renewal"))
    reminders = due_reminders(today)
    for registration, stage in reminders:
        user = registration.profile.user
        context = {
            "user": user,
            "registration": registration,
            "days_left": (registration.valid_until - today).days,
            "hours": hours_summary(registration.profile, registration, today),
            "hijri_until": calendar_parts(registration.valid_until, user.preferred_language)[1],
            "renewal_url": renewal_url,
            "cpd_url": absolute_url(reverse("applications:cpd")),
        }
        queue_email(
            "applications/email/renewal_reminder",
            context,
            user.email,
            user.preferred_language,
            key=reminder_key(registration, stage),
            calendar=expiry_calendar(registration, renewal_url),
        )
    return len(reminders)
