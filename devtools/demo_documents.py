"""Real, small documents for the demo data: what a reviewer's preview draws and the upload checks pass.

An employer's letter and a certificate of attendance are one-page PDFs drawn by WeasyPrint from a
few lines of HTML in the portal's font; an iqama copy is a JPEG drawn by Pillow, as a phone's scan
would be. Each says it is a demo ("نموذج تجريبي") so nobody takes it for a real document.
"""

import functools
import io

from django.conf import settings
from django.core.files.base import ContentFile
from django.template import engines
from django.utils import translation
from django.utils.formats import date_format
from PIL import Image, ImageDraw, ImageFont

FONT_DIR = settings.BASE_DIR / "static" / "fonts"
ARABIC_FONT = FONT_DIR / "ibm-plex-sans-arabic-arabic-400-normal.woff2"
ARABIC_BOLD_FONT = FONT_DIR / "ibm-plex-sans-arabic-arabic-700-normal.woff2"
LATIN_FONT = FONT_DIR / "ibm-plex-sans-arabic-latin-400-normal.woff2"

PAGE = """<!doctype html><html lang="ar" dir="rtl"><head><meta charset="utf-8"><style>
/* Two families, not one split by unicode-range: WeasyPrint would merge them into one PDF font. */
@font-face { font-family: "Plex Arabic"; src: url("{{ font_dir }}/ibm-plex-sans-arabic-arabic-400-normal.woff2"); }
@font-face { font-family: "Plex Arabic"; font-weight: 700;
  src: url("{{ font_dir }}/ibm-plex-sans-arabic-arabic-700-normal.woff2"); }
@font-face { font-family: "Plex Latin"; src: url("{{ font_dir }}/ibm-plex-sans-arabic-latin-400-normal.woff2"); }
@font-face { font-family: "Plex Latin"; font-weight: 700;
  src: url("{{ font_dir }}/ibm-plex-sans-arabic-latin-700-normal.woff2"); }
@page { size: A5; margin: 18mm 16mm; }
body { font-family: "Plex Arabic", "Plex Latin"; font-size: 11pt; line-height: 1.8; color: #1f2328; }
header { border-block-end: 2px solid #006c35; margin-block-end: 8mm; }
h1 { font-size: 15pt; margin: 0; color: #006c35; }
.demo { color: #b42318; font-weight: 700; }
footer { margin-block-start: 12mm; }
</style></head><body>
<header><h1>{{ issuer }}</h1><p class="demo">نموذج تجريبي لبيانات العرض — ليس مستندًا حقيقيًا</p></header>
<h2>{{ title }}</h2>
{% for line in lines %}<p>{{ line }}</p>{% endfor %}
<footer><p>التاريخ: {{ date }}</p><p>التوقيع: ____________</p></footer>
</body></html>"""


def arabic_date(day):
    """A date as "25 نوفمبر 2026", which reads right in a right-to-left line."""
    with translation.override("ar"):
        return date_format(day, "j F Y")


@functools.cache
def _pdf(issuer, title, lines, date):
    from weasyprint import HTML  # noqa: PLC0415  (needs Pango; only the demo loader draws these)

    html = (
        engines["django"]
        .from_string(PAGE)
        .render({"issuer": issuer, "title": title, "lines": lines, "date": date, "font_dir": FONT_DIR.as_uri()})
    )
    return HTML(string=html, base_url=str(FONT_DIR)).write_pdf()


def employer_letter(person, employer, profession, letter_date):
    """The employer's letter of introduction for `person` (a devtools.demo.DemoPerson)."""
    lines = (
        "إلى من يهمه الأمر،",
        f"نفيدكم بأن {person.full_name_ar}، رقم الهوية {person.national_id}، يعمل لدينا في مهنة {profession}.",
        "وقد أُعطي هذا الخطاب بناءً على طلبه لتقديمه إلى الهيئة لغرض التسجيل المهني.",
    )
    content = _pdf(employer, "خطاب تعريف", lines, arabic_date(letter_date))
    return ContentFile(content, name="employer_letter.pdf")


def shared_employer_letter(employer, profession):
    """One letter for many applicants (the history's decided applications): it names nobody and no
    day, so WeasyPrint draws it once however many applications carry it."""
    lines = (
        "إلى من يهمه الأمر،",
        f"نفيدكم بأن حامل هذا الخطاب، من المتقدمين السابقين في بيانات العرض، يعمل لدينا في مهنة {profession}.",
        "وهو خطاب واحد مشترك بين طلبات سجل العرض التي بُتّ فيها.",
    )
    content = _pdf(employer, "خطاب تعريف", lines, "غير مؤرخ (نموذج مشترك)")
    return ContentFile(content, name="employer_letter.pdf")


def attendance_certificate(person, title, provider, completed_on, hours):
    """A certificate of attendance of one continuing-education activity."""
    lines = (
        f"تشهد {provider} بأن {person.full_name_ar} حضر «{title}».",
        f"عدد الساعات المعتمدة: {hours}",
    )
    content = _pdf(provider, "شهادة حضور", lines, arabic_date(completed_on))
    return ContentFile(content, name="certificate.pdf")


def iqama_copy(person, iqama_number, expiry):
    """A scanned residence card, as a JPEG: the iqama copy a non-Saudi applicant uploads."""
    card = Image.new("RGB", (856, 540), "#eef4f0")
    draw = ImageDraw.Draw(card)
    draw.rounded_rectangle((12, 12, 843, 527), radius=28, outline="#006c35", width=6)
    bold = ImageFont.truetype(str(ARABIC_BOLD_FONT), 40, layout_engine=ImageFont.Layout.RAQM)
    regular = ImageFont.truetype(str(ARABIC_FONT), 32, layout_engine=ImageFont.Layout.RAQM)
    latin = ImageFont.truetype(str(LATIN_FONT), 34)
    arabic_lines = (
        (50, "هوية مقيم", bold, "#006c35"),
        (115, "نموذج تجريبي، ليس وثيقة حقيقية", regular, "#b42318"),
        (200, person.full_name_ar, bold, "#1f2328"),
        (290, "رقم الهوية", regular, "#454d55"),
        (370, "تاريخ الانتهاء", regular, "#454d55"),
    )
    for top, text, font, colour in arabic_lines:
        draw.text((810, top), text, font=font, fill=colour, anchor="ra", direction="rtl")
    for top, text in ((210, person.full_name_en), (295, iqama_number), (375, expiry.isoformat())):
        draw.text((46, top), text, font=latin, fill="#1f2328", anchor="la")
    output = io.BytesIO()
    card.save(output, format="JPEG", quality=80)
    return ContentFile(output.getvalue(), name="iqama_copy.jpg")
