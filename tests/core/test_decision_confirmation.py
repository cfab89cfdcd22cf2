"""Every reviewer decision with a consequence is confirmed on a page that says what it will do (who,
which record, the consequence, the reason); Cancel changes nothing and gives the reason back; a
request another reviewer holds is refused before the page and again when confirmed.

Rana reviews; Reem holds a request Rana must not decide; Pat and Alice own the files.
"""

import datetime
from collections.abc import Callable
from typing import NamedTuple

import pytest
from django.db.models import F
from django.utils import timezone, translation

from applications.models import ApplicationKind, ApplicationStatus
from applications.workflow import approval_consequence
from profiles.models import PractitionerProfile

from ..factories import ApplicationFactory, CPDActivityFactory, DataUpdateRequestFactory

pytestmark = pytest.mark.django_db
REASON = "الخطاب غير موقّع\nأرفق خطابًا موقّعًا"


def application(alice, pat):
    return ApplicationFactory(applicant=alice, status=ApplicationStatus.UNDER_REVIEW)


def update_request(alice, pat):
    return DataUpdateRequestFactory(profile=pat.practitioner_profile)


def activity(alice, pat):
    return CPDActivityFactory(profile=pat.practitioner_profile)


def registration(alice, pat):
    return pat.practitioner_profile.registration


class Case(NamedTuple):
    """What is decided, its admin's address, the decision, words of its consequence, the status after."""

    make: Callable
    admin_path: str
    action: str
    words: str
    status: str
    reason_field: str = ""  # where a decision that needs a reason keeps it


DECISIONS = [
    Case(application, "applications/application", "approve", "Issues a membership number", "approved"),
    Case(
        application, "applications/application", "return", "Sends the application back", "returned", "decision_reason"
    ),
    Case(
        application,
        "applications/application",
        "reject",
        "Closes the application for good",
        "rejected",
        "decision_reason",
    ),
    Case(update_request, "profiles/dataupdaterequest", "approve", "Writes the changes listed", "approved"),
    Case(
        update_request,
        "profiles/dataupdaterequest",
        "reject",
        "Leaves the practitioner&#x27;s file",
        "rejected",
        "reason",
    ),
    Case(activity, "applications/cpdactivity", "accept", "(hours: 5)", "accepted"),
    Case(activity, "applications/cpdactivity", "reject", "The hours are not counted", "rejected", "reason"),
    Case(
        registration,
        "registry/registration",
        "suspend",
        "shows the registration as suspended",
        "suspended",
        "status_reason",
    ),
    Case(registration, "registry/registration", "revoke", "Ends the registration for good", "revoked", "status_reason"),
]
# The kinds with a queue: a request another reviewer holds.
HELD = [case for case in DECISIONS if case.make is not registration]


def case_id(case):
    return f"{case.admin_path.split('/')[1]}-{case.action}"


def decide(client, admin_path, obj, action, **extra):
    return client.post(f"/admin/{admin_path}/{obj.pk}/decide/", {"action": action, "reason": REASON, **extra})


def change_page(client, admin_path, obj):
    return client.get(f"/admin/{admin_path}/{obj.pk}/change/").content.decode()


@pytest.fixture
def english_client(client, rana):
    client.cookies["mumaris_language"] = "en"
    client.force_login(rana)
    return client


@pytest.mark.parametrize("case", DECISIONS, ids=case_id)
def test_the_decision_is_restated_before_it_is_made(english_client, alice, pat, case):
    obj = case.make(alice, pat)

    page = decide(english_client, case.admin_path, obj, case.action)

    assert page.status_code == 200
    assert page.templates[0].name == "admin/decision_confirm.html"
    html = page.content.decode()
    assert case.words in html
    owner = page.context["person"]
    assert owner.national_id in html
    assert owner.full_name_ar in html
    assert f'<input type="hidden" name="reason" value="{REASON}">' in html  # carried to the confirmation
    assert 'name="confirmed"' in html
    assert 'name="cancel"' in html
    obj.refresh_from_db()
    assert obj.status != case.status


@pytest.mark.parametrize("case", DECISIONS, ids=case_id)
def test_confirming_makes_the_decision(english_client, alice, pat, case):
    obj = case.make(alice, pat)

    response = decide(english_client, case.admin_path, obj, case.action, confirmed="yes")

    assert response["Location"] == f"/admin/{case.admin_path}/{obj.pk}/change/"
    obj.refresh_from_db()
    assert obj.status == case.status
    if case.reason_field:
        assert getattr(obj, case.reason_field) == REASON  # the reason typed, through the confirmation


@pytest.mark.parametrize("case", DECISIONS, ids=case_id)
def test_cancelling_changes_nothing_and_gives_the_reason_back_once(english_client, alice, pat, case):
    obj = case.make(alice, pat)
    before = obj.status

    response = decide(english_client, case.admin_path, obj, case.action, cancel="yes")

    assert response["Location"] == f"/admin/{case.admin_path}/{obj.pk}/change/"
    obj.refresh_from_db()
    assert obj.status == before
    page = change_page(english_client, case.admin_path, obj)
    assert "Nothing was decided." in page
    assert f">{REASON}</textarea>" in page
    assert f">{REASON}</textarea>" not in change_page(english_client, case.admin_path, obj)


@pytest.mark.parametrize("case", HELD, ids=case_id)
def test_a_request_another_reviewer_holds_is_refused_before_and_after_the_confirmation_page(
    english_client, alice, pat, reem, case
):
    obj = case.make(alice, pat)
    type(obj).objects.filter(pk=obj.pk).update(assigned_to=reem, assigned_at=timezone.now())

    for extra in ({}, {"confirmed": "yes"}):  # neither the page nor a confirmation sent anyway
        response = decide(english_client, case.admin_path, obj, case.action, **extra)
        assert response.status_code == 302
        shown = english_client.get(response["Location"])
        assert [message.level_tag for message in shown.context["messages"]] == ["error"]
        assert "Another reviewer holds this request" in str(next(iter(shown.context["messages"])))
        obj.refresh_from_db()
        assert obj.status != case.status


def test_a_decision_refused_when_confirmed_gives_the_reason_back(english_client, alice, pat):
    """The practitioner's file changed between the page and the confirmation: nothing is written."""
    obj = update_request(alice, pat)
    PractitionerProfile.objects.filter(pk=obj.profile_id).update(version=F("version") + 1)

    decide(english_client, "profiles/dataupdaterequest", obj, "approve", confirmed="yes")

    obj.refresh_from_db()
    assert obj.status == "pending"
    assert f">{REASON}</textarea>" in change_page(english_client, "profiles/dataupdaterequest", obj)


def test_starting_a_review_needs_no_confirmation(english_client, alice):
    obj = ApplicationFactory(applicant=alice, status=ApplicationStatus.SUBMITTED)

    response = decide(english_client, "applications/application", obj, "start_review")

    assert response.status_code == 302
    obj.refresh_from_db()
    assert obj.status == ApplicationStatus.UNDER_REVIEW


def test_a_reason_is_asked_for_before_the_confirmation_page(english_client, alice, pat):
    obj = application(alice, pat)

    response = english_client.post(
        f"/admin/applications/application/{obj.pk}/decide/", {"action": "reject", "reason": "  "}, follow=True
    )

    assert response.templates[0].name != "admin/decision_confirm.html"
    assert "Write the reason the applicant will read" in response.content.decode()


def test_the_buttons_say_which_decisions_grant_and_which_take_away(english_client, alice, pat):
    obj = application(alice, pat)

    page = change_page(english_client, "applications/application", obj)

    approve = page.index('value="approve"')
    give_back = page.index('value="return"')
    reject = page.index('value="reject"')
    assert approve < give_back < reject  # granting first, what closes for good last
    assert 'value="approve" form="decision-form" class="decision-button decision-button--primary"' in page
    assert 'value="return" form="decision-form" class="decision-button decision-button--neutral"' in page
    assert 'value="reject" form="decision-form" class="decision-button decision-button--destructive"' in page


def test_the_confirmation_page_is_in_arabic(client, rana, alice, pat):
    client.force_login(rana)
    obj = application(alice, pat)

    html = decide(client, "applications/application", obj, "approve").content.decode()

    assert "تأكيد: قبول" in html
    assert "يصدر رقم عضوية وشهادة تسجيل سارية حتى" in html
    assert "إلغاء والعودة إلى الطلب" in html


def test_approval_says_the_dates_it_gives(pat, settings):
    settings.REGISTRATION_VALIDITY_MONTHS = 24
    today = datetime.date(2026, 12, 6)
    first = ApplicationFactory()
    translation.activate("en")
    assert "valid until 5 December 2028" in approval_consequence(first, today)

    registration = pat.practitioner_profile.registration
    registration.valid_until = datetime.date(2026, 12, 31)
    registration.save()
    renewal = ApplicationFactory(applicant=pat, kind=ApplicationKind.RENEWAL)
    assert "from 1 January 2027" in approval_consequence(renewal, today)
    assert "to 31 December 2028" in approval_consequence(renewal, today)
