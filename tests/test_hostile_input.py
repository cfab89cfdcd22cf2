"""Arbitrary input to every form: never a 500, nothing saved by a refused form, nothing lost.

Hypothesis posts any Unicode (bidi controls, NUL bytes), megabyte-long strings, missing,
repeated and unexpected fields. Each example runs in a transaction that is rolled back, so
examples do not see each other's rows.
"""

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import User
from applications.models import Application, ApplicationEvent
from applications.steps import DETAILS, WORK
from devtools.demo import APPLICANT, PRACTITIONER
from profiles.forms import UPDATABLE_FIELDS
from profiles.models import DataUpdateRequest, PractitionerProfile, ProfileChange

from .factories import ApplicationFactory, DataUpdateRequestFactory

pytestmark = pytest.mark.django_db

NASTY = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\u202eفدف.pdf",
    "\u200f\u200e\u2066\u2069",
    "x" * 1_000_000,
    "٠١٢٣٤٥٦٧٨٩",
    "۱۰۰۰۰۰۰۰۰۸",
    APPLICANT.national_id,
    PRACTITIONER.national_id,
    "2026-02-30",
    "9999-12-31",
    "0001-01-01",
    "'; DROP TABLE accounts_user; --",
    "<script>alert(1)</script>",
    "../../etc/passwd",
    "javascript:alert(1)",
    "//evil.example/",
    "PASSED",
    "on",
    "saudi",
    "non_saudi",
    "approve",
    "reject",
    "confirm",
    "later",
    "update",
    "-1",
    "1e309",
    "😀" * 100,
]
values = st.one_of(st.sampled_from(NASTY), st.text(max_size=40))
field_value = st.one_of(values, st.lists(values, min_size=2, max_size=3))
WATCHED = (User, Application, ApplicationEvent, PractitionerProfile, DataUpdateRequest, ProfileChange)
HYPOTHESIS = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)


def payloads(fields):
    """Dicts with any subset of `fields` (each value single or repeated) and unexpected extras."""
    known = st.fixed_dictionaries({}, optional=dict.fromkeys(fields, field_value))
    extra = st.dictionaries(st.text(min_size=1, max_size=20), field_value, max_size=2)
    return st.tuples(known, extra).map(lambda pair: {**pair[1], **pair[0]})


def snapshot():
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in WATCHED}


def post_and_check(client, url, data):
    """Post in a rolled-back transaction; a refused form must leave every row as it was."""
    with transaction.atomic():
        before = snapshot()
        response = client.post(url, data)
        assert response.status_code < 500, (url, response.status_code)
        if response.status_code == 200:
            assert snapshot() == before, url
        transaction.set_rollback(True)
    return response


PUBLIC_FORMS = {
    "/accounts/login/": ["username", "password", "captcha_0", "captcha_1", "next"],
    "/accounts/signup/": [
        "full_name_ar",
        "full_name_en",
        "national_id",
        "email",
        "password1",
        "password2",
        "accept_terms",
        "captcha_0",
        "captcha_1",
    ],
    "/accounts/verify/resend/": ["email", "captcha_0", "captcha_1"],
    "/accounts/password/reset/": ["email"],
    "/eligibility/": [
        "nationality",
        "date_of_birth",
        "iqama_number",
        "iqama_expiry",
        "has_iqama_copy",
        "employer_letter_date",
        "has_medical_report",
        "stage",
    ],
    "/language/": ["language", "next"],
}
APPLICATION_FIELDS = [*DETAILS.questions, *WORK.questions, "action", "declaration"]
MEMBER_FIELDS = list(UPDATABLE_FIELDS)


@pytest.mark.parametrize("url", list(PUBLIC_FORMS))
def test_public_forms_survive_anything(client, alice, url):
    @HYPOTHESIS
    @given(data=payloads(PUBLIC_FORMS[url]))
    def check(data):
        post_and_check(client, url, data)

    check()


@pytest.mark.parametrize("nasty", NASTY)
def test_addresses_and_searches_survive_every_nasty_value(client, rana, alice, nasty):
    """Values that reach a query straight from the address: path parameters and admin searches."""
    from urllib.parse import quote

    client.force_login(rana)
    segment = quote(nasty[:200], safe="")
    for path in (
        f"/applications/{segment}/",
        f"/applications/{segment}/documents/employer_letter/",
        f"/services/requests/{segment}/",
        f"/accounts/verify/{segment}/",
        f"/services/confirm-email/{segment}/",
    ):
        assert client.get(path).status_code < 500, path
    for path in ("/admin/applications/application/", "/admin/profiles/dataupdaterequest/", "/admin/accounts/user/"):
        response = client.get(path, {"q": nasty, "status": nasty, "o": nasty})
        assert response.status_code < 500, path


def test_verification_key_survives_anything(client):
    @HYPOTHESIS
    @given(key=st.text(alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters="/?#%"), min_size=1))
    def check(key):
        for method in (client.get, client.post):
            assert method(f"/accounts/verify/{key}/").status_code < 500

    check()


def test_application_forms_survive_anything(alice_client, alice):
    draft = ApplicationFactory(applicant=alice)
    stored_letter = draft.employer_letter.name

    @HYPOTHESIS
    @given(data=payloads(APPLICATION_FIELDS))
    def check(data):
        post_and_check(alice_client, f"/applications/{draft.reference}/edit/", data)
        post_and_check(alice_client, f"/applications/{draft.reference}/edit/work/", data)
        post_and_check(alice_client, f"/applications/{draft.reference}/check/", data)

    check()
    draft.refresh_from_db()
    assert draft.employer_letter.name == stored_letter


def test_new_application_form_survives_anything(alice_client):
    @HYPOTHESIS
    @given(data=payloads(APPLICATION_FIELDS))
    def check(data):
        post_and_check(alice_client, "/applications/new/", data)

    check()


def test_password_change_survives_anything(alice_client):
    @HYPOTHESIS
    @given(data=payloads(["old_password", "new_password1", "new_password2"]))
    def check(data):
        post_and_check(alice_client, "/accounts/password/change/", data)

    check()


def test_member_data_forms_survive_anything(client, pat, settings):
    settings.MEMBERSHIP_LOOKUP_RATE = "100000/m"
    client.force_login(pat)
    profile = pat.practitioner_profile
    client.post("/services/update-member-data/", {"membership_number": profile.membership_number})

    @HYPOTHESIS
    @given(lookup=payloads(["membership_number"]), data=payloads(MEMBER_FIELDS), review=payloads(["action", "next"]))
    def check(lookup, data, review):
        post_and_check(client, "/services/update-member-data/data/", data)
        post_and_check(client, "/services/review-data/", review)
        post_and_check(client, "/services/update-member-data/", lookup)

    check()


def test_reviewer_decisions_survive_anything(client, rana, alice, pat):
    client.force_login(rana)
    application = ApplicationFactory(applicant=alice, status="under_review")
    update_request = DataUpdateRequestFactory(profile=pat.practitioner_profile)

    @HYPOTHESIS
    @given(data=payloads(["action", "reason"]), search=values)
    def check(data, search):
        with transaction.atomic():
            for url in (
                f"/admin/applications/application/{application.pk}/decide/",
                f"/admin/profiles/dataupdaterequest/{update_request.pk}/decide/",
            ):
                assert client.post(url, data).status_code < 500
            for url in ("/admin/applications/application/", "/admin/profiles/dataupdaterequest/"):
                assert client.get(url, {"q": search, "status": search}).status_code < 500
            transaction.set_rollback(True)

    check()
