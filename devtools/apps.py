from django.apps import AppConfig


class DevtoolsConfig(AppConfig):
    """Demo and load-test data (`load_demo`, `seed_bulk`) and the demo people: installed only with
    DEVTOOLS=true (make run, the tests, the benchmarks), never by the production settings alone."""

    name = "devtools"
    verbose_name = "Development tools"
