"""The watchlist: adding one number or a file's worth (with a per-row report), removing, the
filters, share codes, and who may do which."""

import io
import zipfile
from datetime import timedelta
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation
from openpyxl import Workbook

from employers.models import WatchAction, WatchedPractitioner, WatchRecord
from employers.uploads import UploadRefused, read_numbers
from employers.watchlist import ListFilter, RowOutcome, add_numbers, watchlist_entries
from registry.models import RegistrationStatus
from registry.sharing import create_share_code, revoke_share_code

from ..factories import RegistrationFactory

pytestmark = pytest.mark.django_db


def csv_file(text, name="numbers.csv"):
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def xlsx_bytes(values):
    workbook = Workbook()
    for value in values:
        workbook.active.append([value])
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def xlsx_file(values, name="numbers.xlsx"):
    return SimpleUploadedFile(name, xlsx_bytes(values))


@pytest.fixture
def nurses(db):
    return [RegistrationFactory() for _ in range(3)]


def number_of(registration):
    return registration.profile.membership_number


def test_one_number_is_added_and_recorded_for_the_practitioner(hana_client, hospital, nurses):
    number = nurses[0].profile.display_membership_number
    response = hana_client.post(f"/employers/{hospital.pk}/add/", {"membership_number": number})
    assert response.status_code == 302
    assert WatchedPractitioner.objects.get().practitioner == nurses[0]
    assert WatchRecord.objects.get().action == WatchAction.ADDED


def test_an_unknown_number_is_said_so_on_the_form(hana_client, hospital):
    response = hana_client.post(f"/employers/{hospital.pk}/add/", {"membership_number": "2699999999"})
    assert response.status_code == 200
    assert response.context["number_form"].errors["membership_number"] == ["No registration with this number"]
    assert not WatchedPractitioner.objects.exists()


def test_a_file_is_reported_row_by_row(hana_client, hospital, nurses):
    WatchedPractitioner.objects.create(organisation=hospital, practitioner=nurses[2])
    text = "\n".join(
        [
            "membership number",
            number_of(nurses[0]),
            "٢٦-" + number_of(nurses[1])[2:],  # Arabic-Indic digits with a hyphen
            number_of(nurses[2]),
            "2699999999",
            "=HYPERLINK(1)",
            "",
            number_of(nurses[0]),
        ]
    )
    response = hana_client.post(f"/employers/{hospital.pk}/upload/", {"file": csv_file(text)})
    assert response.status_code == 200
    report = [(row.row, row.outcome) for row in response.context["report"]]
    assert report == [
        (2, RowOutcome.ADDED),
        (3, RowOutcome.ADDED),
        (4, RowOutcome.ALREADY),
        (5, RowOutcome.NOT_FOUND),
        (6, RowOutcome.NOT_A_NUMBER),
        (8, RowOutcome.ALREADY),
    ]
    assert WatchedPractitioner.objects.filter(organisation=hospital).count() == 3


def test_an_xlsx_file_with_numbers_as_numbers_is_read(hana_client, hospital, nurses):
    upload = xlsx_file([int(number_of(nurses[0])), number_of(nurses[1])])
    response = hana_client.post(f"/employers/{hospital.pk}/upload/", {"file": upload})
    assert [row.outcome for row in response.context["report"]] == [RowOutcome.ADDED, RowOutcome.ADDED]


def test_nothing_is_half_added_when_the_file_fails_midway(hospital, hana, nurses):
    rows = [(1, number_of(nurses[0])), (2, number_of(nurses[1]))]
    failing = mock.patch.object(WatchRecord.objects, "bulk_create", side_effect=RuntimeError("disk full"))
    with failing, pytest.raises(RuntimeError):
        add_numbers(hospital, rows, hana)
    assert not WatchedPractitioner.objects.exists()


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("x.csv", b"\x89PNG\r\n\x1a\n\x00\x00binary"), "neither a CSV nor an Excel"),
        (SimpleUploadedFile("x.xlsx", b"PK\x03\x04 not really a zip"), "could not be read"),
        (SimpleUploadedFile("x.csv", b"2600000001\n" * 5002), "more than 5,000 rows"),
        (SimpleUploadedFile("x.csv", b"1" * (2 * 1024 * 1024 + 1)), "larger than 2 MB"),
        (SimpleUploadedFile("x.csv", b"2" * 200_000), "neither a CSV nor an Excel"),
        (SimpleUploadedFile("x.csv", b"\n\n"), "no membership numbers"),
    ],
)
def test_a_bad_file_is_refused_whole(hana_client, hospital, upload, message):
    response = hana_client.post(f"/employers/{hospital.pk}/upload/", {"file": upload})
    assert response.status_code == 200
    assert message in response.context["form"].errors["file"][0]
    assert not WatchedPractitioner.objects.exists()


def zip_bomb():
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", "0" * (50 * 1024 * 1024))
    return output.getvalue()


def test_a_zip_bomb_is_refused_before_it_is_inflated():
    bomb = zip_bomb()
    assert len(bomb) < 200_000
    with mock.patch("employers.uploads.load_workbook") as load, pytest.raises(UploadRefused):
        read_numbers(SimpleUploadedFile("bomb.xlsx", bomb))
    load.assert_not_called()


def test_a_zip_that_is_no_workbook_is_refused():
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        archive.writestr("word/document.xml", "<document/>")
    with pytest.raises(UploadRefused) as refused:
        read_numbers(SimpleUploadedFile("letter.xlsx", output.getvalue()))
    with translation.override("en"):  # the default is Arabic (it passed only after another test's English)
        assert "neither a CSV nor an Excel" in str(refused.value.message)


def test_five_thousand_rows_take_a_handful_of_queries(hospital, hana, django_assert_max_num_queries):
    rows = [(n, f"26{n:08d}") for n in range(1, 5001)]
    with django_assert_max_num_queries(8):
        report = add_numbers(hospital, rows, hana)
    assert {row.outcome for row in report} == {RowOutcome.NOT_FOUND}


def test_removing_takes_the_practitioner_off_and_says_so_in_their_log(hana_client, hospital, nurses):
    entry = WatchedPractitioner.objects.create(organisation=hospital, practitioner=nurses[0])
    hana_client.post(f"/employers/{hospital.pk}/watched/{entry.pk}/remove/")
    assert not WatchedPractitioner.objects.exists()
    assert WatchRecord.objects.get().action == WatchAction.REMOVED


def test_the_filters_pick_expiring_expired_and_stopped_registrations(hospital):
    today = timezone.localdate()
    expiring = RegistrationFactory(valid_until=today + timedelta(days=60))
    expired = RegistrationFactory(valid_until=today - timedelta(days=1))
    suspended = RegistrationFactory(status=RegistrationStatus.SUSPENDED)
    later = RegistrationFactory(valid_until=today + timedelta(days=400))
    for registration in (expiring, expired, suspended, later):
        WatchedPractitioner.objects.create(organisation=hospital, practitioner=registration)

    def numbers(list_filter):
        entries = watchlist_entries(hospital, list_filter, today)
        return {row["practitioner__profile__membership_number"] for row in entries}

    assert numbers(ListFilter.EXPIRING) == {number_of(expiring)}
    assert numbers(ListFilter.EXPIRED) == {number_of(expired)}
    assert numbers(ListFilter.SUSPENDED_OR_REVOKED) == {number_of(suspended)}
    assert len(numbers(ListFilter.ALL)) == 4


def test_the_list_shows_the_public_record_only(hana_client, hospital, nurses):
    WatchedPractitioner.objects.create(organisation=hospital, practitioner=nurses[0])
    page = hana_client.get(f"/employers/{hospital.pk}/?filter=unknown&page=x").content.decode()
    profile = nurses[0].profile
    assert profile.display_membership_number in page
    assert profile.user.full_name_ar in page
    assert profile.user.national_id not in page
    assert profile.mobile not in page


def test_a_share_code_adds_what_it_shares_while_it_lives(hana_client, hospital, nurses):
    code = create_share_code(nurses[0], days=5, shares_timeline=True)
    response = hana_client.post(f"/employers/{hospital.pk}/share-code/", {"code": code.display_code})
    entry = WatchedPractitioner.objects.get()
    assert response["Location"] == f"/employers/{hospital.pk}/watched/{entry.pk}/"
    assert entry.share_code == code
    assert "timeline-title" in hana_client.get(response["Location"]).content.decode()
    revoke_share_code(code)
    assert "timeline-title" not in hana_client.get(response["Location"]).content.decode()


def test_a_stopped_share_code_is_refused(hana_client, hospital, nurses):
    code = create_share_code(nurses[0], days=5)
    revoke_share_code(code)
    response = hana_client.post(f"/employers/{hospital.pk}/share-code/", {"code": code.display_code})
    assert response.status_code == 200
    assert "not valid" in response.context["share_form"].errors["code"][0]
    assert not WatchedPractitioner.objects.exists()


def test_a_viewer_reads_but_cannot_change_the_list(client, victor, hospital, nurses):
    entry = WatchedPractitioner.objects.create(organisation=hospital, practitioner=nurses[0])
    client.force_login(victor)
    page = client.get(f"/employers/{hospital.pk}/")
    assert page.status_code == 200
    assert "number_form" not in page.context
    number = number_of(nurses[1])
    assert client.post(f"/employers/{hospital.pk}/add/", {"membership_number": number}).status_code == 403
    assert client.post(f"/employers/{hospital.pk}/watched/{entry.pk}/remove/").status_code == 403
    assert client.get(f"/employers/{hospital.pk}/upload/").status_code == 403
    assert WatchedPractitioner.objects.count() == 1


def test_an_administrator_without_a_second_factor_is_sent_to_set_one_up(client, hospital, nurses):
    from ..factories import MembershipFactory

    administrator = MembershipFactory(organisation=hospital, second_factor=False).user
    client.force_login(administrator)
    response = client.post(f"/employers/{hospital.pk}/add/", {"membership_number": number_of(nurses[0])})
    assert response.status_code == 403
    assert "/accounts/two-factor/" in response.content.decode()
    assert not WatchedPractitioner.objects.exists()


def test_another_organisation_sees_nothing_of_this_one(client, omar, hospital, nurses):
    entry = WatchedPractitioner.objects.create(organisation=hospital, practitioner=nurses[0])
    client.force_login(omar)
    for path in ("", f"watched/{entry.pk}/", "download.csv", "download.xlsx", "members/", "upload/"):
        assert client.get(f"/employers/{hospital.pk}/{path}").status_code == 404, path
    assert client.post(f"/employers/{hospital.pk}/watched/{entry.pk}/remove/").status_code == 404
    assert WatchedPractitioner.objects.count() == 1


def test_an_entry_of_another_list_is_not_found_through_ones_own(client, omar, hospital, nurses):
    entry = WatchedPractitioner.objects.create(organisation=hospital, practitioner=nurses[0])
    own = omar.organisation_memberships.get().organisation_id
    client.force_login(omar)
    assert client.get(f"/employers/{own}/watched/{entry.pk}/").status_code == 404
    client.post(f"/employers/{own}/watched/{entry.pk}/remove/")
    assert WatchedPractitioner.objects.count() == 1


def test_an_organisation_number_beyond_any_id_is_not_found(client, omar):
    """The membership is read by a fixed statement, to which such a number is an error, not "no row"."""
    client.force_login(omar)
    for number in (2**63 - 1, 2**63, 10**30):
        assert client.get(f"/employers/{number}/").status_code == 404, number


def test_the_two_empty_forms_are_kept_per_language_and_a_refused_one_is_shown_as_typed(hana_client, hospital):
    page = f"/employers/{hospital.pk}/"
    english = hana_client.get(page).content.decode()
    hana_client.cookies["mumaris_language"] = "ar"
    arabic = hana_client.get(page).content.decode()
    assert "Membership number" in english
    assert "Share code" in english
    assert "رقم العضوية" in arabic
    assert "رمز مشاركة" in arabic
    assert "Membership number" not in arabic

    refused = hana_client.post(f"/employers/{hospital.pk}/add/", {"membership_number": "2699999999"})
    assert "لا يوجد تسجيل بهذا الرقم" in refused.content.decode()
    assert 'value="2699999999"' in refused.content.decode()
    again = hana_client.get(page).content.decode()
    assert "لا يوجد تسجيل بهذا الرقم" not in again
    assert "2699999999" not in again
