"""The project's own apps, from the ground floor up: each imports only the apps below it.

The one list that the settings, the layering test, the catalogue check and `make lint` (bandit,
through `python -c`) read. `devtools` (demo and load data) sits above them all and is installed
only with DEVTOOLS=true.
"""

PROJECT_APPS = ["core", "accounts", "profiles", "registry", "applications", "employers", "api", "portal"]
DEVELOPMENT_APPS = ["devtools"]
