"""PostgreSQL only: trigram indexes so a partial name search stays fast with millions of users.

Django's `icontains` compares UPPER(column) LIKE UPPER('%term%'), so the indexes are on
UPPER(...). pg_trgm is a trusted extension (PostgreSQL 13+): the database owner may create it.
"""

from django.db import migrations

from core.postgresql import run_on_postgresql

CREATE = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS accounts_user_name_ar_trgm ON accounts_user USING gin (UPPER(full_name_ar) gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS accounts_user_name_en_trgm ON accounts_user USING gin (UPPER(full_name_en) gin_trgm_ops)",
]
DROP = ["DROP INDEX IF EXISTS accounts_user_name_ar_trgm", "DROP INDEX IF EXISTS accounts_user_name_en_trgm"]


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [migrations.RunPython(run_on_postgresql(CREATE), run_on_postgresql(DROP))]
