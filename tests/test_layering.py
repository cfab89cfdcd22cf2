"""Imports point downhill: an app uses the apps below it, never one above, with no exception.

The floors, from the ground up (mumaris/floors.py): core → accounts → profiles → registry →
applications → portal, and devtools (demo and load data) above them all. core imports none of
our apps; nothing imports portal or devtools.
"""

import ast
from pathlib import Path

import pytest
from django.conf import settings

from mumaris.floors import DEVELOPMENT_APPS, PROJECT_APPS

FLOORS = [*PROJECT_APPS, *DEVELOPMENT_APPS]


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
            if name.split(".")[0] in FLOORS:
                yield name.split(".")[0], node.lineno


@pytest.mark.parametrize("app", FLOORS)
def test_app_imports_only_the_apps_below_it(app):
    base = Path(settings.BASE_DIR)
    below = set(FLOORS[: FLOORS.index(app)])
    uphill = [
        f"{path.relative_to(base)}:{line} imports {imported}"
        for path in sorted((base / app).rglob("*.py"))
        for imported, line in imported_apps(path)
        if imported != app and imported not in below
    ]
    assert uphill == []


def test_every_app_is_on_a_floor():
    base = Path(settings.BASE_DIR)
    apps = {path.parent.name for path in base.glob("*/apps.py")}
    assert apps == set(FLOORS)
