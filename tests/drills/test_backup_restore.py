"""The restore drill: a backup is only as good as a restore that was tried.

The demo data and a few hundred generated applications (`seed_bulk`), each document a file in the
media folder; `manage.py backup`; `manage.py restore` into a fresh database and an empty folder on
the same machine; then the integrity check, every table's row count, every document's checksum
and a restored certificate's QR page (served by gunicorn on the restored database) must equal the
original's. A tampered archive and a non-empty target are refused, and leave the target as it was.
"""

import hashlib
import json
import secrets
import tarfile
import time

import pytest

from bench.loadstack import RESULTS_DIR, Stack, Visitor, free_port, run_as_postgres

pytestmark = pytest.mark.drill

GENERATED = 150  # seed_bulk makes this many practitioners and as many applicants
DOCUMENT_COLUMNS = {
    "applications_application": ("employer_letter", "iqama_copy", "medical_report"),
    "applications_cpdactivity": ("certificate",),
}


def write_missing_documents(stack):
    """seed_bulk records documents' names only: give each one a file, as an upload would have."""
    written = 0
    for table, columns in DOCUMENT_COLUMNS.items():
        for column in columns:
            for row in stack.rows(f"SELECT {column} AS name FROM {table} WHERE {column} <> ''"):  # noqa: S608  # nosec B608
                path = stack.media / row["name"]
                if not path.exists():
                    path.parent.mkdir(parents=True, exist_ok=True)
                    path.write_bytes(b"%PDF-1.4\n" + secrets.token_bytes(2048 + written % 8192))
                    written += 1
    return written


def table_counts(stack):
    tables = stack.rows(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
    )
    return {
        row["table_name"]: stack.value(f'SELECT count(*) FROM "{row["table_name"]}"')  # noqa: S608  # nosec B608
        for row in tables
    }


def document_checksums(stack):
    return {
        str(path.relative_to(stack.media)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in stack.media.rglob("*")
        if path.is_file()
    }


def fresh_database(stack):
    run_as_postgres(f"DROP DATABASE IF EXISTS {stack.name}")
    run_as_postgres(f"CREATE DATABASE {stack.name} OWNER mumaris")


def restore(stack, archive):
    """`manage.py restore` with the stack's environment: (exit status, what it printed)."""
    finished = stack.try_manage("restore", str(archive))
    return finished.returncode, finished.stdout + finished.stderr


@pytest.fixture(scope="module")
def drill(postgresql, tmp_path_factory):
    backups = tmp_path_factory.mktemp("backups")
    with Stack("restore_drill", port=free_port(), workers=2) as source:
        source.manage("seed_bulk", str(GENERATED))
        written = write_missing_documents(source)
        started = time.monotonic()
        source.manage("backup", "--output-dir", str(backups))
        backup_seconds = time.monotonic() - started
        (archive,) = backups.glob("mumaris-backup-*.tar")

        restored = Stack("restore_drill_restored", port=free_port(), workers=2)
        fresh_database(restored)
        started = time.monotonic()
        status, output = restore(restored, archive)
        restore_seconds = time.monotonic() - started
        assert status == 0, output
        try:
            restored.start()
            figures = {
                "generated_documents": written,
                "documents": len(document_checksums(source)),
                "rows": sum(table_counts(source).values()),
                "archive_mb": round(archive.stat().st_size / 1024 / 1024, 1),
                "backup_seconds": round(backup_seconds, 1),
                "restore_seconds": round(restore_seconds, 1),
            }
            print(f"\nrestore drill: {figures}")
            (RESULTS_DIR / "restore_drill.json").write_text(json.dumps(figures, indent=2))
            yield source, restored, archive
        finally:
            restored.stop()


def test_the_restored_database_passes_the_integrity_check(drill):
    _source, restored, _archive = drill
    assert "integrity: no problems" in restored.manage("check_integrity")


def test_every_table_has_as_many_rows_as_the_original(drill):
    source, restored, _archive = drill
    original = table_counts(source)
    assert original["applications_application"] >= 2 * GENERATED
    assert table_counts(restored) == original


def test_every_document_is_restored_with_the_same_checksum(drill):
    source, restored, _archive = drill
    original = document_checksums(source)
    assert len(original) >= GENERATED
    assert document_checksums(restored) == original


def test_a_restored_certificates_qr_page_is_the_same_page(drill):
    source, restored, _archive = drill
    code = source.value("SELECT code FROM registry_certificate ORDER BY id LIMIT 1")
    status, body = Visitor(source.url).get(f"/verify/{code}/")[:2]
    restored_status, restored_body = Visitor(restored.url).get(f"/verify/{code}/")[:2]
    assert (status, restored_status) == (200, 200)
    assert restored_body == body


def test_a_restore_into_a_database_that_has_tables_is_refused(drill):
    _source, restored, archive = drill
    before = table_counts(restored)
    status, output = restore(restored, archive)
    assert status != 0
    assert "is not empty" in output
    assert table_counts(restored) == before


def test_a_tampered_archive_is_refused_before_anything_is_written(drill, tmp_path):
    _source, _restored, archive = drill
    tampered = tmp_path / archive.name
    data = bytearray(archive.read_bytes())
    with tarfile.open(archive) as reading:
        document = next(member for member in reading.getmembers() if member.name.startswith("media/"))
    data[document.offset_data] ^= 0xFF
    tampered.write_bytes(bytes(data))
    target = Stack("restore_drill_tampered", port=free_port())
    fresh_database(target)
    try:
        status, output = restore(target, tampered)
        assert status != 0
        assert f"checksum differs: {document.name}" in output
        assert table_counts(target) == {}
        assert document_checksums(target) == {}
    finally:
        target.stop()
        run_as_postgres(f"DROP DATABASE IF EXISTS {target.name}")
