"""The certificate's text-layer fix, byte by byte, on a CMap written as pydyf writes it."""

import io

import pydyf
from django.core.checks import run_checks

from registry import pdf_text

# A ToUnicode CMap as WeasyPrint hands it to pydyf: lam-alef (U+0644 U+0627) and a three-letter
# Arabic ligature in reading order; a Latin "fi" ligature and a single letter that stay as they are.
CMAP = [
    b"/CIDInit /ProcSet findresource begin",
    b"4 beginbfchar",
    b"<0012> <06440627>",
    b"<0013> <064406450645>",
    b"<0014> <00660069>",
    b"<0015> <0628>",
    b"endbfchar",
    b"endcmap",
]


def written(pdf):
    output = io.BytesIO()
    pdf.write(output)
    return output.getvalue()


def test_right_to_left_ligatures_are_stored_reversed_and_nothing_else_changes():
    pdf = pydyf.PDF()
    cmap = pydyf.Stream(list(CMAP))
    other = pydyf.Stream([b"BT", b"<0012> <06440627>", b"ET"])  # not a CMap: left alone
    pdf.add_object(cmap)
    pdf.add_object(other)
    pdf_text.right_to_left_ligatures_in_reading_order(None, pdf)
    assert cmap.stream == [
        CMAP[0],
        CMAP[1],
        b"<0012> <06270644>",
        b"<0013> <064506450644>",
        b"<0014> <00660069>",
        b"<0015> <0628>",
        CMAP[6],
        CMAP[7],
    ]
    assert other.stream == [b"BT", b"<0012> <06440627>", b"ET"]
    pdf_bytes = written(pdf)
    assert b"<0012> <06270644>\n<0013> <064506450644>\n<0014> <00660069>" in pdf_bytes
    assert b"<0012> <06440627>" in pdf_bytes  # the other stream's line, as it was


def test_a_line_that_is_not_an_entry_is_kept_as_it_is():
    for line in (b"<0012>", b"<0012> <0644>", b"<zz12> <06440627>", b"beginbfchar"):
        assert pdf_text.reverse_rtl_ligature(line) == line


def test_the_installed_pydyf_is_the_series_the_fix_was_written_for(monkeypatch):
    assert pydyf.__version__.startswith(pdf_text.PYDYF_SERIES)
    assert not [message for message in run_checks() if message.id == "register.E001"]
    monkeypatch.setattr(pydyf, "__version__", "0.14.0")
    assert [message.id for message in run_checks() if message.id == "register.E001"] == ["register.E001"]
