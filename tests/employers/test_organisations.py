"""Signing an organisation up (captcha first, no oracle) and staff's decision on it."""

import pytest

from core.decisions import OwnFileRefused, ReasonRequired
from core.models import OutboundEmail
from employers.models import MemberRole, Membership, Organisation, OrganisationStatus
from employers.workflow import OrganisationDecided, approve_organisation, refuse_organisation

from ..factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def signup_data(**changes):
    return {
        "name_ar": "مستوصف النخيل",
        "name_en": "Palm Clinic",
        "commercial_registration": "٢٠٥٠١٢٣٤٥٦",
        "facility_licence": "MOH-778",
        "city": "الدمام",
        "contact_email": "admin@palm.example.sa",
        "captcha_0": "test-key",
        "captcha_1": "PASSED",
        **changes,
    }


def test_signing_up_asks_staff_and_makes_the_person_its_administrator(client, stranger):
    client.force_login(stranger)
    response = client.post("/employers/signup/", signup_data())
    assert response.status_code == 302
    assert response["Location"] == "/employers/signup/done/"
    organisation = Organisation.objects.get()
    assert (organisation.commercial_registration, organisation.status) == ("2050123456", OrganisationStatus.PENDING)
    assert Membership.objects.get().role == MemberRole.ADMINISTRATOR
    assert OutboundEmail.objects.get().to_address == "admin@palm.example.sa"


def test_sign_up_needs_a_logged_in_account(client):
    response = client.post("/employers/signup/", signup_data())
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert not Organisation.objects.exists()


def test_a_wrong_captcha_checks_nothing_else(client, stranger):
    client.force_login(stranger)
    response = client.post("/employers/signup/", signup_data(captcha_1="WRONG", commercial_registration="12"))
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.errors) == ["captcha"]
    assert form["name_ar"].value() == "مستوصف النخيل"  # nothing typed is lost
    assert not Organisation.objects.exists()


def test_a_commercial_registration_must_have_ten_digits(client, stranger):
    client.force_login(stranger)
    response = client.post("/employers/signup/", signup_data(commercial_registration="12345"))
    assert response.context["form"].errors["commercial_registration"][0].startswith("A commercial registration")
    assert not Organisation.objects.exists()


def test_a_registered_number_gets_the_same_answer_and_its_holder_is_told(client, stranger, hospital):
    client.force_login(stranger)
    response = client.post("/employers/signup/", signup_data(commercial_registration=hospital.commercial_registration))
    assert response["Location"] == "/employers/signup/done/"
    assert Organisation.objects.count() == 1
    assert not Membership.objects.filter(user=stranger).exists()
    assert OutboundEmail.objects.get().to_address == hospital.contact_email


@pytest.fixture
def pending(stranger):
    return MembershipFactory(organisation__status=OrganisationStatus.PENDING, user=stranger).organisation


def test_approval_is_recorded_and_emailed(pending, rana):
    approve_organisation(pending, rana)
    pending.refresh_from_db()
    assert (pending.status, pending.decided_by) == (OrganisationStatus.APPROVED, rana)
    email = OutboundEmail.objects.get(key=f"organisation-decision:{pending.pk}:approved")
    assert email.to_address == pending.contact_email


def test_refusal_needs_a_reason_the_organisation_reads(pending, rana):
    with pytest.raises(ReasonRequired):
        refuse_organisation(pending, rana, "  ")
    refuse_organisation(pending, rana, "The licence number does not match the ministry's records.")
    pending.refresh_from_db()
    assert pending.status == OrganisationStatus.REFUSED
    assert "licence number" in OutboundEmail.objects.get().text_body


def test_a_member_of_the_organisation_never_decides_it(pending, rana):
    Membership.objects.create(organisation=pending, user=rana, role=MemberRole.VIEWER)
    with pytest.raises(OwnFileRefused):
        approve_organisation(pending, rana)
    pending.refresh_from_db()
    assert pending.status == OrganisationStatus.PENDING


def test_a_decided_organisation_cannot_be_decided_again(pending, rana):
    approve_organisation(pending, rana)
    with pytest.raises(OrganisationDecided):
        refuse_organisation(pending, rana, "too late")


def test_staff_decide_in_the_admin_with_a_reason(client, pending):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    url = f"/admin/employers/organisation/{pending.pk}/"
    assert client.get(url + "change/").status_code == 200
    client.post(url + "decide/", {"action": "refuse", "reason": ""})
    pending.refresh_from_db()
    assert pending.status == OrganisationStatus.PENDING
    client.post(url + "decide/", {"action": "refuse", "reason": "Unknown facility"})
    pending.refresh_from_db()
    assert (pending.status, pending.reason) == (OrganisationStatus.REFUSED, "Unknown facility")


def test_a_supervisor_finds_and_approves_it_in_the_admin(client, pending, sami):
    client.force_login(sami)
    assert pending.name_en in client.get("/admin/employers/organisation/?status=pending").content.decode()
    client.post(f"/admin/employers/organisation/{pending.pk}/decide/", {"action": "approve"})
    pending.refresh_from_db()
    assert (pending.status, pending.decided_by) == (OrganisationStatus.APPROVED, sami)


def test_a_reviewer_without_the_permission_cannot_decide(client, pending, rana):
    client.force_login(rana)
    response = client.post(f"/admin/employers/organisation/{pending.pk}/decide/", {"action": "approve"})
    assert response.status_code == 403
    pending.refresh_from_db()
    assert pending.status == OrganisationStatus.PENDING


def test_until_approved_the_organisation_can_do_nothing(client, pending, stranger):
    client.force_login(stranger)
    for path in ("", "upload/", "members/", "download.csv"):
        response = client.get(f"/employers/{pending.pk}/{path}")
        assert response.status_code == 403, path
    assert "waiting for staff" in client.get(f"/employers/{pending.pk}/").content.decode()


def test_the_home_page_lists_the_organisations_to_switch_between(client, hana, omar):
    other = OrganisationFactory(name_en="Second Clinic")
    Membership.objects.create(organisation=other, user=hana, role=MemberRole.VIEWER)
    client.force_login(hana)
    page = client.get("/employers/").content.decode()
    assert "King Fahd Hospital" in page
    assert "Second Clinic" in page
    assert "omar" not in page
