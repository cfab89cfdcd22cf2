"""Two app servers, one PostgreSQL: nothing that must be shared lives in one process.

Starts two gunicorn instances (ports 8201 and 8202) on one database, with the real captcha
(no test mode) and emails written to files, and shows:
1. a captcha made on server A is solved on server B, and the sign-up posted to B succeeds;
2. the verification link is confirmed on A, and the person logs in on B;
3. the session made on B is honoured on A;
4. failed log-ins on A and on B add up to one lockout, seen by both.
Exits non-zero when any step fails.

    .venv/bin/python bench/two_servers.py
"""

import re
import sys
import tempfile
import time
from pathlib import Path

from loadstack import Stack, Visitor

PASSWORD = "Two-Servers-Password-42"  # noqa: S105  # nosec B105
NATIONAL_ID = "1012345672"
WRONG_PASSWORD = "not-" + PASSWORD


def captcha_on(visitor, path, stack):
    """Open `path` on `visitor`'s server and read the answer of its captcha from the database."""
    _status, page = visitor.get(path)
    key = re.search(rb'name="captcha_0" value="([0-9a-f]+)"', page).group(1).decode()
    # The key matched [0-9a-f]+ above, so it is safe inside the SQL text.
    answer = stack.psql(f"SELECT response FROM captcha_captchastore WHERE hashkey = '{key}'")  # noqa: S608  # nosec B608
    return key, answer


def wait_for_mail(mail_dir, pattern, seconds=30):
    """The first match of `pattern` in what the worker has written to the mail folder. A file
    appears before the message is written in full, so the folder is read until it matches."""
    deadline = time.monotonic() + seconds
    while True:
        found = re.search(pattern, "".join(path.read_text() for path in mail_dir.iterdir()))
        if found or time.monotonic() > deadline:
            return found
        time.sleep(0.2)


def on_server(visitor, url):
    """The same browser (cookies and all), talking to another server."""
    moved = Visitor(url, visitor.record)
    moved.cookies = visitor.cookies
    return moved


def main():
    mail_dir = Path(tempfile.mkdtemp(prefix="mumaris-mail-"))
    results = {}
    with Stack(
        "two_servers",
        port=8201,
        workers=2,
        CAPTCHA_TEST_MODE="false",
        EMAIL_URL=f"filemail:///{mail_dir}",
        LOGIN_FAILURE_LIMIT="5",
        SITE_URL="http://127.0.0.1:8201",
    ) as stack:
        stack.start(8202)
        stack.start_worker()  # emails go through the task queue
        server_a, server_b = "http://127.0.0.1:8201", "http://127.0.0.1:8202"

        def record(*entry):
            pass

        browser_a = Visitor(server_a, record)
        key, answer = captcha_on(browser_a, "/accounts/signup/", stack)
        browser_b = on_server(browser_a, server_b)
        status, _content = browser_b.post(
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
        results["captcha made on A, sign-up posted to B"] = status == 302

        # Links are on SITE_URL (server A), not on the Host of the request B answered.
        link = wait_for_mail(mail_dir, r"http://127\.0\.0\.1:8201(/accounts/verify/\S+/)").group(1)
        status, _content = on_server(browser_b, server_a).post(link, {})
        results["verification link confirmed on A"] = status == 302

        login_browser = Visitor(server_b, record)
        key, answer = captcha_on(login_browser, "/accounts/login/", stack)
        status, _content = login_browser.post(
            "/accounts/login/", {"username": NATIONAL_ID, "password": PASSWORD, "captcha_0": key, "captcha_1": answer}
        )
        results["log-in on B"] = status == 302
        status, _content = on_server(login_browser, server_a).get("/accounts/account/")
        results["session from B honoured on A"] = status == 200

        attacker = Visitor(server_a, record)
        for attempt in range(5):
            server = attacker if attempt < 3 else on_server(attacker, server_b)
            key, answer = captcha_on(server, "/accounts/login/", stack)
            server.post(
                "/accounts/login/",
                {"username": NATIONAL_ID, "password": WRONG_PASSWORD, "captcha_0": key, "captcha_1": answer},
            )
        key, answer = captcha_on(attacker, "/accounts/login/", stack)
        status, _content = attacker.post(
            "/accounts/login/", {"username": NATIONAL_ID, "password": PASSWORD, "captcha_0": key, "captcha_1": answer}
        )
        results["3 failures on A + 2 on B lock the user on A"] = status == 429

    for step, passed in results.items():
        print(f"{'PASS' if passed else 'FAIL'}  {step}")
    sys.exit(0 if all(results.values()) and len(results) == 5 else 1)


if __name__ == "__main__":
    main()
