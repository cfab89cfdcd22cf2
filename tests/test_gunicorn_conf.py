"""gunicorn's configuration (mumaris/gunicorn_conf.py): what each worker does once it has loaded
the application."""

import gc
import importlib


def test_a_worker_puts_what_it_loaded_out_of_the_garbage_collectors_reach(monkeypatch, tmp_path):
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))  # the config would make one
    config = importlib.import_module("mumaris.gunicorn_conf")
    gc.unfreeze()
    try:
        config.post_worker_init(worker=None)
        # Every module the tests loaded, Django's and ours, is now out of a full collection's walk.
        assert gc.get_freeze_count() > 10_000
    finally:
        gc.unfreeze()
