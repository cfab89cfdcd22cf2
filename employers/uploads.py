"""Reading a list of membership numbers from an uploaded CSV or XLSX file, refusing hostile ones.

A file is judged by its content, not its name: an XLSX is a zip archive (checked before it is
opened: its entries' declared sizes and compression ratio, so a zip bomb is never inflated), a
CSV is UTF-8 text. Only the first column is read; a first row without a digit is a heading.
"""

import csv
import io
import zipfile

from django.utils.translation import gettext_lazy as _
from openpyxl import load_workbook

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
# An XLSX of 5,000 numbers inflates to well under 2 MB; a bomb declares far more.
MAX_INFLATED_BYTES = 30 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100
MAX_ZIP_ENTRIES = 200
ZIP_SIGNATURE = b"PK\x03\x04"


class UploadRefused(Exception):
    """The whole file is refused; `message` says why, for the person who sent it."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


TOO_BIG = _("The file is larger than 2 MB. Send at most 5,000 membership numbers.")
TOO_MANY_ROWS = _("The file has more than 5,000 rows. Split it into smaller files.")
WRONG_TYPE = _("The file is neither a CSV nor an Excel (XLSX) file. Save it as one of those and try again.")
DAMAGED_XLSX = _("The Excel file could not be read. Open it, save it again as XLSX and try again.")
EMPTY = _("The file has no membership numbers.")


def read_numbers(uploaded):
    """[(row number, text of the first cell)] of a file's non-empty rows, or UploadRefused."""
    if uploaded.size > MAX_FILE_BYTES:
        raise UploadRefused(TOO_BIG)
    content = uploaded.read(MAX_FILE_BYTES + 1)
    if len(content) > MAX_FILE_BYTES:
        raise UploadRefused(TOO_BIG)
    rows = _xlsx_rows(content) if content.startswith(ZIP_SIGNATURE) else _csv_rows(content)
    rows = [(number, text) for number, text in rows if text]
    if rows and rows[0][0] == 1 and not any(character.isdigit() for character in rows[0][1]):
        rows = rows[1:]  # a heading
    if not rows:
        raise UploadRefused(EMPTY)
    return rows


def _cell_text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a number Excel kept as 2600000001.0
    return str(value).strip()


def _csv_rows(content):
    if b"\x00" in content:
        raise UploadRefused(WRONG_TYPE)
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise UploadRefused(WRONG_TYPE) from error
    rows = []
    try:
        for number, row in enumerate(csv.reader(io.StringIO(text, newline="")), start=1):
            if number > MAX_ROWS + 1:  # one more for a heading
                raise UploadRefused(TOO_MANY_ROWS)
            rows.append((number, _cell_text(row[0]) if row else ""))
    except csv.Error as error:  # a field over the csv module's limit (128 KB): no list of numbers
        raise UploadRefused(WRONG_TYPE) from error
    return rows


def _check_archive(content):
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except zipfile.BadZipFile as error:
        raise UploadRefused(DAMAGED_XLSX) from error
    entries = archive.infolist()
    inflated = sum(entry.file_size for entry in entries)
    compressed = sum(entry.compress_size for entry in entries) or 1
    if len(entries) > MAX_ZIP_ENTRIES or inflated > MAX_INFLATED_BYTES or inflated / compressed > MAX_COMPRESSION_RATIO:
        raise UploadRefused(DAMAGED_XLSX)
    if "xl/workbook.xml" not in archive.namelist():
        raise UploadRefused(WRONG_TYPE)


def _xlsx_rows(content):
    _check_archive(content)
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds on a damaged file  # noqa: BLE001
        raise UploadRefused(DAMAGED_XLSX) from error
    try:
        sheet = workbook.worksheets[0]
        rows = []
        for number, row in enumerate(sheet.iter_rows(max_col=1, values_only=True), start=1):
            if number > MAX_ROWS + 1:
                raise UploadRefused(TOO_MANY_ROWS)
            rows.append((number, _cell_text(row[0]) if row else ""))
        return rows
    except UploadRefused:
        raise
    except Exception as error:  # noqa: BLE001
        raise UploadRefused(DAMAGED_XLSX) from error
    finally:
        workbook.close()
