"""Pages are valid HTML: the W3C validator (vnu.jar) finds no error on the log-in and sign-up
pages, the application pages, the review page and list, and the register's pages.

The validator is Java and comes from npm (`vnu-jar`); `.ci/run` installs it and sets VNU_JAR.
Without it the test is skipped locally and fails in CI (REQUIRE_BROWSER=1).
"""

import os
import shutil
import subprocess  # nosec B404
from pathlib import Path

import pytest

from devtools.demo import APPLICANT

pytestmark = pytest.mark.django_db

PAGES = {
    "login": (
        "/accounts/login/",
        {"username": APPLICANT.national_id, "password": "x", "captcha_0": "k", "captcha_1": "WRONG"},
    ),
    "signup": ("/accounts/signup/", {"national_id": "123", "email": "x", "captcha_0": "k", "captcha_1": "PASSED"}),
}


@pytest.fixture
def validator():
    java = shutil.which("java")
    jar = Path(os.environ.get("VNU_JAR", ""))
    if java is None or not jar.is_file():
        message = "the HTML validator needs java and VNU_JAR (npm install vnu-jar; see .ci/run)"
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)
    return [java, "-jar", str(jar), "--errors-only"]


def test_login_and_signup_pages_are_valid_html_blank_and_with_errors(client, validator, tmp_path):
    saved = []
    for language in ("ar", "en"):
        client.cookies["mumaris_language"] = language
        for name, (path, bad_input) in PAGES.items():
            for state, response in (("blank", client.get(path)), ("errors", client.post(path, bad_input))):
                assert response.status_code == 200
                page = tmp_path / f"{name}-{state}-{language}.html"
                page.write_bytes(response.content)
                saved.append(str(page))
    validate(validator, saved)


def validate(validator, pages):
    result = subprocess.run([*validator, *pages], capture_output=True, text=True, check=False)  # noqa: S603  # nosec B603
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""


@pytest.fixture
def people(alice, rana, pat):
    return alice, rana, pat


def test_application_review_and_register_pages_are_valid_html(client, validator, tmp_path, people, sami):
    from django.utils import timezone

    from applications.models import ApplicationEvent
    from portal.dashboard import count_waiting_figures, count_weekly_figures
    from registry.sharing import create_share_code

    from ..factories import ApplicationFactory, CPDActivityFactory, MembershipFactory

    alice, rana, pat = people
    membership = MembershipFactory()
    tokens_page = f"/employers/{membership.organisation_id}/api-tokens/"

    application = ApplicationFactory(applicant=alice, status="submitted")
    # With its status history, so its page and طلباتي show the service level.
    ApplicationEvent.objects.create(application=application, from_status="draft", to_status="submitted")
    draft = ApplicationFactory(applicant=pat, kind="renewal", reference="REN-2026-000009")
    code = pat.practitioner_profile.registration.certificates.get().code
    shared = create_share_code(pat.practitioner_profile.registration, days=5, shares_work_history=True)
    under_review = ApplicationFactory(status="under_review")
    decide = f"/admin/applications/application/{under_review.pk}/decide/"

    # The dashboard with every chart drawn: a decision this week by Rana.
    CPDActivityFactory(profile=pat.practitioner_profile, status="accepted", decided_by=rana, decided_at=timezone.now())
    count_waiting_figures(timezone.localdate())
    count_weekly_figures(timezone.localdate(), {})
    visits = [
        (alice, f"/applications/{application.reference}/", None),
        (alice, "/requests/", None),
        (None, "/service-levels/", None),
        (pat, f"/applications/{draft.reference}/edit/", None),
        (pat, f"/applications/{draft.reference}/edit/", {"date_of_birth": "not a date"}),
        (pat, f"/applications/{draft.reference}/edit/work/", {"action": "continue"}),
        (pat, f"/applications/{draft.reference}/check/", None),
        (alice, f"/applications/{application.reference}/submitted/", None),
        (alice, f"/applications/{application.reference}/withdraw/", None),
        (None, "/eligibility/", {"nationality": "non_saudi", "date_of_birth": "1950-01-01"}),
        (None, "/eligibility/", {"nationality": "non_saudi", "date_of_birth": "1950-01-01", "stage": "questions"}),
        (pat, "/services/", None),
        (pat, "/services/cpd/", None),
        (pat, "/services/renewal/", None),
        (pat, "/services/share/", None),
        (pat, f"/services/share/?created={shared.pk}", None),
        (None, "/verify/", None),
        (None, f"/verify/{code}/", None),
        (None, f"/verify/?q={pat.practitioner_profile.membership_number}", None),
        (None, f"/verify/{shared.code}/", None),
        (pat, f"/services/share/{shared.pk}/openings/", None),  # opened just above
        (None, "/api/v1/docs/", None),
        (pat, "/my-data/access-log/", None),
        (membership.user, tokens_page, {"name": "HR system", "days": "90"}),
        (membership.user, tokens_page, {"name": "", "days": "7"}),
        (rana, f"/admin/applications/application/{application.pk}/change/", None),
        (rana, "/admin/applications/application/", None),
        (rana, f"/admin/applications/application/{under_review.pk}/change/", None),  # the decision buttons
        (rana, decide, {"action": "reject", "reason": "غير مكتمل\nأرفق الخطاب"}),  # its confirmation page
        (rana, "/admin/my-requests/", None),
        (sami, "/admin/dashboard/", None),
    ]
    saved = []
    for language in ("ar", "en"):
        for index, (user, path, data) in enumerate(visits):
            client.logout()
            if user is not None:
                client.force_login(user)
            client.cookies["mumaris_language"] = language
            response = client.post(path, data) if data else client.get(path)
            assert response.status_code == 200, path
            page = tmp_path / f"page-{index}-{language}.html"
            page.write_bytes(response.content)
            saved.append(str(page))
    validate(validator, saved)


def test_employer_pages_are_valid_html(client, validator, tmp_path, pat, sami):
    """An organisation's pages (issue 26), with a practitioner watched through a live share code, and
    their forms with errors; the practitioner's access log that names who watches them."""
    from datetime import timedelta

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from employers.members import token_hash
    from employers.models import Invitation, MemberRole, OrganisationStatus
    from employers.watchlist import add_share_code
    from registry.sharing import create_share_code

    from ..factories import MembershipFactory, UserFactory

    administrator = MembershipFactory(organisation__name_en="King Fahd Hospital").user
    organisation = administrator.organisation_memberships.get().organisation
    pending = MembershipFactory(organisation__status=OrganisationStatus.PENDING).organisation
    shared = create_share_code(pat.practitioner_profile.registration, days=5, shares_timeline=True)
    entry = add_share_code(organisation, shared.code, administrator)
    invitee = UserFactory(email="invitee@kfh.example.sa")
    Invitation.objects.create(
        organisation=organisation,
        email=invitee.email,
        role=MemberRole.VIEWER,
        token_hash=token_hash("an-invitation-token"),
        invited_by=administrator,
        expires_at=timezone.now() + timedelta(days=7),
    )
    numbers = SimpleUploadedFile(
        "numbers.csv", f"{pat.practitioner_profile.membership_number}\n123\n9999999999\n".encode(), "text/csv"
    )
    watchlist = f"/employers/{organisation.pk}/"
    signup_errors = {"commercial_registration": "12", "captcha_0": "k", "captcha_1": "PASSED"}
    visits = [
        (administrator, "/employers/", None, 200),
        (invitee, "/employers/signup/", None, 200),
        (invitee, "/employers/signup/", signup_errors, 200),
        (invitee, "/employers/signup/done/", None, 200),
        (invitee, "/employers/invitations/an-invitation-token/", None, 200),
        (invitee, "/employers/invitations/an-unknown-token/", None, 400),
        (administrator, watchlist, None, 200),
        (administrator, watchlist + "?filter=suspended", None, 200),
        (administrator, watchlist + "add/", {"membership_number": "12"}, 200),
        (administrator, watchlist + "share-code/", {"code": "nothing"}, 200),
        (administrator, watchlist + "upload/", None, 200),
        (administrator, watchlist + "upload/", {"file": ""}, 200),
        (administrator, watchlist + "upload/", {"file": numbers}, 200),  # the per-row report
        (administrator, f"{watchlist}watched/{entry.pk}/", None, 200),
        (administrator, watchlist + "members/", None, 200),
        (administrator, watchlist + "members/", {"email": "not an address", "role": "viewer"}, 200),
        (pending.memberships.get().user, f"/employers/{pending.pk}/", None, 403),  # waiting for staff
        (pat, "/my-data/access-log/", None, 200),
        (sami, f"/admin/employers/organisation/{pending.pk}/change/", None, 200),  # the decision buttons
    ]
    saved = []
    for language in ("ar", "en"):
        for index, (user, path, data, status) in enumerate(visits):
            client.force_login(user)
            client.cookies["mumaris_language"] = language
            if data and "file" in data and data["file"]:
                data["file"].seek(0)
            response = client.post(path, data) if data else client.get(path)
            assert response.status_code == status, path
            page = tmp_path / f"employers-{index}-{language}.html"
            page.write_bytes(response.content)
            saved.append(str(page))
    validate(validator, saved)
