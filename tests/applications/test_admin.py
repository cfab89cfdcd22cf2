"""Staff review in the Django admin: the list, the review page and the decisions."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext as _

from accounts.models import User
from applications import admin as registration_admin
from applications.models import Application, ApplicationStatus
from applications.workflow import approve_application, start_review, submit_application
from core.admin import CappedCountPaginator
from devtools.demo import REVIEWER

from ..factories import ApplicationFactory, ResidentFactory, UserFactory

pytestmark = pytest.mark.django_db
LIST_URL = "/admin/applications/application/"


@pytest.fixture
def reviewer_client(client, rana):
    client.force_login(rana)
    return client


@pytest.fixture
def submitted(alice):
    application = ApplicationFactory(applicant=alice)
    return submit_application(application, alice, declared=True)


def change_url(application):
    return f"/admin/applications/application/{application.pk}/change/"


def decide(client, application, action, reason=""):
    return client.post(
        f"/admin/applications/application/{application.pk}/decide/",
        {"action": action, "reason": reason, "confirmed": "yes"},
        follow=True,
    )


def count_list_queries(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(LIST_URL)
    assert response.status_code == 200
    return len(queries)


def test_list_query_count_does_not_grow_with_rows(reviewer_client):
    reviewer_client.get(LIST_URL)  # warm the content-type cache shared by all requests
    ApplicationFactory.create_batch(3, status=ApplicationStatus.SUBMITTED)
    few = count_list_queries(reviewer_client)
    ApplicationFactory.create_batch(40, status=ApplicationStatus.SUBMITTED)
    many = count_list_queries(reviewer_client)
    assert few == many
    # 5: the session, the user and the second factor's device in one statement (issue 27; 7 before);
    # +1: the status histories of the page's waiting applications (their service-level clock);
    # +1: how many requests the reviewer holds ("You hold 0 of 10").
    assert many == 5 + 1 + 1


def test_list_shows_reference_name_id_and_eligibility(reviewer_client, submitted):
    content = reviewer_client.get(LIST_URL).content.decode()
    assert submitted.reference in content
    assert submitted.applicant.full_name_ar in content
    assert submitted.applicant.national_id in content
    assert "✓" in content


@pytest.mark.parametrize(
    "term",
    ["{reference}", "{national_id}", "١٠٠٠٠٠٠٠٠٨", "أليس", "alice@example.sa"],
)
def test_search(reviewer_client, submitted, bob, term):
    ApplicationFactory(applicant=bob)
    query = term.format(reference=submitted.reference, national_id=submitted.applicant.national_id)
    response = reviewer_client.get(LIST_URL, {"q": query})
    results = list(response.context["cl"].result_list)
    assert results == [submitted]


@pytest.mark.parametrize(("rows", "count"), [(2, 2), (3, 3), (5, 4)])
def test_list_count_stops_after_the_cap_without_ordering(monkeypatch, rows, count):
    monkeypatch.setattr(CappedCountPaginator, "CAP", 3)
    ApplicationFactory.create_batch(rows)
    paginator = CappedCountPaginator(Application.objects.order_by("-submitted_at", "-id"), 50)
    with CaptureQueriesContext(connection) as captured:
        assert paginator.count == count
    assert "ORDER BY" not in captured[0]["sql"]


@pytest.mark.parametrize("limit", [0, 1])
def test_full_name_search_below_and_above_the_id_limit(reviewer_client, submitted, bob, monkeypatch, limit):
    """Up to NAME_MATCH_LIMIT people match by ids, past it by a subquery: the same results."""
    monkeypatch.setattr(registration_admin, "NAME_MATCH_LIMIT", limit)
    User.objects.filter(pk=submitted.applicant_id).update(full_name_ar="أليس بنت أحمد")
    ApplicationFactory(applicant=bob)
    with CaptureQueriesContext(connection) as captured:
        response = reviewer_client.get(LIST_URL, {"q": "أليس بنت أحمد"})
    # (Leaving out the reviewer's held count, one UNION of every kind, which reads no names.)
    subqueries = [
        query["sql"]
        for query in captured
        if 'FROM "applications_application"' in query["sql"] and " UNION " not in query["sql"]
    ]
    # Only past the limit do the list and its count read the names themselves.
    assert all((" LIKE " in sql) == (limit == 0) for sql in subqueries), subqueries
    assert list(response.context["cl"].result_list) == [submitted]


def test_search_by_membership_number_with_hyphens_and_arabic_digits(reviewer_client, rana, submitted):
    approve_application(start_review(submitted, rana), rana)
    number = submitted.applicant.practitioner_profile.display_membership_number
    arabic = number.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    response = reviewer_client.get(LIST_URL, {"q": arabic})
    assert list(response.context["cl"].result_list) == [submitted]


@pytest.mark.parametrize(
    "params",
    [{"status": "submitted"}, {"nationality": "saudi"}, {"profession": "physician"}, {"submitted": "week"}],
)
def test_filters(reviewer_client, submitted, bob, params):
    ApplicationFactory(applicant=bob, nationality="non_saudi", profession="nurse")
    response = reviewer_client.get(LIST_URL, params)
    assert list(response.context["cl"].result_list) == [submitted]


def test_review_page_shows_checklist_documents_timeline_and_controls(reviewer_client, submitted):
    content = reviewer_client.get(change_url(submitted)).content.decode()
    assert f"/applications/{submitted.reference}/documents/employer_letter/" in content
    assert 'class="checklist"' in content
    assert 'class="timeline"' in content
    assert 'value="start_review"' in content
    assert 'name="_save"' not in content


def test_reviewer_starts_review_then_approves(reviewer_client, submitted):
    decide(reviewer_client, submitted, "start_review")
    submitted.refresh_from_db()
    assert submitted.status == ApplicationStatus.UNDER_REVIEW
    response = decide(reviewer_client, submitted, "approve")
    submitted.refresh_from_db()
    assert submitted.status == ApplicationStatus.APPROVED
    assert submitted.events.first().actor.national_id == REVIEWER.national_id
    assert submitted.applicant.practitioner_profile.membership_number
    assert submitted.applicant.practitioner_profile.display_membership_number in response.content.decode()


def test_return_without_reason_is_refused_with_a_message(reviewer_client, rana, submitted):
    start_review(submitted, rana)
    response = decide(reviewer_client, submitted, "return")
    submitted.refresh_from_db()
    assert submitted.status == ApplicationStatus.UNDER_REVIEW
    assert any(message.level_tag == "error" for message in response.context["messages"])


def test_return_with_reason(reviewer_client, rana, submitted):
    start_review(submitted, rana)
    decide(reviewer_client, submitted, "return", "Please upload a clearer letter")
    submitted.refresh_from_db()
    assert submitted.status == ApplicationStatus.RETURNED
    assert submitted.decision_reason == "Please upload a clearer letter"


def test_deciding_twice_does_nothing_the_second_time(reviewer_client, rana, submitted):
    start_review(submitted, rana)
    decide(reviewer_client, submitted, "approve")
    response = decide(reviewer_client, submitted, "approve")
    assert any(message.level_tag == "error" for message in response.context["messages"])
    assert submitted.events.filter(to_status="approved").count() == 1


def test_unknown_action_is_refused(reviewer_client, submitted):
    response = decide(reviewer_client, submitted, "delete_everything")
    assert response.status_code == 200
    submitted.refresh_from_db()
    assert submitted.status == ApplicationStatus.SUBMITTED


def test_reviewer_cannot_edit_add_or_delete(reviewer_client, submitted):
    assert reviewer_client.post(change_url(submitted), {"specialty": "changed"}).status_code == 403
    assert reviewer_client.get("/admin/applications/application/add/").status_code == 403
    assert reviewer_client.post(f"/admin/applications/application/{submitted.pk}/delete/").status_code == 403
    submitted.refresh_from_db()
    assert submitted.specialty != "changed"


def test_staff_without_review_permission_cannot_decide(client, submitted):
    viewer = UserFactory(is_staff=True)
    viewer.user_permissions.add(*Group.objects.get(name="Reviewers").permissions.filter(codename="view_application"))
    client.force_login(viewer)
    assert client.get(change_url(submitted)).status_code == 200
    assert (
        client.post(f"/admin/applications/application/{submitted.pk}/decide/", {"action": "start_review"}).status_code
        == 403
    )
    submitted.refresh_from_db()
    assert submitted.status == ApplicationStatus.SUBMITTED


def test_reviewers_group_has_only_review_permissions():
    codenames = set(Group.objects.get(name="Reviewers").permissions.values_list("codename", flat=True))
    assert codenames == {
        "view_application",
        "review_application",
        "view_practitionerprofile",
        "view_dataupdaterequest",
        "review_dataupdaterequest",
        "view_registration",
        "decide_registration",
        "view_cpdactivity",
        "review_cpdactivity",
    }


def test_supervisors_group_adds_assigning_the_specialty_list_and_organisations_to_the_review_permissions():
    """Made by the data migrations (portal 0002, 0003, 0004): reviewers' permissions, the queue's
    reassignment, keeping the specialty list and deciding organisations."""
    reviewers = set(Group.objects.get(name="Reviewers").permissions.values_list("codename", flat=True))
    supervisors = set(Group.objects.get(name="Supervisors").permissions.values_list("codename", flat=True))
    assert supervisors - reviewers == {
        "assign_application",
        "assign_cpdactivity",
        "assign_dataupdaterequest",
        "view_specialty",
        "add_specialty",
        "change_specialty",
        "view_organisation",
        "decide_organisation",
    }
    assert reviewers <= supervisors


def test_create_reviewer_command():
    call_command("create_reviewer", "1098765439", "new.reviewer@example.sa", "مراجع جديد", password="Review-Pass-2026")
    reviewer = User.objects.get(national_id="1098765439")
    assert reviewer.is_staff
    assert reviewer.is_active
    assert not reviewer.is_superuser
    assert reviewer.groups.filter(name="Reviewers").exists()


def test_admin_review_page_is_in_arabic(reviewer_client, submitted):
    content = reviewer_client.get(change_url(submitted)).content.decode()
    assert 'lang="ar"' in content
    assert "بدء المراجعة" in content  # "Start review"


def test_resident_application_shows_iqama_rule(reviewer_client):
    applicant = ResidentFactory()
    application = ApplicationFactory(applicant=applicant, nationality="non_saudi", iqama_number=applicant.national_id)
    content = reviewer_client.get(change_url(application)).content.decode()
    with translation.override("ar"):
        missing_expiry = _("Give the iqama's expiry date.")
    assert "✗" in content
    assert escape(missing_expiry) in content


def test_admin_greets_the_reviewer_by_name_not_id_number(reviewer_client, rana):
    content = reviewer_client.get(LIST_URL).content.decode()
    greeting = content[content.index('id="user-tools"') :][:300]
    assert "<strong>رنا</strong>" in greeting
    assert rana.national_id not in greeting


def test_reason_box_shows_only_beside_decisions_that_need_a_reason(reviewer_client, submitted):
    only_start = reviewer_client.get(change_url(submitted)).content.decode()
    assert 'value="start_review"' in only_start
    assert 'id="id_reason"' not in only_start
    decide(reviewer_client, submitted, "start_review")
    under_review = reviewer_client.get(change_url(submitted)).content.decode()
    assert 'value="return"' in under_review
    assert 'id="id_reason"' in under_review


def test_dates_read_as_in_the_portal_with_hijri_not_in_djangos_format(reviewer_client, submitted):
    from django.utils import formats, timezone

    from core.hijri import hijri_with_time

    with translation.override("ar"):
        portal_date = str(hijri_with_time(submitted.submitted_at))
        django_date = formats.localize(timezone.localtime(submitted.submitted_at))
    for page in (LIST_URL, change_url(submitted)):
        content = reviewer_client.get(page).content.decode()
        assert portal_date in content, page
        assert "هـ" in portal_date
        assert django_date not in content, page


def test_list_still_sorts_by_the_date_column(reviewer_client, submitted, bob):
    older = submit_application(ApplicationFactory(applicant=bob), bob, declared=True)
    Application.objects.filter(pk=older.pk).update(submitted_at=submitted.submitted_at.replace(year=2025))
    list_display = reviewer_client.get(LIST_URL).context["cl"].list_display
    columns = [getattr(column, "__name__", column) for column in list_display]
    response = reviewer_client.get(LIST_URL, {"o": str(columns.index("submitted_at"))})
    assert list(response.context["cl"].result_list) == [older, submitted]
