"""The benchmark's baseline: the project's settings and middleware, and one bare view.

gunicorn serves it with the same command and worker count as the portal
(DJANGO_SETTINGS_MODULE=bench.bench_baseline), so page figures can be read as ratios.
"""

from django.http import HttpResponse
from django.urls import path

from mumaris.settings import *  # noqa: F403

ROOT_URLCONF = "bench.bench_baseline"


def bare(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("", bare)]
