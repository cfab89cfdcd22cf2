"""The person's rights: a copy of their data, the privacy notice, closing an applicant's account."""

import io
import json
import os
import tracemalloc
import zipfile

import pytest

from accounts.models import User
from applications.models import Application, ApplicationStatus
from devtools.demo import APPLICANT

from ..factories import PASSWORD, PDF_BYTES, ApplicationFactory, CPDActivityFactory

pytestmark = pytest.mark.django_db


def test_download_my_data_holds_my_data_and_documents_only(alice_client, alice, bob, rana, caplog):
    caplog.set_level("INFO", logger="mumaris.security")
    mine = ApplicationFactory(applicant=alice, status=ApplicationStatus.RETURNED, decision_reason="Clearer letter")
    mine.events.create(from_status="submitted", to_status="returned", actor=rana, reason="Clearer letter")
    theirs = ApplicationFactory(applicant=bob)
    response = alice_client.post("/my-data/download/")
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.getvalue()))
    assert sorted(archive.namelist()) == ["data.json", f"documents/{mine.reference}-employer_letter.pdf"]
    assert archive.read(f"documents/{mine.reference}-employer_letter.pdf").startswith(b"%PDF")
    data = json.loads(archive.read("data.json"))
    assert data["account"]["national_id"] == alice.national_id
    assert data["consents"][0]["terms_version"] == alice.terms_version
    assert [application["reference"] for application in data["applications"]] == [mine.reference]
    assert data["applications"][0]["events"][0]["by"] == "a reviewer"
    text = archive.read("data.json").decode()
    assert theirs.reference not in text
    assert rana.full_name_ar not in text
    assert f"personal data exported user={alice.pk}" in caplog.text


def test_a_large_download_is_built_and_sent_in_flat_memory(client, pat):
    from django.core.files.base import ContentFile

    certificate_size = 2 * 1024 * 1024
    for _ in range(10):  # random bytes do not compress: the ZIP is as large as the files
        certificate = ContentFile(PDF_BYTES + os.urandom(certificate_size), name="certificate.pdf")
        CPDActivityFactory(profile=pat.practitioner_profile, certificate=certificate)
    client.force_login(pat)
    tracemalloc.start()
    try:
        response = client.post("/my-data/download/")
        sent = sum(len(chunk) for chunk in response.streaming_content)
        _now, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert sent > 10 * certificate_size
    # Before: the ZIP was built in memory (peak 33 MB for 21 MB); now 2 MB, whatever its size.
    assert peak < sent / 5


def test_download_is_a_post_for_the_logged_in_person_and_rate_limited(alice_client, settings):
    from django.test import Client

    assert Client().post("/my-data/download/").status_code == 302  # to log in
    assert alice_client.get("/my-data/download/").status_code == 405
    settings.PERSONAL_DATA_EXPORT_RATE = "2/h"
    statuses = [alice_client.post("/my-data/download/").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]


def test_privacy_notice_is_linked_from_every_page_and_sign_up(client):
    assert 'href="/privacy/"' in client.get("/").content.decode()
    assert 'href="/privacy/"' in client.get("/accounts/signup/").content.decode()
    client.cookies["mumaris_language"] = "en"
    assert "Your rights" in client.get("/privacy/").content.decode()


def test_an_applicant_closes_the_account_documents_go_and_the_id_is_free(
    alice_client, alice, settings, django_capture_on_commit_callbacks
):
    application = ApplicationFactory(applicant=alice, status=ApplicationStatus.REJECTED)
    stored = settings.MEDIA_ROOT / application.employer_letter.name
    assert stored.exists()
    wrong = alice_client.post("/my-data/close-account/", {"password": "wrong"})
    assert wrong.status_code == 200
    assert User.objects.filter(national_id=APPLICANT.national_id).exists()
    with django_capture_on_commit_callbacks(execute=True):
        closed = alice_client.post("/my-data/close-account/", {"password": PASSWORD})
    assert closed["Location"] == "/"
    assert not stored.exists()
    assert not User.objects.filter(national_id=APPLICANT.national_id).exists()
    assert not User.objects.with_email("alice@example.sa").exists()
    application.refresh_from_db()
    assert (application.date_of_birth, application.employer, application.employer_letter.name) == (None, "", "")
    assert alice_client.get("/accounts/account/").status_code == 302  # logged out


def test_closing_removes_the_outbox_lockout_rows_and_every_session(alice, bob, rana, client):
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django.test import Client

    from accounts.models import Session
    from core.models import OutboundEmail

    for address in ("Alice@Example.sa", bob.email):
        OutboundEmail.objects.create(key=f"reset:{address}", to_address=address, subject="Reset", text_body="link")
    for username in (alice.national_id, bob.national_id):
        AccessAttempt.objects.create(username=username, ip_address="10.0.0.1", failures_since_start=1)
        AccessFailureLog.objects.create(username=username, ip_address="10.0.0.1")
        AccessLog.objects.create(username=username, ip_address="10.0.0.1")
    phone, laptop, other = Client(), Client(), Client()
    phone.force_login(alice)
    laptop.force_login(alice)
    other.force_login(bob)
    assert Session.objects.count() == 3
    laptop.post("/my-data/close-account/", {"password": PASSWORD})
    assert list(OutboundEmail.objects.values_list("to_address", flat=True)) == [bob.email]
    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        assert set(model.objects.values_list("username", flat=True)) == {bob.national_id}
    assert Session.objects.count() == 1  # bob's
    assert phone.get("/accounts/account/").status_code == 302
    assert other.get("/accounts/account/").status_code == 200


def test_a_practitioner_cannot_close_the_registration_record(client, pat):
    client.force_login(pat)
    client.cookies["mumaris_language"] = "en"
    page = client.get("/my-data/close-account/").content.decode()
    assert "cannot be deleted from here" in page
    client.post("/my-data/close-account/", {"password": PASSWORD})
    assert User.objects.get(pk=pat.pk).is_active


def test_an_application_under_review_keeps_the_account_open(alice_client, alice):
    ApplicationFactory(applicant=alice, status=ApplicationStatus.UNDER_REVIEW)
    alice_client.cookies["mumaris_language"] = "en"
    page = alice_client.post("/my-data/close-account/", {"password": PASSWORD}).content.decode()
    assert "Wait for the decision" in page
    assert Application.objects.get(applicant=alice).employer_letter


def test_a_practitioners_copy_holds_the_registration_certificates_and_share_codes(client, pat, rana):
    from registry.sharing import create_share_code, record_view
    from registry.workflow import suspend_registration

    registration = pat.practitioner_profile.registration
    share_code = create_share_code(registration, days=7, label="HR")
    record_view(share_code)
    suspend_registration(registration, rana, "complaint")
    client.force_login(pat)
    data = json.loads(zipfile.ZipFile(io.BytesIO(client.post("/my-data/download/").getvalue())).read("data.json"))
    copied = data["registration"]
    assert copied["status"] == "suspended"
    assert copied["status_reason"] == "complaint"
    assert [event["event"] for event in copied["events"]] == ["registered", "suspended"]
    assert copied["certificates"][0]["code"] == registration.certificates.get().code
    assert copied["share_codes"][0]["label"] == "HR"
    assert len(copied["share_codes"][0]["opened_at"]) == 1
    assert rana.full_name_ar not in json.dumps(data, ensure_ascii=False)
