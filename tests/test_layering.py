"""Imports point downhill: an app uses the apps below it, never one above.

registration → register, profiles, accounts, portal; register → profiles, accounts, portal;
profiles → accounts, portal; accounts → portal.
portal's helpers use none of our apps; only its pages that span apps (portal/views.py) may.
"""

import ast
from pathlib import Path

import pytest
from django.conf import settings

OUR_APPS = {"portal", "accounts", "profiles", "register", "registration"}
ALLOWED = {
    "portal": set(),
    "accounts": {"portal"},
    "profiles": {"accounts", "portal"},
    "register": {"profiles", "accounts", "portal"},
    "registration": {"register", "profiles", "accounts", "portal"},
}
SPANNING_MODULES = {Path("portal/views.py")}


def imported_apps(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        for name in names:
            if name.split(".")[0] in OUR_APPS:
                yield name.split(".")[0], node.lineno


@pytest.mark.parametrize("app", sorted(ALLOWED))
def test_app_imports_only_the_apps_below_it(app):
    base = Path(settings.BASE_DIR)
    uphill = [
        f"{path.relative_to(base)}:{line} imports {imported}"
        for path in sorted((base / app).rglob("*.py"))
        if path.relative_to(base) not in SPANNING_MODULES
        for imported, line in imported_apps(path)
        if imported != app and imported not in ALLOWED[app]
    ]
    assert uphill == []
