"""The certificate's text layer: copied Arabic reads as it was written.

WeasyPrint maps a ligature glyph (lam-alef, and the font's others) to its letters in reading
order in the font's ToUnicode CMap, as the PDF standard says; PDFium (Chrome's viewer) and
Poppler (pdftotext, Evince) lay a right-to-left line out glyph by glyph and reverse it, which
turns "لا" into "ال" and "الأحمدي" into "األحمدي". Storing those few entries reversed makes both
read the name as it was written.

This edits pydyf's objects after WeasyPrint has made them (its `finisher` hook), relying on how
pydyf 0.13 keeps a CMap: a `Stream` whose `stream` is a list of byte lines, one `bfchar` entry a
line. `PYDYF_SERIES` names the series this was written and tested for; the system check
`register.E001` stops the portal from starting on another, so an upgrade is looked at first.
"""

import re

import pydyf
from django.core.checks import Error, register

PYDYF_SERIES = "0.13."
_RTL_CHARACTER = re.compile(r"[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")
_TO_UNICODE_ENTRY = re.compile(rb"<([0-9a-f]{4})> <((?:[0-9a-f]{4}){2,})>")


def right_to_left_ligatures_in_reading_order(document, pdf):
    """WeasyPrint's finisher: every ToUnicode CMap's right-to-left ligature entries reversed."""
    for pdf_object in pdf.objects:
        lines = getattr(pdf_object, "stream", None)
        if not lines or not any(isinstance(line, bytes) and line.endswith(b"beginbfchar") for line in lines):
            continue
        pdf_object.stream = [reverse_rtl_ligature(line) if isinstance(line, bytes) else line for line in lines]


def reverse_rtl_ligature(line):
    """One CMap line: a `bfchar` entry whose letters are all right-to-left, with them reversed;
    any other line as it was."""
    entry = _TO_UNICODE_ENTRY.fullmatch(line)
    if entry is None:
        return line
    letters = bytes.fromhex(entry[2].decode()).decode("utf-16-be")
    if not all(_RTL_CHARACTER.match(letter) for letter in letters):
        return line
    return b"<%s> <%s>" % (entry[1], letters[::-1].encode("utf-16-be").hex().encode())


@register()
def pydyf_is_the_tested_series(app_configs, **kwargs):
    if pydyf.__version__.startswith(PYDYF_SERIES):
        return []
    return [
        Error(
            f"pydyf {pydyf.__version__} is installed; register/pdf_text.py edits pydyf {PYDYF_SERIES}x's CMap streams.",
            hint="Check that copied Arabic text on a certificate still reads right, then update PYDYF_SERIES.",
            id="register.E001",
        )
    ]
