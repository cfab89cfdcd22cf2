"""Downloads of the watchlist: the public record, with formulas made harmless."""

import csv
import io

import pytest
from openpyxl import load_workbook

from employers.exports import harmless
from employers.models import WatchedPractitioner

from ..factories import RegistrationFactory, SpecialtyFactory

pytestmark = pytest.mark.django_db
HOSTILE = ['=HYPERLINK("http://evil")', "+1+1", "-2+3", "@SUM(A1)", "\tTAB", "\rCR"]


@pytest.mark.parametrize("value", HOSTILE)
def test_a_cell_that_would_run_as_a_formula_is_kept_text(value):
    assert harmless(value) == "'" + value


@pytest.mark.parametrize("value", ["مستشفى", "Nurse", "26-0000-0001", "", None])
def test_an_ordinary_cell_is_unchanged(value):
    assert harmless(value) == ("" if value is None else value)


@pytest.fixture
def hostile_entry(hospital):
    registration = RegistrationFactory(
        profile__user__full_name_en="=cmd|' /C calc'!A0",
        profile__specialty=SpecialtyFactory(name_ar="+SUM(1)", name_en="+SUM(1)"),
    )
    return WatchedPractitioner.objects.create(organisation=hospital, practitioner=registration)


def test_the_csv_escapes_formulas(client, victor, hospital, hostile_entry):
    client.force_login(victor)
    response = client.get(f"/employers/{hospital.pk}/download.csv")
    assert response["Content-Type"].startswith("text/csv")
    assert response["Cache-Control"] == "private, no-store"
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 2
    assert "'=cmd|' /C calc'!A0" in rows[1]
    assert "'+SUM(1)" in rows[1]
    assert not any(cell.startswith(("=", "+", "@")) for cell in rows[1])


def test_the_xlsx_holds_no_formula(client, victor, hospital, hostile_entry):
    client.force_login(victor)
    response = client.get(f"/employers/{hospital.pk}/download.xlsx")
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    cells = [cell for row in workbook.active.iter_rows() for cell in row]
    assert not [cell for cell in cells if cell.data_type == "f"]
    assert "'=cmd|' /C calc'!A0" in [cell.value for cell in cells]


def test_an_unknown_format_is_not_found(client, victor, hospital):
    client.force_login(victor)
    assert client.get(f"/employers/{hospital.pk}/download.pdf").status_code == 404
