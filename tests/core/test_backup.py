"""The backup archive's manifest is checked before a restore touches anything, and a restore
refuses a target that is not empty. The whole round trip on PostgreSQL is the restore drill
(tests/drills/test_backup_restore.py)."""

import hashlib
import io
import tarfile

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from core.backup import BackupError, archive_problems, make_backup, stored_files, target_problems


def archive_of(members, manifest):
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as archive:
        for name, data in {**members, "MANIFEST.sha256": manifest.encode()}.items():
            member = tarfile.TarInfo(name)
            member.size = len(data)
            archive.addfile(member, io.BytesIO(data))
    buffer.seek(0)
    return tarfile.open(fileobj=buffer)


def line(name, data):
    return f"{hashlib.sha256(data).hexdigest()}  {name}\n"


def test_an_archive_that_matches_its_manifest_has_no_problems():
    members = {"database.dump": b"dump", "media/documents/a.pdf": b"%PDF-a"}
    manifest = "".join(line(name, data) for name, data in members.items())
    assert archive_problems(archive_of(members, manifest)) == []


def test_a_changed_a_missing_and_an_unlisted_member_are_each_named():
    members = {"database.dump": b"dump", "media/documents/a.pdf": b"%PDF-changed", "media/extra.pdf": b"x"}
    manifest = line("database.dump", b"dump") + line("media/documents/a.pdf", b"%PDF-a") + line("backup.json", b"{}")
    assert archive_problems(archive_of(members, manifest)) == [
        "checksum differs: media/documents/a.pdf",
        "not in the manifest: media/extra.pdf",
        "missing: backup.json",
    ]


def test_an_archive_without_a_manifest_is_refused():
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w"):
        pass
    buffer.seek(0)
    with tarfile.open(fileobj=buffer) as archive, pytest.raises(BackupError, match="MANIFEST.sha256 is missing"):
        archive_problems(archive)


@pytest.mark.django_db
def test_a_database_with_tables_and_a_storage_with_files_are_not_restore_targets():
    default_storage.save("documents/kept.pdf", ContentFile(b"%PDF-kept"))
    problems = target_problems()
    assert any("is not empty" in problem and "tables" in problem for problem in problems)
    assert "the document storage is not empty" in problems


def test_every_stored_file_is_listed_under_its_name(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    for name in ("documents/b.pdf", "documents/a.png", "top.txt"):
        default_storage.save(name, ContentFile(b"x"))
    assert list(stored_files(default_storage)) == ["top.txt", "documents/a.png", "documents/b.pdf"]


def test_a_missing_media_folder_is_an_empty_storage(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "never-made"
    assert list(stored_files(default_storage)) == []


def test_a_backup_needs_postgresql(monkeypatch, tmp_path):
    from django.conf import settings

    monkeypatch.setitem(settings.DATABASES["default"], "ENGINE", "django.db.backends.sqlite3")
    with pytest.raises(BackupError, match="backups need PostgreSQL"):
        make_backup(tmp_path, None)
    assert list(tmp_path.iterdir()) == []
