"""مشاركة بيانات التسجيل: codes for employers, their views, and revoking them."""

import datetime

import pytest
from django.db import connection
from django.utils import timezone

import registry.certificate
from profiles.models import ProfileChange
from registry.models import ShareCode, ShareCodeView
from registry.sharing import RECENT_VIEWS_SHOWN, _codes_with_their_twentieth_view, create_share_code, share_codes_of

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
    assert response["Location"] == f"/services/share/?created={share_code.pk}#new-code"
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
    assert "أوقف الممارس رمز المشاركة هذا" in page
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


def test_each_code_shows_its_twenty_latest_views_newest_first(pat):
    registration = pat.practitioner_profile.registration
    often, seldom, never = (create_share_code(registration, days=5) for _ in range(3))
    moment = timezone.now() - datetime.timedelta(days=1)
    # Thirty views of one code, four of them at the moment of the twentieth latest (a tie the
    # id decides), and three of another; the third was never opened.
    ats = [moment + datetime.timedelta(minutes=minute) for minute in [*range(26), 6, 6, 6, 6]]
    for share_code, when in [(often, at) for at in ats] + [(seldom, moment)] * 3:
        view = ShareCodeView.objects.create(share_code=share_code)
        ShareCodeView.objects.filter(pk=view.pk).update(at=when)  # `at` is the time of saving
    ShareCode.objects.filter(pk=often.pk).update(view_count=30)
    ShareCode.objects.filter(pk=seldom.pk).update(view_count=3)

    codes = share_codes_of(registration)

    assert [code.pk for code in codes] == [never.pk, seldom.pk, often.pk]  # newest first
    for code in codes:
        expected = list(ShareCodeView.objects.filter(share_code=code).order_by("-at", "-id")[:RECENT_VIEWS_SHOWN])
        assert code.latest_views == expected
    assert [len(code.latest_views) for code in codes] == [0, 3, RECENT_VIEWS_SHOWN]
    assert codes[2].latest_views[-1].at == moment + datetime.timedelta(minutes=6)  # into the tie


@pytest.mark.postgresql
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plan (CI's second pass)")
def test_a_code_opened_often_is_read_from_its_index_down_to_its_twentieth_opening(pat):
    """The index is in the order the openings are shown, its tie-break too: PostgreSQL reads a
    code's twentieth latest opening from it, not every opening sorted."""
    registration = pat.practitioner_profile.registration
    share_code = create_share_code(registration, days=5)
    ShareCodeView.objects.bulk_create(ShareCodeView(share_code=share_code) for _ in range(2000))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE registry_sharecodeview")  # as autovacuum does after so many rows
    plan = _codes_with_their_twentieth_view.build(registration.pk).explain(analyze=True)
    scan = next(line for line in plan.splitlines() if "registry_share_view_latest" in line)
    assert "Scan using registry_share_view_latest" in scan
    assert "rows=20 loops=1" in scan  # the twentieth latest found after twenty openings, of 2,000
    assert "Sort Key: u0.at" not in plan


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


def test_the_new_code_comes_first_with_its_link_a_copy_button_and_a_qr_code(pat_client):
    response = create(pat_client, label="مستشفى الملك فهد")
    share_code = ShareCode.objects.get()
    page = pat_client.get(response["Location"]).content.decode()
    panel = page[page.index('id="new-code"') : page.index('id="new-code-title"')]
    assert "رمز المشاركة جاهز" in panel
    assert share_code.display_code in panel
    assert f'id="new-code-link">{share_code.url}<' in panel
    assert 'class="button button--secondary js-copy"' in panel
    assert " hidden>" in panel  # the copy button appears only where the script can copy
    assert 'class="share-panel__qr" src="data:image/svg+xml' in panel
    assert "<form" not in panel  # above the form for another code, not inside it


def test_the_panel_shows_only_the_practitioners_own_live_code(pat_client, client):
    other = RegistrationFactory()
    others = ShareCode.objects.create(
        registration=other, code="0123456789ABCDEF", expires_at=timezone.now() + datetime.timedelta(days=3)
    )
    assert 'id="new-code"' not in pat_client.get(f"/services/share/?created={others.pk}").content.decode()
    create(pat_client)
    mine = ShareCode.objects.get(registration__profile__user__full_name_ar="بات")
    pat_client.post(f"/services/share/{mine.pk}/revoke/")
    assert 'id="new-code"' not in pat_client.get(f"/services/share/?created={mine.pk}").content.decode()
    assert 'id="new-code"' not in pat_client.get("/services/share/?created=x").content.decode()


def test_one_verb_for_stopping_a_code(pat_client):
    create(pat_client)
    share_code = ShareCode.objects.get()
    page = pat_client.get("/services/share/").content.decode()
    assert "إيقاف الرمز" in page
    response = pat_client.post(f"/services/share/{share_code.pk}/revoke/", follow=True)
    page = response.content.decode()
    assert "أُوقف الرمز ولم يعد يعمل." in page
    assert "موقوف" in page
    for other_verb in ("ملغى", "سحب", "ألغي"):
        assert other_verb not in page


def test_the_employer_sees_the_current_employer_and_specialty_with_their_start_days(pat_client, pat, client):
    registration = pat.practitioner_profile.registration
    create(pat_client, shares_work_history="on")
    share_code = ShareCode.objects.get()
    pat_client.logout()
    page = client.get(f"/verify/{share_code.code}/").content.decode()
    work = page[page.index('id="work-title"') :]
    assert "مستشفى الملك فهد" in work  # the factory's employer, never changed
    assert "تمريض" in work
    assert f'منذ <time datetime="{registration.registered_on.isoformat()}">' in work
    assert "لا تغيير منذ التسجيل" in work

    profile = pat.practitioner_profile
    profile.employer = "مستشفى الملك خالد"
    profile.save()
    change = ProfileChange.objects.create(
        profile=profile, field="employer", old_value="مستشفى الملك فهد", new_value="مستشفى الملك خالد"
    )
    ProfileChange.objects.filter(pk=change.pk).update(changed_at=timezone.now() - datetime.timedelta(days=10))
    page = client.get(f"/verify/{share_code.code}/").content.decode()
    work = page[page.index('id="work-title"') :]
    since = timezone.localdate() - datetime.timedelta(days=10)
    assert f'مستشفى الملك خالد<br><span class="hint">منذ <time datetime="{since.isoformat()}">' in work
