"""The stack the benchmarks and drills run against: PostgreSQL and gunicorn, on loopback.

`Stack` creates a fresh database, migrates it, loads the demo data and starts gunicorn with
production settings (DEBUG off, WhiteNoise, Argon2, persistent health-checked connections).
Two deliberate differences from production, both for a loopback test only:
- plain HTTP (SECURE_SSL_REDIRECT=false): there is no TLS proxy on 127.0.0.1;
- CAPTCHA_TEST_MODE=true: the scripted visitors answer "PASSED"; the captcha is not under test.
`start_worker` adds a task worker (`manage.py db_worker`) with the same environment.
`Visitor` is a small HTTP client with its own cookies (it sends Secure cookies over loopback
HTTP, as the TLS proxy would) that fills in the CSRF token like a browser. It may connect from
another loopback address (127.0.0.2, 127.0.0.3, …) to stand for another client.
`Nginx` and `RedisServer` put a proxy in front of the servers and a Redis beside them.
The demo password and PDF are those of `manage.py load_demo`, which makes the demo accounts.
Databases are named `mumaris_<name>`; BENCH_DATABASE_PREFIX changes the prefix, so that two
people on one PostgreSQL can run drills at the same time.
"""

import contextlib
import http.client
import os
import re
import secrets
import shlex
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import psycopg2
import psycopg2.extras
import redis

from accounts.national_id import luhn_check_digit
from bench.measure import Answer, Recorder
from devtools.demo import DEMO_PDF

BASE_DIR = Path(__file__).resolve().parent.parent
RESULTS_DIR = BASE_DIR / "bench-results"
PYTHON = sys.executable
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
GUNICORN_CONFIG = "mumaris/gunicorn_conf.py"
DATABASE_PREFIX = os.environ.get("BENCH_DATABASE_PREFIX", "mumaris_")
DATABASE_ROLE = "mumaris"


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


def prepare_postgres():
    """PostgreSQL running, with the role (DATABASE_ROLE) that owns the stacks' databases."""
    start_postgres()
    run_as_postgres(
        "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'mumaris') THEN "
        "CREATE ROLE mumaris LOGIN PASSWORD 'mumaris' CREATEDB; END IF; END $$;"
    )


def stop_postgres():
    subprocess.run(["service", "postgresql", "stop"], check=True, capture_output=True)


class Stack:
    """A fresh database with the demo data and the gunicorns (and task workers) serving it."""

    def __init__(self, name, port, workers=3, **settings):
        self.name = f"{DATABASE_PREFIX}{name}"
        self.port = port
        self.workers = workers
        self.media = Path(tempfile.mkdtemp(prefix=f"{self.name}-media-"))
        self.url = f"http://127.0.0.1:{port}"
        self.processes = []
        self.env = {
            **os.environ,
            # Production settings, also when started from the test suite (which sets its own).
            "DJANGO_SETTINGS_MODULE": "mumaris.settings",
            "DEBUG": "false",
            "DEVTOOLS": "true",  # load_demo and the demo people
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DATABASE_URL": f"postgres://{DATABASE_ROLE}:{DATABASE_ROLE}@127.0.0.1:5432/{self.name}",
            "SECURE_SSL_REDIRECT": "false",
            "CAPTCHA_TEST_MODE": "true",
            "EMAIL_URL": "dummymail://",
            "MEDIA_ROOT": str(self.media),
            "MEMBERSHIP_LOOKUP_RATE": "100000/m",
            "LOGIN_FAILURE_LIMIT": "1000000",
            **settings,
        }
        # Each gunicorn gets a metrics directory of its own from its config (mumaris/gunicorn_conf.py).
        self.env.pop("PROMETHEUS_MULTIPROC_DIR", None)

    def manage(self, *arguments):
        """Run a management command with the stack's environment; returns what it printed."""
        finished = self.try_manage(*arguments)
        finished.check_returncode()
        return finished.stdout

    def try_manage(self, *arguments):
        """Run a management command that may fail; returns the finished process (its text output)."""
        return subprocess.run(
            [PYTHON, "manage.py", *arguments], cwd=BASE_DIR, env=self.env, check=False, capture_output=True, text=True
        )

    def prepare(self):
        prepare_postgres()
        run_as_postgres(f"DROP DATABASE IF EXISTS {self.name}")
        run_as_postgres(f"CREATE DATABASE {self.name} OWNER mumaris")
        self.manage("migrate", "--verbosity", "0")
        self.manage("createcachetable")
        self.manage("collectstatic", "--noinput", "--verbosity", "0")
        self.manage("load_demo")

    def start(self, port=None, log=None, workers=None, **settings):
        """Start a gunicorn on `port` (default: the stack's), with the production config and the
        stack's environment (`settings` added) and `workers` (default the stack's); several may
        share the database. Its log (stderr) goes to `log`, by default a file in bench-results."""
        port = port or self.port
        command = [GUNICORN, "-c", GUNICORN_CONFIG, "mumaris.wsgi", "--bind", f"127.0.0.1:{port}"]
        command += ["--workers", str(workers or self.workers), "--log-level", "warning"]
        if log is None:
            log = open(RESULTS_DIR / f"{self.name}-{port}-gunicorn.log", "w")  # noqa: SIM115, PTH123
        env = {**self.env, **settings}
        process = subprocess.Popen(command, cwd=BASE_DIR, env=env, stdout=subprocess.DEVNULL, stderr=log)
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
        log = open(RESULTS_DIR / f"{self.name}-worker-{len(self.processes)}.log", "w")  # noqa: SIM115, PTH123
        process = subprocess.Popen(command, cwd=BASE_DIR, env=self.env, stdout=log, stderr=subprocess.STDOUT)
        self.processes.append(process)
        return process

    def worker_pids(self, gunicorn=None):
        """The worker processes of `gunicorn` (a process `start` returned; default the stack's first)."""
        master = (gunicorn or self.processes[0]).pid
        return [int(pid) for pid in Path(f"/proc/{master}/task/{master}/children").read_text().split()]

    def stop(self):
        for process in self.processes:
            stop_process(process, timeout=30)
        shutil.rmtree(self.media, ignore_errors=True)

    def rows(self, sql, parameters=()):
        """The rows of `sql` in the stack's database, as dicts: what only the server knows (a
        captcha's answer, the outbox), read by this process with psycopg2, outside any transaction."""
        connection = psycopg2.connect(
            host="127.0.0.1", dbname=self.name, user=DATABASE_ROLE, password=DATABASE_ROLE, connect_timeout=5
        )
        try:
            connection.autocommit = True
            with connection.cursor(cursor_factory=psycopg2.extras.RealDictCursor) as cursor:
                cursor.execute(sql, parameters)
                return [dict(row) for row in cursor.fetchall()]
        finally:
            connection.close()

    def value(self, sql, parameters=()):
        """The first column of the first row of `sql`, or None when there is no row."""
        rows = self.rows(sql, parameters)
        return next(iter(rows[0].values())) if rows else None

    def captcha_answer(self, key):
        """The answer to the captcha challenge `key` (the hidden captcha_0 of a form)."""
        return self.value("SELECT response FROM captcha_captchastore WHERE hashkey = %s", [key])

    def __enter__(self):
        RESULTS_DIR.mkdir(exist_ok=True)
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


def rss_kib(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def cpu_seconds(pid):
    """The CPU time (user and system) process `pid` has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def tree_cpu_seconds(pid):
    """The CPU time of process `pid` and its children (nginx's master and its worker)."""
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return cpu_seconds(pid) + sum(cpu_seconds(int(child)) for child in children)


def postgres_cpu_seconds():
    """{pid: CPU time so far} of every PostgreSQL process (the backends serving the stacks'
    requests among them, and the autovacuum workers that come and go)."""
    found = {}
    for process in Path("/proc").iterdir():
        if process.name.isdigit():
            with contextlib.suppress(OSError):  # gone meanwhile
                if (process / "comm").read_text().strip() == "postgres":
                    found[int(process.name)] = cpu_seconds(int(process.name))
    return found


def cpu_since(before, after):
    """The CPU time processes used between two readings of `postgres_cpu_seconds`: those that
    started meanwhile from nothing; those that ended meanwhile are not in the second reading, so
    what they used after the first is missing (it counts as the rest of the machine's)."""
    return sum(seconds - before.get(pid, 0.0) for pid, seconds in after.items())


def machine_busy_seconds():
    """CPU time the whole machine has spent busy so far, all cores (/proc/stat: user, nice,
    system, irq and softirq; not idle, waiting for the disk, or stolen by the hypervisor)."""
    user, nice, system, _idle, _iowait, irq, softirq = Path("/proc/stat").read_text().split()[1:8]
    return sum(int(field) for field in (user, nice, system, irq, softirq)) / os.sysconf("SC_CLK_TCK")


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

    def __init__(self, base_url, record=None, source_address=None):
        self.base_url = base_url
        self.cookies = {}
        self.headers = {}  # sent with every request (an Origin, a forged X-Forwarded-For)
        self.record = Recorder() if record is None else record  # a bench.measure.Recorder
        handlers = [NoRedirect] + ([FromAddress(source_address)] if source_address else [])
        self.opener = urllib.request.build_opener(*handlers)

    def request(self, method, path, fields=None, files=None, *, urlencoded=False):
        """One request; a POST's fields as multipart, or URL-encoded (as a browser sends a form
        without files) when `urlencoded`."""
        headers = {**self.headers, "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if method == "POST":
            fields = {**(fields or {}), "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")}
            if urlencoded:
                body, content_type = urllib.parse.urlencode(fields).encode(), "application/x-www-form-urlencoded"
            else:
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
        self.record(Answer(started, method, path, status, b"Traceback" in content, time.time() - started))
        return status, content

    def get(self, path):
        return self.request("GET", path)

    def on_server(self, base_url):
        """The same browser (cookies and all, recorded alike), talking to another server."""
        moved = Visitor(base_url, self.record)
        moved.cookies = self.cookies
        moved.headers = self.headers
        return moved

    def captcha(self, path, stack):
        """Open `path` and solve its captcha from the database: (key, answer)."""
        _status, page = self.get(path)
        key = re.search(rb'name="captcha_0" value="([0-9a-f]+)"', page).group(1).decode()
        return key, stack.captcha_answer(key)

    def post(self, path, fields, files=None, *, urlencoded=False):
        if "csrftoken" not in self.cookies:
            self.get(path)
        return self.request("POST", path, fields, files, urlencoded=urlencoded)

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
        """Answer the application's first question page, then upload the employer's letter on
        the second (the draft's reference read from طلباتي)."""
        self.post(
            "/applications/new/",
            {"nationality": "saudi", "date_of_birth": "1990-01-01", "profession": "nurse", "action": "save"},
        )
        _status, page = self.get("/requests/")
        reference = re.search(rb"/applications/(RE[GN]-\d{4}-\d+)/", page)
        if reference is None:
            return None
        return self.post(
            f"/applications/{reference.group(1).decode()}/edit/work/",
            {"employer": "مستشفى الاختبار", "action": "save"},
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


NGINX_STARTUP_SECONDS = 15


def nginx_config(directory, port, upstreams):
    servers = "\n".join(f"        server {upstream};" for upstream in upstreams)
    return f"""
# One worker, so one round robin: requests alternate strictly between the servers.
worker_processes 1;
pid {directory}/nginx.pid;
error_log {directory}/error.log warn;
events {{
    worker_connections 64;
}}
http {{
    log_format limits '$remote_addr|$upstream_addr|$status|$request_method|$uri|$http_x_forwarded_for';
    access_log {directory}/access.log limits;
    client_body_temp_path {directory}/client_body;
    proxy_temp_path {directory}/proxy;
    fastcgi_temp_path {directory}/fastcgi;
    uwsgi_temp_path {directory}/uwsgi;
    scgi_temp_path {directory}/scgi;
    client_max_body_size 16m;
    upstream mumaris {{
{servers}
    }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://mumaris;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-Proto https;
        }}
    }}
}}
"""


class Nginx:
    """nginx in the foreground, its configuration, logs and buffers in a temporary directory."""

    def __init__(self, port, upstreams):
        self.port = port
        self.upstreams = upstreams
        self.url = f"http://127.0.0.1:{port}"
        self.directory = Path(tempfile.mkdtemp(prefix="mumaris-nginx-"))
        self.process = None

    def __enter__(self):
        # Started as root, nginx's workers run as nobody: they must be able to enter the directory
        # to write request bodies to disk (searchable only; its files are not readable by others).
        self.directory.chmod(0o701)
        config = self.directory / "nginx.conf"
        config.write_text(nginx_config(self.directory, self.port, self.upstreams))
        command = ["nginx", "-p", str(self.directory), "-c", str(config), "-e", str(self.directory / "error.log")]
        self.process = subprocess.Popen([*command, "-g", "daemon off;"])
        # Wait for the port to accept connections: no request, so the access log stays empty.
        deadline = time.monotonic() + NGINX_STARTUP_SECONDS
        while time.monotonic() < deadline and self.process.poll() is None:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.port), timeout=1):
                return self
            time.sleep(0.2)
        self.__exit__()
        raise RuntimeError(f"nginx did not listen on port {self.port}")

    def __exit__(self, *exc_info):
        stop_process(self.process)
        errors = [line for line in self.error_log().splitlines() if "[warn]" not in line and "[notice]" not in line]
        if errors:
            print("nginx error log:", *errors, sep="\n", file=sys.stderr)
        shutil.rmtree(self.directory, ignore_errors=True)

    def error_log(self):
        log = self.directory / "error.log"
        return log.read_text() if log.exists() else ""

    def entries(self):
        """One dict per request nginx has logged: client, server, status, method, path, forwarded_for."""
        log = self.directory / "access.log"
        names = ("client", "server", "status", "method", "path", "forwarded_for")
        lines = log.read_text().splitlines() if log.exists() else []
        return [dict(zip(names, line.split("|"), strict=True)) for line in lines]

    def entries_after(self, count, expected_total):
        """The entries after the first `count`, once nginx has logged `expected_total` in all."""
        deadline = time.monotonic() + 5
        entries = self.entries()
        while len(entries) < expected_total and time.monotonic() < deadline:
            time.sleep(0.05)  # nginx writes the line as it closes the request, just after answering
            entries = self.entries()
        return entries[count:]
