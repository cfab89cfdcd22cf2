"""Backups: the database and the documents in one dated archive, and its restore.

An archive (`mumaris-backup-<UTC time>.tar`) holds
- `database.dump`: pg_dump's custom format, one consistent snapshot of the whole database;
- `media/<name>`: every file of the documents' storage (the local folder or the S3 bucket,
  read through Django's storage, so both are backed up alike), read after the dump: a document
  uploaded meanwhile is an extra file the orphan sweep removes, never a row without its file
  (except one deleted in those minutes, whose row is gone too);
- `backup.json`: when, from which database, how many documents;
- `MANIFEST.sha256`: the SHA-256 of every other member, in `sha256sum -c` format.
It is written under a temporary name and renamed when whole.

A restore checks every checksum before touching anything, refuses a database that has tables or a
storage that has files, then runs pg_restore and writes the documents back under their names.
"""

import hashlib
import io
import json
import os
import subprocess  # nosec B404 (pg_dump and pg_restore, fixed argument lists)
import tarfile
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection

DATABASE_DUMP = "database.dump"
DETAILS = "backup.json"
MANIFEST = "MANIFEST.sha256"
MEDIA_PREFIX = "media/"
CHUNK = 1024 * 1024


class BackupError(Exception):
    pass


def postgresql_database():
    database = settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.postgresql":
        raise BackupError("backups need PostgreSQL (DATABASE_URL=postgres://…); a SQLite file is copied as it is")
    return database


def postgres_command(program, *arguments):
    """`program` (pg_dump, pg_restore) run against the configured database, and its environment."""
    database = postgresql_database()
    command = [program, "--dbname", database["NAME"], *arguments]
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if database.get(key):
            command += [option, str(database[key])]
    environment = {**os.environ, "PGPASSWORD": database.get("PASSWORD") or ""}
    return command, environment


def stored_files(storage, directory=""):
    """Every file name in `storage` under `directory`, depth first."""
    try:
        directories, files = storage.listdir(directory)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{directory}{name}"
    for name in sorted(directories):
        yield from stored_files(storage, f"{directory}{name}/")


def add_bytes(archive, name, data):
    member = tarfile.TarInfo(name)
    member.size = len(data)
    member.mtime = int(time.time())
    member.mode = 0o600
    archive.addfile(member, io.BytesIO(data))
    return hashlib.sha256(data).hexdigest()


def file_sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as stream:  # noqa: PTH123
        while chunk := stream.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def make_backup(directory, now):
    """Write one archive of the database and the documents into `directory`; returns its path."""
    postgresql_database()
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    archive_path = directory / f"mumaris-backup-{now:%Y%m%dT%H%M%SZ}.tar"
    partial_path = archive_path.with_name(archive_path.name + ".partial")
    with tempfile.TemporaryDirectory(dir=directory) as work:
        dump = Path(work) / DATABASE_DUMP
        command, environment = postgres_command("pg_dump", "--format=custom", "--file", str(dump))
        subprocess.run(command, env=environment, check=True)  # noqa: S603  # nosec B603 (fixed program, our settings)
        checksums = {}
        with tarfile.open(partial_path, "w") as archive:
            checksums[DATABASE_DUMP] = file_sha256(dump)
            archive.add(dump, arcname=DATABASE_DUMP)
            documents = 0
            for name in stored_files(default_storage):
                with default_storage.open(name, "rb") as stream:
                    checksums[MEDIA_PREFIX + name] = add_bytes(archive, MEDIA_PREFIX + name, stream.read())
                documents += 1
            details = {
                "created_at": now.isoformat(),
                "database": settings.DATABASES["default"]["NAME"],
                "documents": documents,
            }
            checksums[DETAILS] = add_bytes(archive, DETAILS, json.dumps(details, indent=2).encode())
            manifest = "".join(f"{checksum}  {name}\n" for name, checksum in checksums.items())
            add_bytes(archive, MANIFEST, manifest.encode())
    partial_path.rename(archive_path)
    return archive_path


def read_manifest(archive):
    try:
        text = archive.extractfile(MANIFEST).read().decode()
    except KeyError as missing:
        raise BackupError(f"{MANIFEST} is missing: not a Mumaris backup, or a partial one") from missing
    return {name: checksum for checksum, name in (line.split("  ", 1) for line in text.splitlines())}


def archive_problems(archive):
    """What does not match the manifest: a changed, missing or unlisted member."""
    expected = read_manifest(archive)
    problems, seen = [], set()
    for member in archive.getmembers():
        if member.name == MANIFEST:
            continue
        if not member.isfile() or member.name not in expected:
            problems.append(f"not in the manifest: {member.name}")
            continue
        digest = hashlib.sha256()
        stream = archive.extractfile(member)
        while chunk := stream.read(CHUNK):
            digest.update(chunk)
        if digest.hexdigest() != expected[member.name]:
            problems.append(f"checksum differs: {member.name}")
        seen.add(member.name)
    problems += [f"missing: {name}" for name in sorted(set(expected) - seen)]
    return problems


def target_problems():
    """Why the configured database and document storage cannot take a restore (they are not empty)."""
    problems = []
    tables = connection.introspection.table_names()
    if tables:
        problems.append(f"the database {settings.DATABASES['default']['NAME']} is not empty ({len(tables)} tables)")
    if next(stored_files(default_storage), None) is not None:
        problems.append("the document storage is not empty")
    return problems


def restore_backup(archive_path):
    """Restore an archive into the configured (empty) database and document storage; returns the
    number of documents written."""
    postgresql_database()
    with tarfile.open(archive_path) as archive:
        problems = archive_problems(archive) or target_problems()
        if problems:
            raise BackupError("; ".join(problems))
        with tempfile.TemporaryDirectory() as work:
            archive.extract(DATABASE_DUMP, work, filter="data")
            command, environment = postgres_command(
                "pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", str(Path(work) / DATABASE_DUMP)
            )
            restored = subprocess.run(command, env=environment, check=False)  # noqa: S603  # nosec B603 (as above)
        if restored.returncode:
            raise BackupError(
                f"pg_restore failed (exit {restored.returncode}): the database may hold part of the backup; "
                "drop it, create it empty and restore again"
            )
        documents = 0
        for member in archive.getmembers():
            if not member.name.startswith(MEDIA_PREFIX):
                continue
            name = member.name.removeprefix(MEDIA_PREFIX)
            saved = default_storage.save(name, ContentFile(archive.extractfile(member).read()))
            if saved != name:
                raise BackupError(f"the storage renamed {name} to {saved}")
            documents += 1
    return documents
