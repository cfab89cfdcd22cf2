"""The stack the load, fault and soak scripts run against: PostgreSQL and gunicorn, on loopback.

`Stack` creates a fresh database, migrates it, loads the demo data and starts gunicorn with
production settings (DEBUG off, WhiteNoise, Argon2, persistent health-checked connections).
Two deliberate differences from production, both for a loopback test only:
- plain HTTP (SECURE_SSL_REDIRECT=false): there is no TLS proxy on 127.0.0.1;
- CAPTCHA_TEST_MODE=true: the scripted visitors answer "PASSED"; the captcha is not under test.
`start_worker` adds a task worker (`manage.py db_worker`) with the same environment.
`Visitor` is a small HTTP client with its own cookies (it sends Secure cookies over loopback
HTTP, as the TLS proxy would) that fills in the CSRF token like a browser. It may connect from
another loopback address (127.0.0.2, 127.0.0.3, …) to stand for another client.
The demo password and PDF are those of `manage.py load_demo`, which makes the demo accounts.
"""

import contextlib
import http.client
import os
import secrets
import shlex
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import redis

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

from accounts.national_id import luhn_check_digit  # noqa: E402
from devtools.demo import DEMO_PASSWORD, DEMO_PDF  # noqa: E402, F401  (the harnesses import them from here)

PYTHON = sys.executable
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))


def run_as_postgres(sql):
    subprocess.run(["su", "postgres", "-c", f"psql -v ON_ERROR_STOP=1 -q -c {shlex.quote(sql)}"], check=True)


def postgres_is_ready():
    return subprocess.run(["su", "postgres", "-c", "pg_isready -q"], check=False).returncode == 0


def start_postgres():
    if not postgres_is_ready():
        subprocess.run(["service", "postgresql", "start"], check=True, capture_output=True)
    for _ in range(30):
        if postgres_is_ready():
            return
        time.sleep(1)
    raise RuntimeError("PostgreSQL did not start")


def stop_postgres():
    subprocess.run(["service", "postgresql", "stop"], check=True, capture_output=True)


class Stack:
    def __init__(self, name, port, workers=3, **settings):
        self.name = f"mumaris_{name}"
        self.port = port
        self.workers = workers
        self.media = Path(tempfile.mkdtemp(prefix=f"{self.name}-media-"))
        self.url = f"http://127.0.0.1:{port}"
        self.processes = []
        self.env = {
            **os.environ,
            "DEBUG": "false",
            "DEVTOOLS": "true",  # load_demo and the demo people
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DATABASE_URL": f"postgres://mumaris:mumaris@127.0.0.1:5432/{self.name}",
            "SECURE_SSL_REDIRECT": "false",
            "CAPTCHA_TEST_MODE": "true",
            "EMAIL_URL": "dummymail://",
            "MEDIA_ROOT": str(self.media),
            "MEMBERSHIP_LOOKUP_RATE": "100000/m",
            "LOGIN_FAILURE_LIMIT": "1000000",
            **settings,
        }

    def manage(self, *arguments):
        """Run a management command with the stack's environment; returns what it printed."""
        return subprocess.run(
            [PYTHON, "manage.py", *arguments], cwd=BASE_DIR, env=self.env, check=True, capture_output=True, text=True
        ).stdout

    def prepare(self):
        start_postgres()
        run_as_postgres(
            "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'mumaris') THEN "
            "CREATE ROLE mumaris LOGIN PASSWORD 'mumaris' CREATEDB; END IF; END $$;"
        )
        run_as_postgres(f"DROP DATABASE IF EXISTS {self.name}")
        run_as_postgres(f"CREATE DATABASE {self.name} OWNER mumaris")
        self.manage("migrate", "--verbosity", "0")
        self.manage("createcachetable")
        self.manage("collectstatic", "--noinput", "--verbosity", "0")
        self.manage("load_demo")

    def start(self, port=None):
        """Start a gunicorn on `port` (default: the stack's); several may share the database."""
        port = port or self.port
        command = [GUNICORN, "mumaris.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", str(self.workers)]
        log = open(BASE_DIR / "bench-results" / f"{self.name}-{port}-gunicorn.log", "w")  # noqa: SIM115, PTH123
        process = subprocess.Popen(
            [*command, "--log-level", "warning"], cwd=BASE_DIR, env=self.env, stdout=subprocess.DEVNULL, stderr=log
        )
        self.processes.append(process)
        deadline = time.time() + 30
        while time.time() < deadline:
            if fetch_status(f"http://127.0.0.1:{port}/healthz") == 200:
                return process
            time.sleep(0.3)
        raise RuntimeError(f"gunicorn on port {port} did not answer /healthz")

    def start_worker(self):
        """Start a task worker on every queue (what sends the emails); stopped with the stack."""
        command = [PYTHON, "manage.py", "db_worker", "--queue-name", "*", "--interval", "0.5", "--no-startup-delay"]
        log = open(BASE_DIR / "bench-results" / f"{self.name}-worker-{len(self.processes)}.log", "w")  # noqa: SIM115, PTH123
        process = subprocess.Popen(command, cwd=BASE_DIR, env=self.env, stdout=log, stderr=subprocess.STDOUT)
        self.processes.append(process)
        return process

    def worker_pids(self):
        master = self.processes[0].pid
        return [int(pid) for pid in Path(f"/proc/{master}/task/{master}/children").read_text().split()]

    def stop(self):
        for process in self.processes:
            stop_process(process, timeout=30)
        shutil.rmtree(self.media, ignore_errors=True)

    def psql(self, sql):
        """One value from the stack's database (to read what only the server knows, like a captcha)."""
        command = f"psql -d {self.name} -Atc {shlex.quote(sql)}"
        return subprocess.run(
            ["su", "postgres", "-c", command], check=True, capture_output=True, text=True
        ).stdout.strip()

    def __enter__(self):
        (BASE_DIR / "bench-results").mkdir(exist_ok=True)
        self.prepare()
        try:
            self.start()
        except BaseException:
            self.stop()  # a gunicorn that never answered is still running
            raise
        return self

    def __exit__(self, *exc_info):
        self.stop()


def stop_process(process, timeout=10):
    """Terminate `process` and wait for it; kill it if it has not ended within `timeout` seconds."""
    if process is None:
        return
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def print_table(rows):
    """Print rows (dicts with the same keys and string values) as aligned columns."""
    columns = list(rows[0])
    widths = {column: max(len(column), *(len(row[column]) for row in rows)) for column in columns}
    print("  ".join(column.ljust(widths[column]) for column in columns))
    for row in rows:
        print("  ".join(row[column].ljust(widths[column]) for column in columns))


def rss_kib(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def cpu_seconds(pid):
    """The CPU time (user and system) process `pid` has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def fetch_status(url):
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # nosec B310
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return None


class Visitor:
    """One person's browser: cookies, CSRF token, and every answer recorded."""

    def __init__(self, base_url, record, source_address=None):
        self.base_url = base_url
        self.cookies = {}
        self.headers = {}  # sent with every request (an Origin, a forged X-Forwarded-For)
        self.record = record
        handlers = [NoRedirect] + ([FromAddress(source_address)] if source_address else [])
        self.opener = urllib.request.build_opener(*handlers)

    def request(self, method, path, fields=None, files=None):
        headers = {**self.headers, "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if method == "POST":
            fields = {**(fields or {}), "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")}
            body, content_type = encode_multipart(fields, files or {})
            headers["Content-Type"] = content_type
        request = urllib.request.Request(self.base_url + path, data=body, method=method, headers=headers)
        started = time.time()
        try:
            with self.opener.open(request, timeout=30) as response:
                status, content, set_cookies = response.status, response.read(), response.headers.get_all("Set-Cookie")
        except urllib.error.HTTPError as error:
            status, content, set_cookies = error.code, error.read(), error.headers.get_all("Set-Cookie")
        except OSError:
            status, content, set_cookies = None, b"", None
        for header in set_cookies or []:
            name, value = header.split(";")[0].split("=", 1)
            self.cookies[name.strip()] = value.strip()
        self.record(started, method, path, status, b"Traceback" in content, time.time() - started)
        return status, content

    def get(self, path):
        return self.request("GET", path)

    def post(self, path, fields, files=None):
        if "csrftoken" not in self.cookies:
            self.get(path)
        return self.request("POST", path, fields, files)

    def log_in(self, username, password):
        self.get("/accounts/login/")
        return self.post(
            "/accounts/login/",
            {"username": username, "password": password, "captcha_0": "x", "captcha_1": "PASSED"},
        )

    def sign_up(self, national_id=None):
        national_id = national_id or random_national_id()
        return self.post(
            "/accounts/signup/",
            {
                "full_name_ar": "زائر الاختبار",
                "national_id": national_id,
                "email": f"visitor-{national_id}@example.sa",
                "password1": "Load-Test-Password-42",
                "password2": "Load-Test-Password-42",
                "accept_terms": "on",
                "captcha_0": "x",
                "captcha_1": "PASSED",
            },
        )

    def apply_with_upload(self):
        return self.post(
            "/applications/new/",
            {"nationality": "saudi", "date_of_birth": "1990-01-01", "specialty": "x", "action": "save"},
            files={"employer_letter": ("letter.pdf", DEMO_PDF)},
        )


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class FromAddress(urllib.request.HTTPHandler):
    """Connects from `address` (a local one, such as 127.0.0.5), so the server sees another client."""

    def __init__(self, address):
        super().__init__()
        self.address = address

    def http_open(self, req):
        return self.do_open(http.client.HTTPConnection, req, source_address=(self.address, 0))


def encode_multipart(fields, files):
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, (filename, content) in files.items():
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        )
        parts.append(head.encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def random_national_id():
    """A fresh, valid national ID, so sign-ups do not collide."""
    first_nine = "1" + "".join(secrets.choice("0123456789") for _ in range(8))
    return first_nine + luhn_check_digit(first_nine)


REDIS_STARTUP_SECONDS = 15


class RedisServer:
    """A throwaway Redis: no persistence, loopback only, gone at exit."""

    def __init__(self, port):
        self.port = port
        self.url = f"redis://127.0.0.1:{port}/1"
        self.directory = Path(tempfile.mkdtemp(prefix="mumaris-redis-"))
        self.client = redis.Redis(host="127.0.0.1", port=port, db=1, socket_timeout=5)
        self.process = None

    def __enter__(self):
        command = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.directory)]
        # As the rate limits' Redis must run in production: nothing persisted here, nothing evicted.
        command += ["--save", "", "--appendonly", "no", "--maxmemory-policy", "noeviction"]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + REDIS_STARTUP_SECONDS
        while time.monotonic() < deadline and self.process.poll() is None:
            with contextlib.suppress(redis.ConnectionError):
                self.client.ping()
                return self
            time.sleep(0.2)
        self.__exit__()
        raise RuntimeError(f"redis-server did not answer on port {self.port}")

    def __exit__(self, *exc_info):
        stop_process(self.process)
        shutil.rmtree(self.directory, ignore_errors=True)
