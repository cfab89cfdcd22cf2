"""The task backend of most tests: a task runs when its transaction commits, as if a worker
took it at once. (Tests of the queue itself use the real database backend.)

A deferred task (an email's retry) is not run here: retries are tested with the database
backend and its worker.
"""

from django.db import transaction
from django_tasks.backends.immediate import ImmediateBackend


class OnCommitImmediateBackend(ImmediateBackend):
    supports_defer = True

    def enqueue(self, task, args, kwargs):
        if task.run_after is not None:
            return
        transaction.on_commit(lambda: super(OnCommitImmediateBackend, self).enqueue(task, args, kwargs))
        return
