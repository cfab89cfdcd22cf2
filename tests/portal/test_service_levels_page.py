"""معايير الخدمة (/service-levels/): each service's promise and its last 90 days' record, the
figures checked against data counted by hand."""

import datetime

import pytest
from django.utils import timezone

from applications.models import ApplicationEvent
from portal.service_levels import count_published_figures, published_figures

from ..factories import (
    ApplicationFactory,
    CPDActivityFactory,
    DataUpdateRequestFactory,
    PractitionerProfileFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

# December 2020: Sunday 6, 13; no official holiday in the table for that year.
TODAY = datetime.date(2020, 12, 31)


def at_noon(month, day):
    return timezone.make_aware(datetime.datetime(2020, month, day, 12))


def decided_application(history, kind="registration"):
    """An application with its status history: [(to_status, (month, day)), ...]; the last is its decision."""
    final_status, final_day = history[-1]
    application = ApplicationFactory(
        applicant=UserFactory(), kind=kind, status=final_status, decided_at=at_noon(*final_day)
    )
    for to_status, day in history:
        event = ApplicationEvent.objects.create(application=application, from_status="", to_status=to_status)
        ApplicationEvent.objects.filter(pk=event.pk).update(created_at=at_noon(*day))
    return application


def decided_request(created, decided):
    update_request = DataUpdateRequestFactory(
        profile=PractitionerProfileFactory(), status="approved", decided_at=at_noon(*decided)
    )
    type(update_request).objects.filter(pk=update_request.pk).update(created_at=at_noon(*created))


@pytest.fixture
def december_2020():
    # Registrations: 4 working days (6 → 10 December); 2 + 3 with a return in between (6 → 8,
    # back 13 → 16); 10 (3 → 17). One decided before the 90 days, one still waiting.
    decided_application([("submitted", (12, 6)), ("under_review", (12, 7)), ("approved", (12, 10))])
    decided_application(
        [("submitted", (12, 6)), ("returned", (12, 8)), ("submitted", (12, 13)), ("rejected", (12, 16))]
    )
    decided_application([("submitted", (12, 3)), ("approved", (12, 17))])
    decided_application([("submitted", (7, 1)), ("approved", (8, 2))])
    waiting = ApplicationFactory(applicant=UserFactory(), status="submitted")
    ApplicationEvent.objects.create(application=waiting, from_status="draft", to_status="submitted")
    # A renewal: 1 working day.
    decided_application([("submitted", (12, 13)), ("approved", (12, 14))], kind="renewal")
    # Data updates: 1 (Sunday → Monday), 1 (Thursday → Sunday), 5 (Sunday → Sunday).
    decided_request((12, 6), (12, 7))
    decided_request((12, 10), (12, 13))
    decided_request((12, 6), (12, 13))
    # A continuing-education activity still pending: no decision.
    CPDActivityFactory()


def test_the_figures_match_the_hand_counted_decisions(december_2020):
    count_published_figures(TODAY)  # the hourly job
    figures = {row.kind.value: row for row in published_figures()}
    registration = figures["registration"]
    assert (registration.target_days, registration.decisions) == (10, 3)
    assert (registration.median_days, registration.ninetieth_percentile_days) == (5, 10)
    renewal = figures["renewal"]
    assert (renewal.decisions, renewal.median_days, renewal.ninetieth_percentile_days) == (1, 1, 1)
    data_update = figures["data_update"]
    assert (data_update.target_days, data_update.decisions) == (5, 3)
    assert (data_update.median_days, data_update.ninetieth_percentile_days) == (1, 5)
    cpd = figures["cpd"]
    assert (cpd.target_days, cpd.decisions, cpd.median_days, cpd.ninetieth_percentile_days) == (10, 0, None, None)


def test_the_page_in_arabic_has_a_captioned_table_of_every_service(client):
    page = client.get("/service-levels/").content.decode()
    assert '<html lang="ar" dir="rtl">' in page
    assert "<h1>معايير الخدمة</h1>" in page
    assert '<caption id="service-levels-caption">أيام العمل حتى البتّ، لكل خدمة</caption>' in page
    for service in ("التسجيل", "تجديد التسجيل", "تحديث بيانات الأعضاء", "الساعات التعليمية"):
        assert f'<th scope="row">{service}</th>' in page
    assert page.count('<span class="visually-hidden">لا قرارات بعد</span>') == 2 * 4
    assert "<script" not in page.split("<main", 1)[1].split("</main>", 1)[0]


def test_the_page_in_english_shows_the_promise_and_the_record(client, december_2020, monkeypatch):
    real_localdate = timezone.localdate
    # The page counts back from today: today is the last day of December 2020 for this request.
    monkeypatch.setattr(
        timezone, "localdate", lambda value=None, *args: TODAY if value is None else real_localdate(value, *args)
    )
    count_published_figures(TODAY)  # the hourly job
    client.cookies["mumaris_language"] = "en"
    page = client.get("/service-levels/").content.decode()
    assert '<html lang="en" dir="ltr">' in page
    row = page.split('<th scope="row">Registration</th>', 1)[1].split("</tr>", 1)[0]
    assert [cell.split(">", 1)[1].split("<", 1)[0] for cell in row.split("<td")[1:]] == ["10", "3", "5", "10"]
    assert "Member data update" in page


def test_the_footer_links_to_the_page(client):
    assert 'href="/service-levels/"' in client.get("/").content.decode()


def test_the_page_shows_what_the_job_counted_last_and_never_counts_itself(client, december_2020):
    """At a million applications the count reads for half a minute: the page never does it."""
    client.cookies["mumaris_language"] = "en"
    before = client.get("/service-levels/").content.decode()
    row = before.split('<th scope="row">Registration</th>', 1)[1].split("</tr>", 1)[0]
    assert [cell.split(">", 1)[1].split("<", 1)[0] for cell in row.split("<td")[1:]][:2] == ["10", "0"]
    count_published_figures(TODAY)
    after = client.get("/service-levels/").content.decode()
    row = after.split('<th scope="row">Registration</th>', 1)[1].split("</tr>", 1)[0]
    assert [cell.split(">", 1)[1].split("<", 1)[0] for cell in row.split("<td")[1:]][:2] == ["10", "3"]
