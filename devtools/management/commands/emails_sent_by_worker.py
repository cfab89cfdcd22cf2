"""How many emails each task worker sent: the worker that ran each delivery task that answered
"sent". Prints JSON [{"worker": id, "sent": count}, …]; the mail-server drill checks that the
workers shared the emails. Read through django-tasks-db's model, not its table."""

import collections
import json

from django.core.management.base import BaseCommand
from django_tasks_db.models import DBTaskResult


class Command(BaseCommand):
    help = "Print how many emails each task worker sent, as JSON."

    def handle(self, *args, **options):
        deliveries = DBTaskResult.objects.filter(task_path__endswith="deliver_email").values_list(
            "worker_ids", "return_value"
        )
        # The last worker to run a task is the one whose answer is recorded.
        sent = collections.Counter(workers[-1] for workers, answer in deliveries if answer == "sent" and workers)
        self.stdout.write(json.dumps([{"worker": worker, "sent": count} for worker, count in sent.items()]))
