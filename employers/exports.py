"""The watchlist as a CSV or XLSX file, with spreadsheet formulas made harmless.

A name or a specialty is typed by a person; a cell that starts with = + - @ (or a tab or a carriage
return, which some spreadsheets skip) would run as a formula when the file is opened, so such a
value is written with a leading apostrophe and stays text (OWASP "CSV injection").
"""

import csv
import io
import tempfile

from django.utils.translation import get_language
from django.utils.translation import gettext as _
from openpyxl import Workbook

from core.hijri import calendar_parts

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def harmless(value):
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def header():
    return [
        _("Membership number"),
        _("Name"),
        _("Name in English"),
        _("Profession"),
        _("Specialty"),
        _("Status"),
        _("Valid until"),
        _("Valid until (Hijri)"),
    ]


def cells(row):
    card = row.card
    return [
        harmless(value)
        for value in (
            card.membership_number,
            card.name_ar,
            card.name_en,
            card.profession,
            card.specialty,
            card.status_label,
            card.valid_until.isoformat(),
            calendar_parts(card.valid_until, get_language())[1],
        )
    ]


def watchlist_csv(rows):
    """The file's bytes: UTF-8 with a byte-order mark, so Excel reads the Arabic."""
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(header())
    writer.writerows(cells(row) for row in rows)
    return ("\ufeff" + text.getvalue()).encode()


def watchlist_xlsx(rows):
    """A temporary file holding the workbook, written row by row (flat memory); the caller
    streams and closes it."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Watchlist"))
    sheet.append(header())
    for row in rows:
        sheet.append(cells(row))
    output = tempfile.TemporaryFile()  # noqa: SIM115  (closed by the response that streams it)
    workbook.save(output)
    output.seek(0)
    return output
