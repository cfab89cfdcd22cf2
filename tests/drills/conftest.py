"""Drills: the portal on a real stack, driven from outside as people and servers would.

Each drill starts its own stack (a fresh PostgreSQL database with the demo data, gunicorn with
production settings, and where it needs them nginx, Redis, an SMTP server) from the `bench`
package, once per module, and stops it when the module ends, so no drill's servers compete with
the next one's measurements. PostgreSQL itself is started once (`service postgresql start`), so
the drills need root. Marked `drill` and left out of `make test`; `make drills` runs them all.
"""

import os

import pytest

from bench.loadstack import RESULTS_DIR, prepare_postgres


def pytest_collection_modifyitems(config, items):
    """A drill runs only when the -m expression names drills: `-m "not browser"` (make test-fast)
    replaces the addopts' `-m "not drill"`, and must not start servers for minutes."""
    if "drill" in (config.option.markexpr or ""):
        return
    drills = [item for item in items if item.get_closest_marker("drill")]
    if drills:
        config.hook.pytest_deselected(items=drills)
        items[:] = [item for item in items if not item.get_closest_marker("drill")]


@pytest.fixture(scope="session")
def postgresql():
    """PostgreSQL running, with the role the stacks' databases belong to."""
    if os.geteuid() != 0:
        pytest.fail("the drills start PostgreSQL with `service` and need root")
    prepare_postgres()
    RESULTS_DIR.mkdir(exist_ok=True)
