"""Update member data, step by step as in the seed, with its refusals."""

import pytest
from django.core import signing

from profiles.email_change import EMAIL_CHANGE_SALT
from profiles.models import DataUpdateRequest, RequestStatus

from ..factories import DataUpdateRequestFactory, PractitionerProfileFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def profile(pat):
    return pat.practitioner_profile


@pytest.fixture
def pat_client(client, pat):
    client.force_login(pat)
    return client


def current_data(profile, **changes):
    data = {
        name: profile.serializable_value(name)
        for name in ("mobile", "email", "city", "address", "employer", "job_title", "specialty")
    }
    return {**data, **changes}


def look_up(client, number):
    return client.post("/services/update-member-data/", {"membership_number": number})


def test_services_page_lists_update_member_data_for_a_practitioner(pat_client):
    content = pat_client.get("/services/").content.decode()
    assert "/services/update-member-data/" in content
    assert "الخدمات الإلكترونية" in content
    assert "تحديث بياناتي" in content
    assert "تحديث بيانات الأعضاء" not in content


def test_services_page_does_not_offer_the_update_to_an_applicant(alice_client):
    content = alice_client.get("/services/").content.decode()
    assert "/services/update-member-data/" not in content
    assert "/applications/new/" in content


def test_services_need_log_in(client):
    assert client.get("/services/")["Location"].startswith("/accounts/login/")


def test_a_practitioner_is_not_asked_their_own_membership_number(pat_client, profile):
    response = pat_client.get("/services/update-member-data/", follow=True)
    assert response.redirect_chain == [("/services/update-member-data/data/", 302)]
    assert response.context["profile"] == profile
    content = response.content.decode()
    assert "الخطوة 1 من 3" in content
    assert 'name="membership_number"' not in content


def test_a_practitioner_with_a_pending_request_is_sent_to_it(pat_client, profile):
    pending = DataUpdateRequestFactory(profile=profile)
    response = pat_client.get("/services/update-member-data/")
    assert response["Location"] == f"/services/requests/{pending.number}/"


def test_lookup_page_has_the_seed_labels_for_someone_without_a_registration(alice_client):
    content = alice_client.get("/services/update-member-data/").content.decode()
    assert "رقم العضوية" in content
    assert "تحديث البيانات" in content


@pytest.mark.parametrize("typed", ["{plain}", "{hyphens}", "{arabic}", " {spaced} "])
def test_membership_number_in_every_way_people_type_it(pat_client, profile, typed):
    plain = profile.membership_number
    hyphens = profile.display_membership_number
    arabic = hyphens.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    spaced = hyphens.replace("-", " ")
    response = look_up(pat_client, typed.format(plain=plain, hyphens=hyphens, arabic=arabic, spaced=spaced))
    assert response.status_code == 302
    assert response["Location"] == "/services/update-member-data/data/"


def test_someone_elses_number_gets_the_same_answer_as_a_missing_one(pat_client):
    other = PractitionerProfileFactory()
    theirs = look_up(pat_client, other.membership_number)
    missing = look_up(pat_client, "9999999999")
    assert theirs.status_code == missing.status_code == 200
    assert theirs.context["form"].errors == missing.context["form"].errors
    assert [error.code for error in theirs.context["form"].errors.as_data()["membership_number"]] == ["not_found"]
    assert other.user.full_name_ar not in theirs.content.decode()


def test_malformed_number_is_a_format_error(pat_client):
    response = look_up(pat_client, "12-34")
    assert [error.code for error in response.context["form"].errors.as_data()["membership_number"]] == ["format"]


def test_lookups_are_rate_limited(pat_client, settings):
    settings.MEMBERSHIP_LOOKUP_RATE = "3/m"
    statuses = [look_up(pat_client, "9999999999").status_code for _ in range(5)]
    assert statuses[:3] == [200, 200, 200]
    assert statuses[-1] == 429


def test_data_step_is_prefilled_with_the_current_data(pat_client, profile):
    look_up(pat_client, profile.membership_number)
    response = pat_client.get("/services/update-member-data/data/")
    content = response.content.decode()
    assert profile.mobile in content
    assert profile.city in content
    assert "إنهاء التحديث" in content


def test_data_step_without_a_lookup_goes_back_to_step_one(pat_client):
    assert pat_client.get("/services/update-member-data/data/")["Location"] == "/services/update-member-data/"


def test_whole_flow_creates_a_request_with_old_and_new(pat_client, profile):
    look_up(pat_client, profile.display_membership_number)
    response = pat_client.post("/services/update-member-data/data/", current_data(profile, mobile="0559876543"))
    assert response["Location"] == "/services/update-member-data/summary/"
    summary = pat_client.get("/services/update-member-data/summary/").content.decode()
    assert "+966501234567" in summary
    assert "+966559876543" in summary
    assert "إكمال الطلب" in summary
    response = pat_client.post("/services/update-member-data/summary/")
    update_request = DataUpdateRequest.objects.get()
    assert response["Location"] == f"/services/requests/{update_request.number}/"
    assert update_request.changes == {"mobile": {"old": "+966501234567", "new": "+966559876543"}}
    assert update_request.status == RequestStatus.PENDING
    assert update_request.base_version == profile.version
    profile.refresh_from_db()
    assert profile.mobile == "+966501234567"  # nothing applied before approval
    assert update_request.number in pat_client.get("/requests/").content.decode()


def test_nothing_changed_makes_no_request(pat_client, profile):
    look_up(pat_client, profile.membership_number)
    response = pat_client.post("/services/update-member-data/data/", current_data(profile), follow=True)
    assert response.status_code == 200
    assert not DataUpdateRequest.objects.exists()
    assert len(list(response.context["messages"])) == 1


@pytest.mark.parametrize("mobile", ["12345", "+14155552671", "0112345678", "05123"])
def test_invalid_mobile_is_refused(pat_client, profile, mobile):
    look_up(pat_client, profile.membership_number)
    response = pat_client.post("/services/update-member-data/data/", current_data(profile, mobile=mobile))
    assert response.status_code == 200
    assert "mobile" in response.context["form"].errors


def test_mobile_in_arabic_indic_digits_is_normalised(pat_client, profile):
    look_up(pat_client, profile.membership_number)
    pat_client.post("/services/update-member-data/data/", current_data(profile, mobile="٠٥٥٩٨٧٦٥٤٣"))
    assert pat_client.session["profiles.update.changes"]["mobile"]["new"] == "+966559876543"


def test_second_pending_request_is_refused_with_a_link_to_the_first(pat_client, profile):
    pending = DataUpdateRequestFactory(profile=profile)
    response = look_up(pat_client, profile.membership_number)
    assert response["Location"] == f"/services/requests/{pending.number}/"


def test_request_page_is_only_for_its_owner(client, profile, alice):
    update_request = DataUpdateRequestFactory(profile=profile)
    client.force_login(alice)
    assert client.get(f"/services/requests/{update_request.number}/").status_code == 404


def test_summary_without_changes_goes_back_to_step_one(pat_client):
    assert pat_client.get("/services/update-member-data/summary/")["Location"] == "/services/update-member-data/"


def test_cancel_clears_the_flow(pat_client, profile):
    look_up(pat_client, profile.membership_number)
    pat_client.post("/services/update-member-data/cancel/")
    assert "profiles.update.profile" not in pat_client.session


def test_new_email_takes_effect_only_after_its_link(client, profile, rana):
    from profiles.workflow import approve_update_request

    update_request = DataUpdateRequestFactory(
        profile=profile, changes={"email": {"old": profile.email, "new": "new@example.sa"}}
    )
    approve_update_request(update_request, rana)
    profile.refresh_from_db()
    assert profile.email != "new@example.sa"
    key = signing.dumps({"request": update_request.pk, "email": "new@example.sa"}, salt=EMAIL_CHANGE_SALT)
    assert client.get(f"/services/confirm-email/{key}/").status_code == 200
    profile.refresh_from_db()
    assert profile.email != "new@example.sa"
    client.post(f"/services/confirm-email/{key}/")
    profile.refresh_from_db()
    assert profile.email == "new@example.sa"


def test_forged_email_link_is_refused(client, profile):
    update_request = DataUpdateRequestFactory(profile=profile, status=RequestStatus.APPROVED)
    key = signing.dumps({"request": update_request.pk, "email": "attacker@example.sa"}, salt=EMAIL_CHANGE_SALT)
    assert client.post(f"/services/confirm-email/{key}/").status_code == 400
    assert client.post("/services/confirm-email/garbage/").status_code == 400


def confirm_link(update_request, email):
    key = signing.dumps({"request": update_request.pk, "email": email}, salt=EMAIL_CHANGE_SALT)
    return f"/services/confirm-email/{key}/"


def test_confirmed_email_becomes_the_accounts_address_too(client, profile, rana, password):
    from profiles.workflow import approve_update_request

    update_request = DataUpdateRequestFactory(
        profile=profile, changes={"email": {"old": profile.email, "new": "pat.new@example.sa"}}
    )
    approve_update_request(update_request, rana)
    client.post(confirm_link(update_request, "pat.new@example.sa"))
    profile.user.refresh_from_db()
    assert profile.user.email == "pat.new@example.sa"
    assert profile.changes.get(field="email").new_value == "pat.new@example.sa"


def test_an_address_another_account_uses_is_refused(client, profile, rana, alice):
    from profiles.workflow import approve_update_request

    update_request = DataUpdateRequestFactory(
        profile=profile, changes={"email": {"old": profile.email, "new": alice.email}}
    )
    approve_update_request(update_request, rana)
    response = client.post(confirm_link(update_request, alice.email), follow=True)
    assert response.status_code == 200
    profile.refresh_from_db()
    assert profile.email != alice.email


def test_an_older_link_cannot_bring_back_a_replaced_address(client, profile, rana):
    from profiles.workflow import approve_update_request

    first = DataUpdateRequestFactory(
        profile=profile, changes={"email": {"old": profile.email, "new": "first@example.sa"}}
    )
    approve_update_request(first, rana)
    profile.refresh_from_db()
    second = DataUpdateRequestFactory(
        profile=profile, changes={"email": {"old": profile.email, "new": "second@example.sa"}}
    )
    approve_update_request(second, rana)
    assert client.post(confirm_link(first, "first@example.sa")).status_code == 400
    assert client.post(confirm_link(second, "second@example.sa")).status_code == 302
    profile.refresh_from_db()
    assert profile.email == "second@example.sa"


def test_latin_examples_in_hints_are_isolated_on_arabic_pages(pat_client, profile):
    look_up(pat_client, profile.membership_number)
    content = pat_client.get("/services/update-member-data/data/").content.decode()
    assert '<bdi dir="ltr">05XXXXXXXX</bdi>' in content
    assert '<bdi dir="ltr">+9665XXXXXXXX</bdi>' in content
