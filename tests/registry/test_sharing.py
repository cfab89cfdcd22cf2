"""مشاركة بيانات التسجيل: codes for employers, their views, and revoking them."""

import datetime

import pytest
from django.utils import timezone

import registry.certificate
from profiles.models import ProfileChange
from registry.models import ShareCode

from ..factories import RegistrationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pat_client(client, pat):
    client.force_login(pat)
    return client


def create(client, **data):
    return client.post("/services/share/", {"days": 30, "label": "", **data})


def test_a_practitioner_creates_a_code_for_an_employer(pat_client, pat):
    response = create(pat_client, label="King Fahd Hospital HR", days=14, shares_timeline="on")
    share_code = ShareCode.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/services/share/#code-{share_code.pk}"
    assert share_code.registration.profile.user == pat
    assert share_code.label == "King Fahd Hospital HR"
    assert (share_code.shares_timeline, share_code.shares_work_history) == (True, False)
    lasts = share_code.expires_at - timezone.now()
    assert datetime.timedelta(days=13, hours=23) < lasts <= datetime.timedelta(days=14)
    page = pat_client.get("/services/share/").content.decode()
    assert share_code.display_code in page
    assert "King Fahd Hospital HR" in page


@pytest.mark.parametrize("days", ["0", "91", "abc", "", "\U0001d7df"])
def test_a_validity_outside_one_to_ninety_days_is_refused_and_the_label_kept(pat_client, days):
    response = pat_client.post("/services/share/", {"days": days, "label": "Hospital X"})
    assert response.status_code == 200
    assert ShareCode.objects.count() == 0
    page = response.content.decode()
    assert "خطأ:" in page
    assert 'value="Hospital X"' in page


def test_an_employer_sees_what_was_shared_and_the_view_is_counted(pat_client, pat, client):
    profile = pat.practitioner_profile
    ProfileChange.objects.create(profile=profile, field="employer", old_value="مستشفى أ", new_value="مستشفى ب")
    ProfileChange.objects.create(profile=profile, field="mobile", old_value="+966500000000", new_value="+966511111111")
    create(pat_client, shares_work_history="on", shares_timeline="on")
    share_code = ShareCode.objects.get()
    pat_client.logout()
    page = client.get(f"/verify/{share_code.display_code}/").content.decode()
    assert "مستشفى ب" in page
    assert "جهة العمل" in page
    assert "+966511111111" not in page  # other changes are not shared
    assert "سجل التسجيل" in page
    client.get(f"/verify/{share_code.code}/")
    share_code.refresh_from_db()
    assert share_code.view_count == 2
    assert share_code.views.count() == 2
    assert share_code.last_viewed_at is not None


def test_without_choices_only_the_public_card_is_shown(pat_client, client):
    create(pat_client)
    pat_client.logout()
    share_code = ShareCode.objects.get()
    page = client.get(f"/verify/{share_code.code}/").content.decode()
    assert "سجل جهة العمل والتخصص" not in page
    assert "سجل التسجيل" not in page
    assert "بات" in page


def test_a_revoked_code_stops_at_once_and_says_so(pat_client, client):
    create(pat_client)
    share_code = ShareCode.objects.get()
    response = pat_client.post(f"/services/share/{share_code.pk}/revoke/")
    assert response.status_code == 302
    pat_client.logout()
    page = client.get(f"/verify/{share_code.code}/").content.decode()
    assert "سحب الممارس رمز المشاركة هذا" in page
    assert "بات" not in page
    share_code.refresh_from_db()
    assert share_code.view_count == 0  # a refused view is not counted


def test_a_share_code_page_is_never_kept_by_a_shared_cache(pat_client, client):
    create(pat_client, shares_work_history="on")
    share_code = ShareCode.objects.get()
    pat_client.logout()
    active = client.get(f"/verify/{share_code.code}/")
    share_code.revoked_at = timezone.now()
    share_code.save()
    revoked = client.get(f"/verify/{share_code.code}/")
    # A CDN that kept the active page would go on showing the work history after the revocation.
    assert [active["Cache-Control"], revoked["Cache-Control"]] == ["private, no-store"] * 2


def test_an_expired_code_says_so(pat_client, client):
    create(pat_client)
    ShareCode.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    page = client.get(f"/verify/{ShareCode.objects.get().code}/").content.decode()
    assert "انتهت صلاحية رمز المشاركة هذا" in page


def test_nobody_revokes_or_sees_another_practitioners_codes(client, pat):
    other = RegistrationFactory()
    other_code = ShareCode.objects.create(
        registration=other, code="0123456789ABCDEF", expires_at=timezone.now() + datetime.timedelta(days=3)
    )
    client.force_login(pat)
    assert client.post(f"/services/share/{other_code.pk}/revoke/").status_code == 404
    other_code.refresh_from_db()
    assert other_code.revoked_at is None
    assert other_code.display_code not in client.get("/services/share/").content.decode()


def test_applicants_are_sent_to_the_services_page(client, alice):
    client.force_login(alice)
    for url in ("/services/share/", "/services/certificate/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == "/services/"


def test_the_certificate_downloads_while_active_only(client, pat, rana):
    from registry.workflow import suspend_registration

    client.force_login(pat)
    response = client.get("/services/certificate/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert "attachment" in response["Content-Disposition"]
    suspend_registration(pat.practitioner_profile.registration, rana, "complaint")
    response = client.get("/services/certificate/")
    assert response.status_code == 302


def test_the_services_page_shows_the_status_and_the_new_services(client, pat):
    client.force_login(pat)
    page = client.get("/services/").content.decode()
    assert "شهادة التسجيل" in page
    assert "مشاركة بيانات التسجيل" in page
    assert "ساري حتى" in page or "صالح حتى" in page
    assert "نشط" in page


def test_without_the_pdf_library_the_certificate_page_says_so(client, pat, monkeypatch):

    def unavailable(values, language):
        raise registry.certificate.CertificateUnavailable("no Pango")

    monkeypatch.setattr(registry.certificate, "render_pdf", unavailable)
    client.force_login(pat)
    response = client.get("/services/certificate/")
    assert response.status_code == 503
    assert "text/html" in response["Content-Type"]
