"""The date a person is told: the service level and the queue's expected decision on طلباتي, on
each request's page and in the submission email, in Arabic and English."""

import datetime

import pytest
from django.utils import timezone

from applications.models import ApplicationEvent
from applications.workflow import submit_application
from core.holidays import holiday_dates
from core.service_levels import count_queues
from core.working_days import add_working_days, working_day_before

from ..factories import ApplicationFactory, DataUpdateRequestFactory, UserFactory

pytestmark = pytest.mark.django_db


def at_noon(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def in_english(day):
    """A day as the pages write it in English: the weekday, then the date marked up for machines."""
    return f'{day:%A} <time datetime="{day.isoformat()}">{day.day} {day:%B} {day.year}</time>'


def in_english_text(day):
    return f"{day:%A} {day.day} {day:%B} {day.year}"


def event(application, to_status, day):
    created = ApplicationEvent.objects.create(application=application, from_status="", to_status=to_status)
    ApplicationEvent.objects.filter(pk=created.pk).update(created_at=at_noon(day))


def waiting_application(applicant, day, **fields):
    application = ApplicationFactory(applicant=applicant, status="submitted", submitted_at=at_noon(day), **fields)
    event(application, "submitted", day)
    return application


def decisions_yesterday(count):
    """`count` registrations decided on the last working day: a rate of count / 20 a day."""
    yesterday = working_day_before(timezone.localdate(), 1, holiday_dates())
    for _ in range(count):
        event(ApplicationFactory(applicant=UserFactory(), status="approved"), "approved", yesterday)


def test_my_requests_gives_the_service_level_date_in_arabic(client, alice):
    today = timezone.localdate()
    waiting_application(alice, today)
    due = add_working_days(today, 10, holiday_dates())
    client.force_login(alice)
    page = client.get("/requests/").content.decode()
    assert "موعد البتّ المتوقع في الطلب" in page
    assert "نهدف إلى البتّ في الطلب بحلول يوم" in page
    assert f'<time datetime="{due.isoformat()}">' in page
    assert "المدة المستهدفة بأيام العمل: 10" in page
    assert "بحسب قائمة الانتظار" not in page  # no decision history: the service level alone


def test_my_requests_forecasts_from_the_queue_in_english(client, alice):
    today = timezone.localdate()
    holidays = holiday_dates()
    waiting_application(UserFactory(), today - datetime.timedelta(days=1))
    waiting_application(alice, today)
    decisions_yesterday(10)  # half a decision a working day: 2nd in line, 4 working days
    count_queues(today)  # the periodic job
    client.force_login(alice)
    client.cookies["mumaris_language"] = "en"
    page = client.get("/requests/").content.decode()
    assert f"We aim to decide by {in_english(add_working_days(today, 10, holidays))}" in page
    assert "Our target, in working days: 10." in page
    expected = add_working_days(today, 4, holidays)
    assert f"Expected decision, from the queue today: by {in_english(expected)}" in page
    assert "likely to be late" not in page


def test_a_queue_slower_than_the_target_says_the_request_is_likely_to_be_late(client, alice):
    today = timezone.localdate()
    waiting_application(alice, today)
    decisions_yesterday(1)  # 1 in 20 working days: first in line, 20 working days away
    count_queues(today)  # the periodic job
    client.force_login(alice)
    client.cookies["mumaris_language"] = "en"
    page = client.get(f"/applications/{alice.applications.get().reference}/").content.decode()
    assert (
        f"Expected decision, from the queue today: by {in_english(add_working_days(today, 20, holiday_dates()))}"
        in page
    )
    assert "That is after our target: your request is likely to be late." in page


def test_an_overdue_request_says_so_and_apologises(client, alice):
    submitted = working_day_before(timezone.localdate(), 15, holiday_dates())
    waiting_application(alice, submitted)
    client.force_login(alice)
    page = client.get("/requests/").content.decode()
    assert "تجاوز هذا الطلب الموعد المستهدف للبتّ فيه." in page
    assert "نعتذر عن التأخير" in page
    client.cookies["mumaris_language"] = "en"
    page = client.get("/requests/").content.decode()
    assert "This request is past our target date." in page
    assert "We are sorry for the delay." in page


def test_a_returned_application_says_the_clock_is_paused(client, alice):
    holidays = holiday_dates()
    submitted = working_day_before(timezone.localdate(), 5, holidays)
    application = waiting_application(alice, submitted)
    event(application, "returned", working_day_before(timezone.localdate(), 2, holidays))
    application.status = "returned"
    application.save()
    client.force_login(alice)
    client.cookies["mumaris_language"] = "en"
    for url in ("/requests/", application.get_absolute_url()):
        page = client.get(url).content.decode()
        assert "The clock is paused while the request is with you for correction" in page
        assert "Working days counted so far: 3 of 10." in page
        assert "We aim to decide" not in page


def test_decided_and_draft_applications_show_no_date(client, alice, bob):
    ApplicationFactory(applicant=alice)
    ApplicationFactory(applicant=bob, status="approved")
    for person in (alice, bob):
        client.force_login(person)
        assert "موعد البتّ المتوقع" not in client.get("/requests/").content.decode()


def test_a_data_update_request_has_its_own_service_level(client, pat):
    today = timezone.localdate()
    update_request = DataUpdateRequestFactory(profile=pat.practitioner_profile)
    client.force_login(pat)
    client.cookies["mumaris_language"] = "en"
    due = in_english(add_working_days(today, 5, holiday_dates()))
    for url in ("/requests/", f"/services/requests/{update_request.number}/"):
        page = client.get(url).content.decode()
        assert f"We aim to decide by {due}" in page
        assert "Our target, in working days: 5." in page


def test_the_submission_email_gives_the_service_level_date(alice, outbox, django_capture_on_commit_callbacks):
    alice.preferred_language = "en"
    alice.save()
    application = ApplicationFactory(applicant=alice)
    with django_capture_on_commit_callbacks(execute=True):
        submit_application(application, alice, declared=True)
    due = add_working_days(timezone.localdate(), 10, holiday_dates())
    message = outbox[-1]
    assert f"We aim to decide by {in_english_text(due)} (" in message.body
    assert "AH). Our target, in working days: 10." in message.body
    assert f'<time datetime="{due.isoformat()}">' in message.alternatives[0][0]


def test_the_submission_email_in_arabic(bob, outbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        submit_application(ApplicationFactory(applicant=bob), bob, declared=True)
    assert "نهدف إلى البتّ في الطلب بحلول يوم" in outbox[-1].body
    assert "هـ). المدة المستهدفة بأيام العمل: 10." in outbox[-1].body


def test_the_pages_read_the_last_count_and_never_count_the_queue_themselves(client, alice):
    """Counting a queue at a million rows takes about a second: only the periodic job does it."""
    today = timezone.localdate()
    waiting_application(alice, today)
    decisions_yesterday(10)
    client.force_login(alice)
    client.cookies["mumaris_language"] = "en"
    assert "Expected decision, from the queue today" not in client.get("/requests/").content.decode()
    count_queues(today)
    assert "Expected decision, from the queue today" in client.get("/requests/").content.decode()
