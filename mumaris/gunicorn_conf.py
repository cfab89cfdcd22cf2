"""gunicorn's configuration: `gunicorn -c mumaris/gunicorn_conf.py mumaris.wsgi …`.

It makes the metrics add up across workers (prometheus-client's multiprocess mode): every
worker writes its counts to files in PROMETHEUS_MULTIPROC_DIR and `/metrics` adds them together.
Its metric files are deleted when gunicorn starts (counts from a previous run would add up too); one
is made under the temporary directory when none is given. When a worker exits, its gauges are
dropped (its counters stay counted, as Prometheus expects of a counter).

Each worker, once it has loaded the application, moves every object it then holds (the modules
of Django, the libraries and ours) out of the cyclic garbage collector's reach (`gc.freeze()`):
they live as long as the worker, and a full collection walked all of them — a pause of 77 ms
every few hundred requests of the supervisors' dashboard, against 4 ms with them frozen
(docs/performance.md). Objects freed by their reference count are freed as before.
"""

import gc
import os
import tempfile
from pathlib import Path

from prometheus_client import multiprocess

if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="mumaris-metrics-")

wsgi_app = "mumaris.wsgi"


def on_starting(server):
    directory = Path(os.environ["PROMETHEUS_MULTIPROC_DIR"])
    directory.mkdir(parents=True, exist_ok=True)
    for left_over in directory.glob("*.db"):
        left_over.unlink()


def post_worker_init(worker):
    gc.freeze()


def child_exit(server, worker):
    multiprocess.mark_process_dead(worker.pid)
