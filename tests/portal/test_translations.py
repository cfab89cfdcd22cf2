"""The Arabic catalogue is complete: every entry translated, none fuzzy, placeholders kept."""

import re
import subprocess
from pathlib import Path

from django.conf import settings

from mumaris.floors import DEVELOPMENT_APPS, PROJECT_APPS

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "ar" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]")


def parse_entries(text):
    """(flags, msgid, [msgstr...]) for each entry of a PO file (enough of PO for our catalogue)."""
    entries = []
    for block in text.split("\n\n"):
        flags = " ".join(line for line in block.splitlines() if line.startswith("#,"))
        fields = {}
        current = None
        for line in block.splitlines():
            match = re.match(r'^(msgid|msgid_plural|msgstr(?:\[\d\])?) "(.*)"$', line)
            if match:
                current = match.group(1)
                fields[current] = match.group(2)
            elif line.startswith('"') and current:
                fields[current] += line[1:-1]
        if "msgid" in fields:
            strings = [value for key, value in fields.items() if key.startswith("msgstr")]
            entries.append((flags, fields["msgid"], fields.get("msgid_plural"), strings))
    return entries


def test_catalogue_compiles_without_fuzzy_or_untranslated_entries():
    result = subprocess.run(  # noqa: S603
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(CATALOGUE)],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "fuzzy" not in result.stderr
    assert "untranslated" not in result.stderr


def test_every_entry_is_translated_and_keeps_its_placeholders():
    entries = parse_entries(CATALOGUE.read_text(encoding="utf-8"))
    assert len(entries) > 100
    for flags, msgid, msgid_plural, strings in entries:
        if msgid == "":
            continue  # the header
        assert "fuzzy" not in flags, msgid
        assert strings, msgid
        assert all(strings), f"untranslated: {msgid!r}"
        expected = set(PLACEHOLDER.findall(msgid)) | set(PLACEHOLDER.findall(msgid_plural or ""))
        for translated in strings:
            assert set(PLACEHOLDER.findall(translated)) <= expected, msgid


def test_every_translatable_string_in_the_code_is_in_the_catalogue(tmp_path, monkeypatch, settings):
    """makemessages, run on a copy of the sources, finds nothing the committed catalogue lacks."""
    import shutil

    from django.core.management import call_command

    base = Path(settings.BASE_DIR)
    for name in (*PROJECT_APPS, *DEVELOPMENT_APPS, "mumaris", "templates", "locale"):
        shutil.copytree(base / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.chdir(tmp_path)
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    call_command("makemessages", locale=["ar"], no_obsolete=True, verbosity=0)
    committed = {entry[1] for entry in parse_entries(CATALOGUE.read_text(encoding="utf-8"))}
    generated = (tmp_path / "locale" / "ar" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    found = {entry[1] for entry in parse_entries(generated)}
    assert found <= committed, f"missing from the catalogue: {sorted(found - committed)[:10]}"
