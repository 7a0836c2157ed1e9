#!/usr/bin/env python3
"""Smoke runs over HTTP, started by .ci/run (standard library only; run it with the project's venv python).

  smoke.py production  — the deployment of docker-compose.yml without Docker: the same commands the compose file
                         runs (web: migrate, collectstatic, gunicorn; worker; beat) and the README's first-run
                         command, with the production settings on PostgreSQL and Redis; then a user's path over
                         HTTP, and what a user sees when the worker is killed, Redis is down, the database is down.
  smoke.py embedded    — a `make run` already listening (embedded default): ordering answers at once, the
                         progress page shows progress, the document downloads, beat's periodic tasks ran.

Ports, database and Redis database come from the environment (SMOKE_PORT, SMOKE_DATABASE_URL, SMOKE_REDIS_URL),
so runs on a shared machine do not collide. Every check prints one "SMOKE" line; the first failure stops the run.
"""
import http.cookies
import json
import os
import re
import secrets
import shlex
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
HOST = "mskoko.example.ru"
STARTED = time.monotonic()


def say(text):
    print(f"SMOKE [{time.monotonic() - STARTED:6.1f} s] {text}", flush=True)


def fail(text):
    say(f"FAILED: {text}")
    raise SystemExit(1)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """Just enough of a browser: cookies (Secure ones too: TLS ends at the proxy), CSRF, no automatic redirects.
    Behind the production settings it speaks as the HTTPS proxy would (X-Forwarded-Proto, the site's Host)."""

    def __init__(self, port, production):
        self.base = f"http://127.0.0.1:{port}"
        self.production = production
        self.cookies = {}
        self.opener = urllib.request.build_opener(NoRedirect)

    def request(self, method, path, data=None, timeout=60, headers=None):
        extra, headers = headers or {}, {"Accept": "text/html,application/json"}
        if self.production:
            headers.update({"Host": HOST, "X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7"})
        headers.update(extra)
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            data = {**data, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")}
            body = urllib.parse.urlencode(data).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            origin = f"https://{HOST}" if self.production else self.base
            headers.update({"Origin": origin, "Referer": origin + path})
        req = urllib.request.Request(self.base + path, data=body, method=method, headers=headers)
        try:
            response = self.opener.open(req, timeout=timeout)
        except urllib.error.HTTPError as exc:
            response = exc
        for header in response.headers.get_all("Set-Cookie") or []:
            jar = http.cookies.SimpleCookie()
            jar.load(header)
            for key, morsel in jar.items():
                self.cookies[key] = morsel.value
        return response.status, response.headers, response.read()

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, data, **kw):
        return self.request("POST", path, data, **kw)

    def login(self, username, password):
        status, _, page = self.get("/accounts/login/")
        if status != 200 or "Вход в систему".encode() not in page:
            fail(f"login page answered {status}")
        say("login page: 200, «Вход в систему»")
        status, headers, _ = self.post("/accounts/login/", {"username": username, "password": password})
        if status != 302 or headers.get("Location") != "/":
            fail(f"login as {username} answered {status} {headers.get('Location')}")
        say(f"logged in as {username}: 302 → /")

    def order_document(self, fmt="pdf"):
        """Order «База вакансий» for the first municipality offered; returns (status, job path, seconds, page)."""
        status, _, page = self.get("/reports/")
        if status != 200:
            fail(f"documents page answered {status}")
        municipality = re.search(rb'name="municipality"[^>]*>\s*<option value="(\d+)"', page)
        if not municipality:
            fail("the order form offers no municipality")
        started = time.monotonic()
        status, headers, page = self.post("/reports/", {"kind": "vacancies", "fmt": fmt,
                                                        "municipality": municipality.group(1).decode()})
        return status, headers.get("Location"), time.monotonic() - started, page

    def watch(self, job_path, timeout=120, until=("done", "failed")):
        """Poll the job's status as the progress page does; returns the last status and every state seen."""
        seen, deadline = [], time.monotonic() + timeout
        while time.monotonic() < deadline:
            status, _, body = self.get(job_path + "status/")
            if status != 200:
                fail(f"job status answered {status}")
            data = json.loads(body)
            state = (data["status_display"], data["progress"], data.get("notice") or "")
            if not seen or seen[-1] != state:
                seen.append(state)
            if data["status"] in until:
                return data, seen
            time.sleep(0.3)
        fail(f"job {job_path} did not finish in {timeout} s: {seen}")

    def download(self, data):
        status, headers, body = self.get(data["download_url"])
        if status != 200 or not body.startswith(b"%PDF"):
            fail(f"download answered {status} {headers.get('Content-Type')}")
        say(f"downloaded: 200, {headers.get('Content-Type')}, {len(body)} bytes, starts with %PDF")


def order_and_download(browser):
    status, job_path, seconds, _ = browser.order_document()
    if status != 302 or not job_path or not job_path.startswith("/reports/jobs/"):
        fail(f"ordering answered {status} {job_path}")
    say(f"document ordered: 302 → {job_path} in {seconds:.2f} s")
    if seconds > 3:
        fail("ordering blocked the page")
    status, _, page = browser.get(job_path)
    if status != 200 or b"job-progress" not in page:
        fail(f"progress page answered {status}")
    say("progress page: 200, progress bar shown")
    data, seen = browser.watch(job_path)
    say("states seen by the progress page: " + " → ".join(f"{s} {p} %" for s, p, _ in seen))
    if data["status"] != "done":
        fail(f"job failed: {data['message']}")
    browser.download(data)
    return job_path


# -- processes -----------------------------------------------------------------------------------------------------
class Services:
    def __init__(self, log_dir):
        self.log_dir = log_dir
        self.running = {}

    def start(self, name, command, env):
        log = open(self.log_dir / f"{name}.log", "w")
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                                   start_new_session=True, shell=isinstance(command, str))
        self.running[name] = process
        say(f"started {name} (pid {process.pid}): {command if isinstance(command, str) else shlex.join(command)}")
        return process

    def stop(self, name, sig=signal.SIGTERM):
        process = self.running.pop(name, None)
        if process is None or process.poll() is not None:
            return
        try:
            os.killpg(process.pid, sig)
            process.wait(timeout=20)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            process.wait(timeout=10)

    def stop_all(self):
        for name in list(self.running):
            self.stop(name)

    def log(self, name):
        return (self.log_dir / f"{name}.log").read_text(errors="replace")


def wait_healthy(probe, process, timeout=90):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        if subprocess.run(probe, capture_output=True, timeout=30).returncode == 0:
            return True
        time.sleep(1)
    return False


def compose():
    import yaml

    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def compose_env(spec, overrides):
    """The app services' environment of docker-compose.yml, ${VAR:-default} resolved from `overrides`."""
    env = {}
    for name, value in spec["services"]["web"]["environment"].items():
        value = str(value)
        match = re.fullmatch(r"\$\{(\w+)(?::-(.*?)|:\?.*)?\}", value)
        if match:
            value = overrides.get(match.group(1), match.group(2) or "")
        env[name] = overrides.get(name, value)
    return env


def in_container(text, port, var_dir):
    """A compose command as it runs here: the venv's python/gunicorn/celery, our port and data folder."""
    text = text.replace("0.0.0.0:8000", f"127.0.0.1:{port}").replace("127.0.0.1:8000", f"127.0.0.1:{port}")
    return text.replace("/var/lib/mskoko", str(var_dir))


def readme_first_run():
    """The README's first-run commands for the deployment (`docker compose exec web …`)."""
    text = (ROOT / "README.md").read_text()
    section = text[text.index("## Развёртывание"):]
    section = section[:section.index("\n## ", 10)]
    return [line.split("docker compose exec web ", 1)[1].strip()
            for line in section.splitlines() if line.startswith("docker compose exec web ")]


def manage(env, *args, check=True):
    if args[0] == "shell":
        args = ("shell", "--verbosity", "0", *args[1:])  # no "N objects imported automatically" line
    result = subprocess.run([str(VENV_BIN / "python"), "manage.py", *args], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=300)
    if check and result.returncode != 0:
        fail(f"manage.py {' '.join(args)}: {result.stderr[-2000:]}")
    return result


def production():
    port = int(os.environ.get("SMOKE_PORT", "8130"))
    database_url = os.environ.get("SMOKE_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/mskoko_smoke")
    redis_url = os.environ.get("SMOKE_REDIS_URL", "redis://127.0.0.1:6379/0")
    var_dir = Path(tempfile.mkdtemp(prefix="mskoko-smoke-"))
    services = Services(var_dir)
    spec = compose()
    env = {**{k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")},
           "PATH": f"{VENV_BIN}{os.pathsep}{os.environ['PATH']}", "PYTHONUNBUFFERED": "1"}
    env.update(compose_env(spec, {
        "SECRET_KEY": secrets.token_urlsafe(60), "ALLOWED_HOSTS": HOST, "CSRF_TRUSTED_ORIGINS": f"https://{HOST}",
        "DATABASE_URL": database_url, "REDIS_URL": redis_url, "MSKOKO_VAR_DIR": str(var_dir),
        "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
    }))
    say(f"production settings ({env['DJANGO_SETTINGS_MODULE']}) on {database_url} and {redis_url}; data in {var_dir}")
    web = spec["services"]["web"]
    probe = [in_container(part, port, var_dir) for part in web["healthcheck"]["test"][1:]]
    try:
        # 1. The compose services, as the compose file starts them.
        web_process = services.start("web", in_container(web["command"].strip(), port, var_dir), env)
        if not wait_healthy(probe, web_process, timeout=180):
            fail("web never became healthy:\n" + services.log("web")[-3000:])
        log = services.log("web")
        collected = re.search(r"(\d+) static files? copied.*", log)
        say(f"web: migrate and collectstatic done ({collected.group(0) if collected else 'collectstatic ran'}),"
            " gunicorn answers the compose healthcheck")
        status, _, body = Browser(port, production=False).get("/healthz/")
        say(f"GET http://127.0.0.1:{port}/healthz/ (the container's own probe): {status} {body.decode()}")
        if status != 200:
            fail("healthz is not 200")
        for name in ("worker", "beat"):
            command = spec["services"][name]["command"]
            services.start(name, [in_container(part, port, var_dir) for part in command], env)
        # 2. The README's first run: reference data came with migrate; the first administrator, no demo data.
        for command in readme_first_run():
            args = shlex.split(command)[2:]  # "python manage.py createsuperuser" → ["createsuperuser"]
            if args[0] == "createsuperuser":
                args.append("--noinput")  # the README's command is interactive; CI answers through the environment
                env_admin = {**env, "DJANGO_SUPERUSER_USERNAME": "root", "DJANGO_SUPERUSER_EMAIL": "root@example.ru",
                             "DJANGO_SUPERUSER_PASSWORD": "smoke-root-Pass-2026"}
                manage(env_admin, *args)
            else:
                manage(env, *args)
            say(f"README first run: python manage.py {' '.join(args)} — ok")
        counts = manage(env, "shell", "-c", (
            "from teachers.models import Cluster, Position, Subject, School, User; "
            "from indicators.models import Indicator; "
            "print(Cluster.objects.count(), Position.objects.count(), Subject.objects.count(), "
            "Indicator.objects.count(), School.objects.count(), "
            "User.objects.filter(username='root', role='admin', is_superuser=True).count())")).stdout.split()
        clusters, positions, subjects, indicators, schools, admins = map(int, counts)
        say(f"after migrate: {clusters} clusters, {positions} positions, {subjects} subjects, {indicators} "
            f"indicator versions; {schools} schools (no demo district); administrator created: {admins == 1}")
        if not (clusters and positions and subjects and indicators) or schools or admins != 1:
            fail("reference data missing, demo data present or no administrator")
        manage(env, "shell", "-c", (
            "from teachers.models import Municipality, User, Role; "
            "m = Municipality.objects.create(name='Смоук-район'); "
            "u = User(username='metod', role=Role.METHODOLOGIST, municipality=m); "
            "u.set_password('smoke-metod-Pass-2026'); u.save()"))
        # 3. A user's path.
        browser = Browser(port, production=True)
        plain = Browser(port, production=False)
        status, headers, _ = plain.request("GET", "/accounts/login/", headers={"Host": HOST})
        say("plain HTTP (no X-Forwarded-Proto) is redirected by the production settings: "
            f"{status} → {headers.get('Location')}")
        status, _, _ = plain.get("/accounts/login/")
        say(f"an unknown Host (127.0.0.1) on a page other than /healthz/: {status}")
        browser.login("metod", "smoke-metod-Pass-2026")
        status, _, page = browser.get("/indicators/")
        if status != 200 or "Показатели".encode() not in page:
            fail(f"dashboard answered {status}")
        say("dashboard /indicators/ as the methodologist: 200")
        status, _, body = browser.get("/indicators/api/values.json?period=2025")
        say(f"API values.json: {status}, {len(json.loads(body)['rows'])} rows")
        order_and_download(browser)
        status, _, body = browser.get("/indicators/api/values.json?period=99999999999999999999")
        say(f"API with period=99999999999999999999: {status} {json.loads(body)['error'][:60]}…")
        if status != 400:
            fail("a malformed period is not 400")
        # 4. Failure modes, as a user sees them.
        worker_killed(services, spec, env, browser, port, var_dir)
        redis_down(services, spec, env, port + 1, var_dir)
        database_down(services, spec, env, port + 2, var_dir)
        beat_log = services.log("beat")
        if "reports.reap_jobs" not in beat_log:
            fail("beat never sent the reaper")
        say("beat: sent " + ", ".join(sorted(set(re.findall(r"Sending due task (\S+)", beat_log)))))
    finally:
        services.stop_all()
        say("stopped web, worker and beat")
    say("production smoke passed")


def worker_killed(services, spec, env, browser, port, var_dir):
    """SIGKILL the worker in the middle of a document; a new worker finishes it within a minute of silence."""
    env_slow = {**env, "REPORTS_TEST_HOOKS": "true"}  # this worker alone may make a job slow on request
    services.stop("worker")
    command = [in_container(part, port, var_dir) for part in spec["services"]["worker"]["command"]]
    services.start("worker-slow", command, env_slow)
    job_id = manage(env, "shell", "-c", (
        "from reports import tasks; from teachers.models import User; u = User.objects.get(username='metod'); "
        "job = tasks.start(u, 'vacancies', 'pdf', {'municipality': u.municipality_id, '_test_silent_sleep': 15}, "
        "'База вакансий (долгая)'); print(job.pk)")).stdout.strip()
    job_path = f"/reports/jobs/{job_id}/"
    browser.watch(job_path, timeout=60, until=("running",))
    time.sleep(6)  # a heartbeat or two from the render's own thread
    services.stop("worker-slow", signal.SIGKILL)
    killed = time.monotonic()
    say(f"worker killed (SIGKILL) while job {job_id} was «готовится»")
    services.start("worker", command, env_slow)
    data, seen = browser.watch(job_path, timeout=150)
    say("what the progress page showed: " + " → ".join(
        f"{s} {p} %" + (f" («{n}»)" if n else "") for s, p, n in seen))
    recovered = time.monotonic() - killed
    if data["status"] != "done":
        fail(f"the job ended {data['status']}: {data['message']}")
    say(f"job {job_id} done {recovered:.0f} s after the kill (15 s of it the render itself)")
    if recovered - 15 > 60:
        fail("the dead worker's job was not taken up within a minute")


def redis_down(services, spec, env, port, var_dir):
    """A web process whose Redis does not answer (nothing listens on port 1)."""
    env_down = {**env, "REDIS_URL": "redis://127.0.0.1:1/0"}
    web = services.start("web-redis-down", [str(VENV_BIN / "gunicorn"), "mskoko.wsgi:application", "--bind",
                                            f"127.0.0.1:{port}", "--workers", "1"], env_down)
    probe_ok = wait_healthy([str(VENV_BIN / "python"), "-c", "import socket; socket.create_connection("
                             f"('127.0.0.1', {port}), 1)"], web, timeout=60)
    if not probe_ok:
        fail("gunicorn with Redis down did not start")
    time.sleep(1)
    startup = [line for line in services.log("web-redis-down").splitlines() if "Redis недоступен" in line]
    say(f"Redis down — start-up log: {startup[0].split(': ', 1)[-1] if startup else 'NOTHING'}")
    status, _, body = Browser(port, production=False).get("/healthz/")
    say(f"Redis down — /healthz/: {status} {body.decode()}")
    if status != 503 or "недоступен" not in body.decode():
        fail("healthz does not name Redis")
    browser = Browser(port, production=True)
    browser.login("metod", "smoke-metod-Pass-2026")
    status, _, _ = browser.get("/indicators/")
    say(f"Redis down — dashboard: {status}")
    status_api, _, _ = browser.get("/indicators/api/values.json?period=2025")
    say(f"Redis down — API values.json: {status_api}")
    before = manage(env, "shell", "-c", "from reports.models import Job; print(Job.objects.count())").stdout
    status_order, _, seconds, page = browser.order_document()
    message = re.search(r'data-testid="jobs-unavailable">([^<]+)<', page.decode())
    after = manage(env, "shell", "-c", "from reports.models import Job; print(Job.objects.count())").stdout
    say(f"Redis down — ordering a document: {status_order} in {seconds:.1f} s, "
        f"«{message.group(1) if message else 'NO MESSAGE'}»; jobs before/after: {before.strip()}/{after.strip()}")
    if status != 200 or status_api != 200 or status_order != 503 or not message or before != after or seconds > 10:
        fail("Redis down is not handled")
    services.stop("web-redis-down")


def database_down(services, spec, env, port, var_dir):
    env_down = {**env, "DATABASE_URL": "postgres://postgres@127.0.0.1:1/mskoko"}
    result = manage(env_down, "migrate", "--noinput", check=False)
    lines = result.stderr.strip().splitlines()
    say(f"database down — manage.py migrate: exit {result.returncode}, {len(lines)} line(s): {lines[0] if lines else ''}")
    if result.returncode == 0 or len(lines) != 1 or "DATABASE_URL" not in lines[0]:
        fail("a command with the database down did not print one line")
    web = services.start("web-db-down", [str(VENV_BIN / "gunicorn"), "mskoko.wsgi:application", "--bind",
                                         f"127.0.0.1:{port}", "--workers", "1"], env_down)
    if not wait_healthy([str(VENV_BIN / "python"), "-c", "import socket; socket.create_connection("
                         f"('127.0.0.1', {port}), 1)"], web, timeout=60):
        fail("gunicorn with the database down did not start")
    time.sleep(1)
    startup = [line for line in services.log("web-db-down").splitlines() if "База данных недоступна" in line]
    say(f"database down — start-up log: {startup[0].split(': ', 1)[-1] if startup else 'NOTHING'}")
    status, _, body = Browser(port, production=False).get("/healthz/")
    say(f"database down — /healthz/: {status} {body.decode()}")
    browser = Browser(port, production=True)
    status_form, _, _ = browser.get("/accounts/login/")  # needs no database: the form still shows
    status_page, _, page = browser.post("/accounts/login/", {"username": "metod", "password": "x"})
    title = re.search(r"<h1>([^<]+)</h1><p>([^<]+)</p>", page.decode())
    say(f"database down — login form: {status_form}; logging in: {status_page} "
        + (f"«{title.group(1)}: {title.group(2)}»" if title else page.decode()[:200]))
    if status != 503 or status_page != 503 or not title:
        fail("database down is not handled")
    services.stop("web-db-down")


def embedded():
    port = int(os.environ.get("SMOKE_PORT", "8131"))
    var_dir = Path(os.environ.get("MSKOKO_VAR_DIR", ROOT / "var"))
    browser = Browser(port, production=False)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        try:
            if browser.get("/healthz/", timeout=5)[0] == 200:
                break
        except OSError:
            pass
        time.sleep(1)
    else:
        fail("make run never answered")
    say(f"make run answers on http://127.0.0.1:{port}/ (embedded default: SQLite, worker over a folder)")
    browser.login("metodist", "demo-metodist-2026")
    order_and_download(browser)
    wanted = {"reports.build_document", "reports.reap_jobs", "monitoring.advance_calendar",
              "monitoring.send_report_reminders"}
    deadline = time.monotonic() + 45  # the reaper's first beat comes REPORTS_REAP_SECONDS after beat starts
    while True:
        log = (var_dir / "celery" / "worker.log").read_text(errors="replace")
        ran = set(re.findall(r"Task (\S+)\[[^\]]+\] succeeded", log))
        if wanted <= ran or time.monotonic() > deadline:
            break
        time.sleep(1)
    say("worker log: tasks that ran — " + ", ".join(sorted(ran)))
    if wanted - ran:
        fail(f"{', '.join(sorted(wanted - ran))} never ran in the embedded worker")
    say("embedded smoke passed")


if __name__ == "__main__":
    {"production": production, "embedded": embedded}[sys.argv[1]]()
