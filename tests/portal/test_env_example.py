"""`.env.example` documents exactly the environment variables the settings read."""

import re
from pathlib import Path

from django.conf import settings

# `_env(env.str, "NAME", …)`, the settings' one way to read a variable.
READ = re.compile(r'_env\(\s*env\.\w+,\s*"([A-Z][A-Z0-9_]*)"')
# `NAME=value` or, for one left at its default, `# NAME=value`.
DOCUMENTED = re.compile(r"^#? ?([A-Z][A-Z0-9_]*)=", re.MULTILINE)


def test_every_variable_the_settings_read_is_in_env_example_and_the_reverse():
    base = Path(settings.BASE_DIR)
    read = set(READ.findall((base / "mumaris" / "settings.py").read_text()))
    documented = set(DOCUMENTED.findall((base / ".env.example").read_text()))
    assert read, "no variable found: the pattern no longer matches the settings"
    assert sorted(read - documented) == [], "read by the settings, missing from .env.example"
    assert sorted(documented - read) == [], "in .env.example, never read by the settings"


def test_the_footer_writes_to_the_support_address_from_the_environment(client, settings):
    settings.SUPPORT_EMAIL = "help@scfhs.example.sa"
    assert 'href="mailto:help@scfhs.example.sa"' in client.get("/").content.decode()
