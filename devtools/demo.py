"""What the demo data is made of, shared by `manage.py load_demo` and the bench harnesses.

Plain values with no Django import, so the harnesses (which run outside Django) can use them.
"""

from typing import NamedTuple


class DemoPerson(NamedTuple):
    national_id: str
    email: str
    full_name_ar: str
    full_name_en: str


# The demo accounts `make run` prints, by role: load_demo makes them, the harnesses log in as them.
APPLICANT = DemoPerson("1000000008", "applicant@mumaris.localhost", "سارة عبدالله القحطاني", "Sarah Alqahtani")
SUBMITTED = DemoPerson("1000000016", "submitted@mumaris.localhost", "محمد علي الحربي", "Mohammed Alharbi")
PRACTITIONER = DemoPerson("2000000006", "practitioner@mumaris.localhost", "أنيتا جوزيف", "Anita Joseph")
REVIEWER = DemoPerson("1000000024", "reviewer@mumaris.localhost", "نورة سعد المراجعة", "Noura Reviewer")
RENEWING = DemoPerson("1000000032", "renewing@mumaris.localhost", "عبدالإله فهد الأحمدي", "Abdulelah Alahmadi")
# The administrator of the demo organisation (an approved hospital watching the demo practitioners).
EMPLOYER = DemoPerson("1000000057", "employer@mumaris.localhost", "هند سالم الموارد", "Hind Alsalem")
DEMO_PEOPLE = {
    "applicant": APPLICANT,
    "submitted": SUBMITTED,
    "practitioner": PRACTITIONER,
    "reviewer": REVIEWER,
    "renewing": RENEWING,
    "employer": EMPLOYER,
}
DEMO_ORGANISATION = {
    "name_ar": "مستشفى الرعاية التجريبي",
    "name_en": "Demo Care Hospital",
    "commercial_registration": "1010000001",
    "facility_licence": "MOH-DEMO-001",
    "city": "الرياض",
    "contact_email": "employer@mumaris.localhost",
}
# The demo practitioner's membership number (the first one issued in the demo's year).
PRACTITIONER_MEMBERSHIP_NUMBER = "26-0000-0001"
# Printed by `make run` for the demo accounts; never used in production.
DEMO_PASSWORD = "Mumaris-Demo-2026"  # noqa: S105  # nosec B105
# A minimal, valid PDF: what the demo documents contain.
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
