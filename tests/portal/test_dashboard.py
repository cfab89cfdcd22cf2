"""The supervisors' dashboard: its figures counted from the database against hand-counted data,
who may open it, what it shows in Arabic and English, and a reviewer's "My requests".

Personas: Sami supervises, Rana reviews (and may not open the dashboard), a superuser may."""

import datetime

import pytest
from django.utils import timezone

from applications.models import ApplicationEvent
from portal.dashboard import count_waiting_figures, count_weekly_figures, dashboard_figures
from portal.service_levels import count_published_figures

from ..factories import (
    ApplicationFactory,
    CPDActivityFactory,
    DataUpdateRequestFactory,
    PractitionerProfileFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

# Thursday 31 December 2020; no official holiday in the table for that year.
TODAY = datetime.date(2020, 12, 31)
DASHBOARD = "/admin/dashboard/"
MY_REQUESTS = "/admin/my-requests/"


def at_noon(month, day):
    return timezone.make_aware(datetime.datetime(2020, month, day, 12))


def application(status, history, kind="registration", actor=None, **fields):
    """An application with its status history [(to_status, (month, day))]; the last change by `actor`."""
    made = ApplicationFactory(applicant=UserFactory(), kind=kind, status=status, **fields)
    for index, (to_status, day) in enumerate(history):
        by = actor if index == len(history) - 1 else None
        event = ApplicationEvent.objects.create(application=made, from_status="", to_status=to_status, actor=by)
        ApplicationEvent.objects.filter(pk=event.pk).update(created_at=at_noon(*day))
    return made


def created_on(row, month, day):
    type(row).objects.filter(pk=row.pk).update(created_at=at_noon(month, day))


@pytest.fixture
def waiting_december():
    """Hand-counted on 31 December (10 working days for applications and hours, 5 for updates):
    registrations 2 days (on time), 9 (on time), 2 + 14 after a return (due 23rd: overdue);
    a renewal of 22 (overdue); updates of 5 (due today) and 6 (overdue); hours of 0."""
    application("submitted", [("submitted", (12, 29))], submitted_at=at_noon(12, 29))
    application("under_review", [("submitted", (12, 20)), ("under_review", (12, 21))], submitted_at=at_noon(12, 20))
    application(
        "submitted",
        [("submitted", (12, 6)), ("returned", (12, 8)), ("submitted", (12, 13))],
        submitted_at=at_noon(12, 13),
    )
    application("submitted", [("submitted", (12, 1))], kind="renewal", submitted_at=at_noon(12, 1))
    application("approved", [("submitted", (12, 1)), ("approved", (12, 3))], submitted_at=at_noon(12, 1))
    application("returned", [("submitted", (12, 1)), ("returned", (12, 3))], submitted_at=at_noon(12, 1))
    created_on(DataUpdateRequestFactory(profile=PractitionerProfileFactory()), 12, 24)
    created_on(DataUpdateRequestFactory(profile=PractitionerProfileFactory()), 12, 23)
    created_on(DataUpdateRequestFactory(profile=PractitionerProfileFactory(), status="approved"), 12, 1)
    created_on(CPDActivityFactory(profile=PractitionerProfileFactory()), 12, 31)


def test_waiting_requests_by_kind_and_age_with_the_overdue(waiting_december):
    count_waiting_figures(TODAY)
    figures = {row.kind: row for row in dashboard_figures().waiting}
    assert (figures["registration"].by_age, figures["registration"].overdue) == ((1, 1, 1), 1)
    assert (figures["renewal"].by_age, figures["renewal"].overdue) == ((0, 0, 1), 1)
    assert (figures["data_update"].by_age, figures["data_update"].overdue) == ((1, 1, 0), 1)
    assert (figures["cpd"].by_age, figures["cpd"].overdue) == ((1, 0, 0), 0)
    assert dashboard_figures().overdue == 3


@pytest.fixture
def decided_december(rana, sami):
    """Rana approves one application (2 working days, week of 13 December) and returns one (week
    of the 20th); Sami rejects an update (3 days, week of the 20th) and accepts hours (1 day,
    week of the 27th). A decision in September is before the 12 weeks."""
    application("approved", [("submitted", (12, 14)), ("approved", (12, 16))], actor=rana, decided_at=at_noon(12, 16))
    application("returned", [("submitted", (12, 20)), ("returned", (12, 22))], actor=rana, decided_at=at_noon(12, 22))
    application("approved", [("submitted", (9, 1)), ("approved", (9, 2))], actor=rana, decided_at=at_noon(9, 2))
    update_request = DataUpdateRequestFactory(
        profile=PractitionerProfileFactory(), status="rejected", decided_by=sami, decided_at=at_noon(12, 23)
    )
    created_on(update_request, 12, 20)
    activity = CPDActivityFactory(
        profile=PractitionerProfileFactory(), status="accepted", decided_by=sami, decided_at=at_noon(12, 28)
    )
    created_on(activity, 12, 27)


def test_decisions_per_reviewer_per_week_and_the_weekly_medians(decided_december, rana, sami):
    count_weekly_figures(TODAY, count_published_figures(TODAY))  # the hourly job
    figures = dashboard_figures()
    assert figures.weeks[-3:] == [datetime.date(2020, 12, 13), datetime.date(2020, 12, 20), datetime.date(2020, 12, 27)]
    by_name = {reviewer.name: reviewer.counts for reviewer in figures.reviewers}
    assert by_name[rana.full_name_ar][-3:] == [1, 1, 0]
    assert by_name[sami.full_name_ar][-3:] == [0, 1, 1]
    assert sum(by_name[rana.full_name_ar]) == 2  # September's decision is not among the weeks
    assert figures.everyone[-3:] == [1, 2, 1]
    assert figures.others == [0] * 12
    # Approvals and rejections only (a return is not a decision on the request): 2, 3, 1 days.
    assert figures.decided[-3:] == [1, 1, 1]
    assert figures.medians[-3:] == [2, 3, 1]
    assert figures.medians[:-3] == [None] * 9


def test_reviewers_beyond_the_ten_busiest_are_counted_as_others(rana, settings):
    reviewers = [UserFactory(is_staff=True) for _ in range(11)]
    for index, reviewer in enumerate(reviewers):
        for _ in range(index + 1):
            DataUpdateRequestFactory(
                profile=PractitionerProfileFactory(), status="approved", decided_by=reviewer, decided_at=at_noon(12, 28)
            )
    count_weekly_figures(TODAY, {})
    figures = dashboard_figures()
    assert [sum(reviewer.counts) for reviewer in figures.reviewers] == list(range(11, 1, -1))
    assert figures.others[-1] == 1
    assert figures.everyone[-1] == sum(range(1, 12))


def test_before_the_first_count_the_dashboard_shows_nothing_waiting(client, sami):
    client.force_login(sami)
    client.cookies["mumaris_language"] = "en"
    response = client.get(DASHBOARD)
    assert response.status_code == 200
    assert "Not counted yet" in response.content.decode()
    assert "0 waiting, 0 overdue." in response.content.decode()


def test_the_dashboard_opens_for_a_supervisor_and_a_superuser_only(client, sami, rana, alice):
    superuser = UserFactory(is_staff=True, is_superuser=True)
    for person in (sami, superuser):
        client.force_login(person)
        assert client.get(DASHBOARD).status_code == 200
    client.force_login(rana)
    assert client.get(DASHBOARD).status_code == 403
    client.force_login(alice)
    assert client.get(DASHBOARD, follow=True).status_code == 403
    client.logout()
    anonymous = client.get(DASHBOARD)
    assert anonymous.status_code == 302
    assert "/login/" in anonymous["Location"]


def test_the_admin_index_links_the_dashboard_for_supervisors_only(client, sami, rana):
    client.force_login(sami)
    assert DASHBOARD in client.get("/admin/").content.decode()
    client.force_login(rana)
    index = client.get("/admin/").content.decode()
    assert DASHBOARD not in index
    assert MY_REQUESTS in index


def test_the_dashboard_draws_each_chart_with_its_table_in_arabic(client, sami, waiting_december, decided_december):
    count_waiting_figures(TODAY)
    count_weekly_figures(TODAY, count_published_figures(TODAY))
    client.force_login(sami)
    page = client.get(DASHBOARD).content.decode()
    assert page.count('role="img"') == 4
    for table in ("waiting", "reviewers", "medians"):
        assert f'<caption id="{table}-caption">' in page
    assert 'direction="rtl"' in page
    assert "لوحة المشرفين" in page
    assert "سامي" in page
    assert "المنتظرة: 7، والمتأخرة منها: 3." in page
    # Registrations in the table: one in each age band, 3 in all, one overdue.
    assert '<th scope="row">التسجيل</th><td>1</td><td>1</td><td>1</td><td>3</td><td>1</td>' in page


def test_the_dashboard_in_english_reads_left_to_right(client, sami, waiting_december):
    count_waiting_figures(TODAY)
    client.force_login(sami)
    client.cookies["mumaris_language"] = "en"
    page = client.get(DASHBOARD).content.decode()
    assert 'direction="ltr"' in page
    assert "Supervisors&#x27; dashboard" in page or "Supervisors' dashboard" in page
    assert "0–5 working days" in page
    assert "7 waiting, 3 overdue." in page


def test_my_requests_lists_what_the_reviewer_holds_of_every_kind(client, rana):
    held_application = ApplicationFactory(applicant=UserFactory(), status="submitted", assigned_to=rana)
    ApplicationEvent.objects.create(application=held_application, from_status="draft", to_status="submitted")
    held_request = DataUpdateRequestFactory(profile=PractitionerProfileFactory(), assigned_to=rana)
    DataUpdateRequestFactory(profile=PractitionerProfileFactory())  # nobody's
    client.force_login(rana)
    client.cookies["mumaris_language"] = "en"
    page = client.get(MY_REQUESTS).content.decode()
    assert "You hold 2 of 10 requests at most." in page
    assert f"/admin/applications/application/{held_application.pk}/change/" in page
    assert f"/admin/profiles/dataupdaterequest/{held_request.pk}/change/" in page
    assert held_application.reference in page
    assert held_request.number in page
    # The lists say it too, with a link here.
    listing = client.get("/admin/profiles/dataupdaterequest/").content.decode()
    assert "You hold 2 of 10 requests at most." in listing
    assert MY_REQUESTS in listing


def test_my_requests_with_nothing_held_says_how_to_take_one(client, rana):
    client.force_login(rana)
    client.cookies["mumaris_language"] = "en"
    page = client.get(MY_REQUESTS).content.decode()
    assert "You hold 0 of 10 requests at most." in page
    assert "You hold no request." in page


def test_my_requests_is_refused_to_staff_who_review_nothing(client):
    client.force_login(UserFactory(is_staff=True))
    assert client.get(MY_REQUESTS).status_code == 403
