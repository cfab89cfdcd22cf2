"""What the demo data is made of, shared by `manage.py load_demo` and the bench harnesses.

Plain values with no Django import, so the harnesses (which run outside Django) can use them.
"""

# Printed by `make run` for the demo accounts; never used in production.
DEMO_PASSWORD = "Mumaris-Demo-2026"  # noqa: S105  # nosec B105
# A minimal, valid PDF: what the demo documents contain.
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
