"""Two app servers, one PostgreSQL: nothing that must be shared lives in one process.

Two gunicorn instances (A and B) on one database, with the real captcha (no test mode) and the
emails written to files by a task worker:
- a captcha made on A is solved on B and the sign-up posted to B succeeds; the verification
  link (on SITE_URL, server A) is confirmed on A; the person logs in on B and A honours the session;
- failed log-ins on A and on B add up to one lockout.
"""

import re
import time

import pytest

from bench.loadstack import Stack, Visitor, free_port
from devtools.demo import DEMO_PASSWORD, SUBMITTED

pytestmark = pytest.mark.drill

PASSWORD = "Two-Servers-Password-42"  # noqa: S105  # nosec B105
NATIONAL_ID = "1012345672"
FAILURE_LIMIT = 5
MAIL_SECONDS = 30


class TwoServers:
    def __init__(self, stack, server_a, server_b, mail_dir):
        self.stack = stack
        self.a = server_a
        self.b = server_b
        self.mail_dir = mail_dir

    def wait_for_mail(self, pattern):
        """The first match of `pattern` in what the worker has written to the mail folder. A file
        appears before the message is written in full, so the folder is read until it matches."""
        deadline = time.monotonic() + MAIL_SECONDS
        while True:
            found = re.search(pattern, "".join(path.read_text() for path in self.mail_dir.iterdir()))
            if found or time.monotonic() > deadline:
                return found
            time.sleep(0.2)

    def log_in(self, visitor, username, password):
        key, answer = visitor.captcha("/accounts/login/", self.stack)
        fields = {"username": username, "password": password, "captcha_0": key, "captcha_1": answer}
        return visitor.post("/accounts/login/", fields)[0]


@pytest.fixture(scope="module")
def servers(postgresql, tmp_path_factory):
    mail_dir = tmp_path_factory.mktemp("two-servers-mail")
    port_a, port_b = free_port(), free_port()
    with Stack(
        "two_servers",
        port=port_a,
        workers=2,
        CAPTCHA_TEST_MODE="false",
        EMAIL_URL=f"filemail:///{mail_dir}",
        LOGIN_FAILURE_LIMIT=str(FAILURE_LIMIT),
        SITE_URL=f"http://127.0.0.1:{port_a}",
    ) as stack:
        stack.start(port_b)
        stack.start_worker()  # emails go through the task queue
        yield TwoServers(stack, f"http://127.0.0.1:{port_a}", f"http://127.0.0.1:{port_b}", mail_dir)


def test_sign_up_verification_and_session_cross_servers(servers):
    browser_on_a = Visitor(servers.a)
    key, answer = browser_on_a.captcha("/accounts/signup/", servers.stack)
    browser_on_b = browser_on_a.on_server(servers.b)
    status, _content = browser_on_b.post(
        "/accounts/signup/",
        {
            "full_name_ar": "خادمان",
            "national_id": NATIONAL_ID,
            "email": "two.servers@example.sa",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "accept_terms": "on",
            "captcha_0": key,
            "captcha_1": answer,
        },
    )
    assert status == 302, f"captcha made on A, sign-up posted to B: answered {status}, not 302"

    # Links are on SITE_URL (server A), not on the Host of the request B answered.
    link = servers.wait_for_mail(re.escape(servers.a) + r"(/accounts/verify/\S+/)")
    assert link, f"no verification email with a link on server A within {MAIL_SECONDS} s"
    status, _content = browser_on_b.on_server(servers.a).post(link.group(1), {})
    assert status == 302, f"verification link confirmed on A: answered {status}, not 302"

    browser = Visitor(servers.b)
    status = servers.log_in(browser, NATIONAL_ID, PASSWORD)
    assert status == 302, f"log-in on B: answered {status}, not 302"
    status, _content = browser.on_server(servers.a).get("/accounts/account/")
    assert status == 200, f"session from B on A: /accounts/account/ answered {status}, not 200"


def test_failures_on_both_servers_add_up_to_one_lockout(servers):
    attacker = Visitor(servers.a)
    for attempt in range(FAILURE_LIMIT):
        on_server = attacker if attempt < 3 else attacker.on_server(servers.b)
        servers.log_in(on_server, SUBMITTED.national_id, "not-" + DEMO_PASSWORD)
    status = servers.log_in(attacker, SUBMITTED.national_id, DEMO_PASSWORD)
    assert status == 429, f"3 failures on A + 2 on B, then the right password on A: answered {status}, not 429"
