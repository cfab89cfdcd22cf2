"""مشاركة بيانات التسجيل: codes for employers, their views, and revoking them."""

import datetime

import pytest
from django.db import connection
from django.utils import timezone

import registry.certificate
from profiles.models import ProfileChange
from registry.models import ShareCode, ShareCodeView
from registry.sharing import _openings, create_share_code, openings_of, record_view, share_code_of, share_codes_of
from registry.views import OPENINGS_PAGE_SIZE

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


def opened_at(share_code, moments):
    """Openings of `share_code` at `moments` (`at` is otherwise the time of saving)."""
    for moment in moments:
        view = ShareCodeView.objects.create(share_code=share_code)
        ShareCodeView.objects.filter(pk=view.pk).update(at=moment)
    ShareCode.objects.filter(pk=share_code.pk).update(view_count=len(moments), last_viewed_at=max(moments))


def test_the_codes_come_newest_first_and_a_codes_openings_newest_first(pat):
    registration = pat.practitioner_profile.registration
    older, newer = (create_share_code(registration, days=5) for _ in range(2))
    moment = timezone.now() - datetime.timedelta(days=1)
    # Three openings at one moment: the latest saved comes first, as the index orders them.
    opened_at(newer, [moment, moment + datetime.timedelta(minutes=5), moment, moment])
    ids_at_the_moment = sorted(ShareCodeView.objects.filter(at=moment).values_list("id", flat=True), reverse=True)

    assert [code.pk for code in share_codes_of(registration.pk)] == [newer.pk, older.pk]
    openings = openings_of(newer)[0:10]
    assert [opening.at for opening in openings] == [moment + datetime.timedelta(minutes=5), moment, moment, moment]
    assert [opening.pk for opening in openings[1:]] == ids_at_the_moment
    assert openings_of(older)[0:10] == []


def test_the_share_page_shows_each_codes_count_and_last_opening_and_links_to_its_openings(pat_client, pat):
    registration = pat.practitioner_profile.registration
    opened, unopened = (create_share_code(registration, days=5, label=label) for label in ("opened", "unopened"))
    last = datetime.datetime(2026, 12, 6, 9, 30, tzinfo=datetime.UTC)
    opened_at(opened, [last - datetime.timedelta(days=1), last])

    page = pat_client.get("/services/share/").content.decode()

    opened_panel = page[page.index(f'id="code-{opened.pk}"') :]
    assert "فُتح مرتين" in opened_panel
    assert "آخر فتح" in opened_panel
    assert '<time datetime="2026-12-06">' in opened_panel  # 12:30 in Riyadh, the same day
    assert f'href="/services/share/{opened.pk}/openings/"' in page
    unopened_panel = page[page.index(f'id="code-{unopened.pk}"') : page.index(f'id="code-{opened.pk}"')]
    assert "آخر فتح" not in unopened_panel
    assert f"/services/share/{unopened.pk}/openings/" not in page


def test_a_codes_openings_are_shown_newest_first_a_page_at_a_time(pat_client, pat):
    share_code = create_share_code(pat.practitioner_profile.registration, days=5, label="مستشفى الملك فهد")
    first = datetime.datetime(2026, 11, 1, 8, 0, tzinfo=datetime.UTC)
    moments = [first + datetime.timedelta(days=day) for day in range(OPENINGS_PAGE_SIZE + 5)]
    opened_at(share_code, moments)
    url = f"/services/share/{share_code.pk}/openings/"

    newest = pat_client.get(url)
    older = pat_client.get(url, {"page": "2"})

    assert newest.status_code == older.status_code == 200
    newest_page, older_page = newest.content.decode(), older.content.decode()
    assert "مستشفى الملك فهد" in newest_page
    assert f"فُتح {len(moments)} مرة" in newest_page
    assert newest_page.count('<li><time datetime="') == OPENINGS_PAGE_SIZE
    assert older_page.count('<li><time datetime="') == 5
    # Newest first: the last moment heads the first page, the first ends the second.
    assert newest_page.index('datetime="2026-11-25"') < newest_page.index('datetime="2026-11-24"')
    assert older_page.rindex('<li><time datetime="2026-11-01"') > older_page.index('<li><time datetime="2026-11-05"')
    assert 'href="?page=2"' in newest_page
    assert 'href="?page=1"' not in newest_page
    assert 'href="?page=1"' in older_page
    assert 'href="?page=3"' not in older_page
    assert f'href="/services/share/#code-{share_code.pk}"' in newest_page


@pytest.mark.parametrize("asked", ["0", "x", "999999", "9" * 30])
def test_any_page_number_answers_a_page_of_openings_never_an_error(pat_client, pat, asked):
    share_code = create_share_code(pat.practitioner_profile.registration, days=5)
    for _ in range(3):
        record_view(share_code)
    response = pat_client.get(f"/services/share/{share_code.pk}/openings/", {"page": asked})
    assert response.status_code == 200
    assert response.content.decode().count("<li><time datetime=") == 3


def test_a_code_never_opened_says_so(pat_client, pat):
    share_code = create_share_code(pat.practitioner_profile.registration, days=5)
    page = pat_client.get(f"/services/share/{share_code.pk}/openings/").content.decode()
    assert "لم يفتح أحد هذا الرمز بعد." in page
    assert "<li><time" not in page


def test_the_openings_page_is_for_its_practitioner_signed_in(client, pat):
    share_code = create_share_code(pat.practitioner_profile.registration, days=5)
    response = client.get(f"/services/share/{share_code.pk}/openings/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.postgresql
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plan (CI's second pass)")
def test_a_page_of_a_code_opened_often_is_read_from_its_index(pat):
    """The index is in the order the openings are shown, its tie-break too: PostgreSQL reads a
    page's rows (and one more) from it, not every opening sorted."""
    share_code = create_share_code(pat.practitioner_profile.registration, days=5)
    ShareCodeView.objects.bulk_create(ShareCodeView(share_code=share_code) for _ in range(2000))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE registry_sharecodeview")  # as autovacuum does after so many rows
    plan = _openings.build(share_code.pk)[: OPENINGS_PAGE_SIZE + 1].explain(analyze=True)
    scan = next(line for line in plan.splitlines() if "registry_share_view_latest" in line)
    assert "using registry_share_view_latest" in scan
    assert f"rows={OPENINGS_PAGE_SIZE + 1} loops=1" in scan  # a page and one more, of 2,000
    assert "Sort" not in plan


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
    assert client.get(f"/services/share/{other_code.pk}/openings/").status_code == 404


@pytest.mark.parametrize("number", [str(2**63), "9" * 30])
def test_a_code_number_too_large_for_the_database_is_a_404(pat_client, pat, number):
    create_share_code(pat.practitioner_profile.registration, days=5)
    assert share_code_of(pat.practitioner_profile.registration, int(number)) is None
    assert pat_client.get(f"/services/share/{number}/openings/").status_code == 404


def test_someone_with_no_registration_gets_404_for_a_codes_openings(client, alice, pat):
    share_code = create_share_code(pat.practitioner_profile.registration, days=5)
    client.force_login(alice)
    assert client.get(f"/services/share/{share_code.pk}/openings/").status_code == 404


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
