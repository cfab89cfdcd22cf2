"""Migrations that only make sense on PostgreSQL (indexes SQLite has no use for, extensions)."""


def run_on_postgresql(statements):
    """A RunPython function that executes `statements` on PostgreSQL and nothing elsewhere."""

    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run
