"""Where a page's time goes: its request time in one process, the template nodes that cost the
most, and cProfile's busiest functions.

Django runs in this process with production settings against a fresh PostgreSQL database holding
the demo data (the stack of `make bench`, without gunicorn and wrk), so a figure is the server's
own work for one request, with no queueing. The captcha is real (CAPTCHA_TEST_MODE off).

    .venv/bin/python -m bench.profile_page / /accounts/login/              # a visitor
    .venv/bin/python -m bench.profile_page --as 2000000006 /requests/     # signed in
    .venv/bin/python -m bench.profile_page --log-ins 200 --functions       # the log-in POST
    options: --requests N (default 300), --nodes, --functions, --second-factor (the account gets
    an authenticator app and the session is verified by it, as after a log-in with its code)

`--log-ins N` times N log-in POSTs of the demo practitioner (a fresh browser, CSRF token and real
captcha each, the form URL-encoded as browsers send it, the page fetched outside the timing),
each right after one verify of the same password by the configured hasher, and prints both
medians and their ratio: interleaved, so the shared machine's slow moments fall on both alike.
"""

import argparse
import collections
import cProfile
import gc
import os
import pstats
import re
import statistics
import time
from urllib.parse import urlencode

from bench.loadstack import Stack

WARM_UP_REQUESTS = 20


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*")
    parser.add_argument("--as", dest="username", help="the ID number of a demo account to sign in as")
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--second-factor", action="store_true", help="sign in verified by an app device")
    parser.add_argument("--log-ins", type=int, default=0, help="time this many log-in POSTs against the hasher")
    parser.add_argument("--nodes", action="store_true", help="the 15 template nodes with the most time of their own")
    parser.add_argument("--functions", action="store_true", help="cProfile's 25 busiest functions")
    options = parser.parse_args()

    stack = Stack("profile", port=0, CAPTCHA_TEST_MODE="false")
    stack.prepare()
    try:
        os.environ.update(stack.env, DJANGO_SETTINGS_MODULE="mumaris.settings")
        client = django_client(options.username, options.second_factor)
        for path in options.paths:
            profile_path(client, path, options)
        if options.log_ins:
            profile_log_in(stack, options)
    finally:
        stack.stop()


def django_client(username, second_factor):
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    if username:
        user = get_user_model().objects.get(national_id=username)
        client.force_login(user)
        if second_factor:
            verify_session(client, user)
        # A due periodic data review would send every page to مراجعة البيانات.
        client.post("/services/review-data/", {"action": "confirm", "next": "/"})
    return client


def verify_session(client, user):
    """Give `user` a confirmed app device and verify the session by it, as a log-in with its code
    does (force_login gives django-otp no request to record the device in)."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def profile_path(client, path, options):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(WARM_UP_REQUESTS):
        status = client.get(path).status_code
        if status != 200:
            raise SystemExit(f"{path} answered {status}")
    # As each gunicorn worker does once the application is loaded (mumaris/gunicorn_conf.py): the
    # start-up's objects out of the collector's way, else its passes fall on whatever allocates.
    gc.freeze()
    started = time.perf_counter()
    for _ in range(options.requests):
        client.get(path)
    milliseconds = (time.perf_counter() - started) / options.requests * 1000
    with CaptureQueriesContext(connection) as captured:
        client.get(path)
    print(f"{path}: {milliseconds:.2f} ms a request, {len(captured)} queries")
    if options.nodes:
        with NodeTimer() as timer:
            for _ in range(options.requests):
                client.get(path)
        for label, seconds in timer.own_time.most_common(15):
            print(f"  {seconds / options.requests * 1000:6.3f} ms  {label}")
    if options.functions:
        profiler = cProfile.Profile()
        profiler.runcall(lambda: [client.get(path) for _ in range(options.requests)])
        pstats.Stats(profiler).sort_stats("tottime").print_stats(25)


def profile_log_in(stack, options):
    from django.contrib.auth.hashers import check_password, make_password
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from devtools.demo import DEMO_PASSWORD, PRACTITIONER

    encoded = make_password(DEMO_PASSWORD)

    def log_in():
        client, fields = log_in_form(stack, PRACTITIONER.national_id, DEMO_PASSWORD)
        started = time.perf_counter()
        response = post_log_in(client, fields)
        elapsed = time.perf_counter() - started
        if response.status_code != 302:
            raise SystemExit(f"the log-in answered {response.status_code}")
        return elapsed

    posts, verifies = [], []
    for _ in range(options.log_ins):
        started = time.perf_counter()
        check_password(DEMO_PASSWORD, encoded)
        verifies.append(time.perf_counter() - started)
        posts.append(log_in())
    post_ms, verify_ms = statistics.median(posts) * 1000, statistics.median(verifies) * 1000
    client, fields = log_in_form(stack, PRACTITIONER.national_id, DEMO_PASSWORD)
    with CaptureQueriesContext(connection) as captured:
        post_log_in(client, fields)
    print(
        f"log-in POST: {post_ms:.1f} ms (median of {options.log_ins}), one verify {verify_ms:.1f} ms: "
        f"{post_ms / verify_ms:.3f} × verify, {post_ms - verify_ms:.1f} ms beyond it; {len(captured)} queries"
    )
    if options.functions:
        for query in captured.captured_queries:
            print(f"  {query['time']:>6} s  {query['sql'][:110]}")
        profiler = cProfile.Profile()
        for _ in range(options.log_ins):
            client, fields = log_in_form(stack, PRACTITIONER.national_id, DEMO_PASSWORD)
            profiler.runcall(post_log_in, client, fields)
        pstats.Stats(profiler).sort_stats("tottime").print_stats(25)


def post_log_in(client, fields):
    """The log-in form posted as a browser posts it (and `make bench`'s wrk script): URL-encoded,
    not as the test client's default multipart body, which costs a parser of its own."""
    return client.post("/accounts/login/", urlencode(fields), content_type="application/x-www-form-urlencoded")


def log_in_form(stack, username, password):
    """A fresh browser on the log-in page and its filled-in form (CSRF token, solved captcha)."""
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1", enforce_csrf_checks=True)
    page = client.get("/accounts/login/").content.decode()
    key = re.search(r'name="captcha_0" value="([0-9a-f]+)"', page).group(1)
    return client, {
        "username": username,
        "password": password,
        "captcha_0": key,
        "captcha_1": stack.captcha_answer(key),
        "csrfmiddlewaretoken": client.cookies["csrftoken"].value,
    }


class NodeTimer:
    """Each template node's own time (its children's taken out), by template and tag."""

    def __init__(self):
        self.own_time = collections.Counter()
        self.children_time = []

    def __enter__(self):
        from django.template import base

        self.original = base.Node.render_annotated
        timer = self

        def render_annotated(node, context):
            started = time.perf_counter()
            timer.children_time.append(0.0)
            try:
                return timer.original(node, context)
            finally:
                spent = time.perf_counter() - started
                own = spent - timer.children_time.pop()
                token = getattr(node, "token", None)
                template = node.origin.template_name if node.origin else "?"
                timer.own_time[f"{template} | {token.contents[:60] if token else type(node).__name__}"] += own
                if timer.children_time:
                    timer.children_time[-1] += spent

        base.Node.render_annotated = render_annotated
        return self

    def __exit__(self, *exc_info):
        from django.template import base

        base.Node.render_annotated = self.original


if __name__ == "__main__":
    main()
