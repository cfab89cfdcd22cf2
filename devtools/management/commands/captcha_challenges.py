"""Fresh captcha challenges and their answers, one "key answer" line each, for the benchmark's
log-in run (bench/bench.py), which posts each challenge once as a person would."""

from captcha.models import CaptchaStore
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Make COUNT captcha challenges; print each key and its answer."

    def add_arguments(self, parser):
        parser.add_argument("count", type=int)

    def handle(self, *args, count, **options):
        keys = [CaptchaStore.generate_key() for _ in range(count)]
        answers = dict(CaptchaStore.objects.filter(hashkey__in=keys).values_list("hashkey", "response"))
        self.stdout.write("\n".join(f"{key} {answers[key]}" for key in keys))
