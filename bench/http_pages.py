"""Benchmark: Kelas ASN's pages under gunicorn against a bare Flask "hello" app under the same setup.

Starts both with the same gunicorn configuration, loads each with the same client (threads with
keep-alive connections), and prints throughput and latency percentiles per scenario, each as a
ratio to the bare app's throughput. Run by hand (not a test):

    .venv/bin/python bench/http_pages.py                      # SQLite in a temporary folder
    .venv/bin/python bench/http_pages.py --database-url postgresql+psycopg://postgres@127.0.0.1/kelas_http --reset
    .venv/bin/python bench/http_pages.py --only cohort --env LMS_REPORT_CACHE_SECONDS=0
    .venv/bin/python bench/http_pages.py --baseline /tmp/kelas-old   # an earlier checkout beside this one
                                         # (with its own `make install-test` if its entry points differ)
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

from bench_db import bench_database, empty_postgres

ROOT = Path(__file__).resolve().parents[1]
GUNICORN = ["-w", "2", "-k", "gthread", "--threads", "4", "--log-level", "warning"]
PASSWORD = "bench-password-1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def write_course(root: Path) -> None:
    """A cohort course: 2 modules of 10 lessons, and a quiz with unlimited attempts."""
    course = root / "bench-kursus"
    course.mkdir(parents=True)
    (course / "course.md").write_text(
        "---\ntitle: Bench Kursus\nsummary: Benchmark.\njp: 8\ncohort: true\n---\n"
    )
    for m in (1, 2):
        module = course / f"0{m}-modul-{m}"
        module.mkdir()
        (module / "module.md").write_text(f"---\ntitle: Modul {m}\n---\n")
        for n in range(1, 11):
            body = (
                "## Materi\n\n"
                + ("Paragraf materi pelatihan ASN yang cukup panjang. " * 40 + "\n\n")
                * 4
            )
            (module / f"{n:02d}-materi-{n}.md").write_text(
                f"---\ntitle: Materi {m}.{n}\nminutes: 15\n---\n{body}"
            )
    questions = "\n\n".join(
        f"::q{i}:: Soal {i}? {{=benar ~salah ~keliru}}" for i in range(1, 11)
    )
    (course / "02-modul-2" / "11-kuis.gift").write_text(
        f"---\ntitle: Kuis\nminutes: 15\nmax_attempts: 0\n---\n{questions}\n"
    )


def python_of(root: Path) -> str:
    """Return the checkout's own Python (its entry points are its own), else this one."""
    own = root / ".venv" / "bin" / "python"
    return str(own) if root != ROOT and own.exists() else sys.executable


def prepare(url: str, work: Path, learners: int = 500, root: Path = ROOT) -> None:
    """Migrate, import the bench course, a learner, and a 500-member cohort with a supervisor."""
    env = {**os.environ, "DATABASE_URL": url, "LMS_COURSES_DIR": str(work / "courses")}
    script = f"""
from flask_migrate import upgrade
from lms import create_app
from lms.activities.registry import activity_types
from lms.auth.accounts import create_user
from lms.cohorts.synthetic import build
from lms.content.reader import read_courses
from lms.content.sync import apply_import
from lms.learn.progress import enroll
app = create_app()
with app.app_context():
    upgrade()
    apply_import(read_courses(__import__("pathlib").Path({str(work / "courses")!r}), activity_types()))
    build({learners}, 1, seed=3, password={PASSWORD!r}, course_slug="bench-kursus")
    learner = create_user("bench-learner@example.org", "Bench", {PASSWORD!r})
    from lms.models import Course
    from lms.extensions import db
    enroll(learner, db.session.query(Course).filter_by(slug="bench-kursus").one())
    if db.engine.dialect.name == "postgresql":  # statistics for the planner after the bulk load
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("ANALYZE")
"""
    subprocess.run(
        [python_of(root), "-c", script],
        env=env,
        cwd=root,
        check=True,
        capture_output=True,
    )


def start_server(
    module: str, port: int, env: dict, workers: int | None = None, root: Path = ROOT
) -> subprocess.Popen:
    options = [*GUNICORN]
    if workers is not None:
        options[1] = str(workers)
    command = [
        python_of(root),
        "-m",
        "gunicorn",
        *options,
        "-b",
        f"127.0.0.1:{port}",
        module,
    ]
    process = subprocess.Popen(command, env=env, cwd=root)
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"{module} did not start")


def server_cpu(process: subprocess.Popen) -> float | None:
    """Return the CPU seconds gunicorn's master and workers have used (None where /proc is missing).

    CPU per request does not swing with what else the machine is doing, as throughput does.
    """
    try:
        pids, seconds = [process.pid], 0.0
        while pids:
            pid = pids.pop()
            for task in os.listdir(f"/proc/{pid}/task"):
                children = Path(f"/proc/{pid}/task/{task}/children").read_text()
                pids.extend(int(child) for child in children.split())
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            seconds += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        return seconds
    except OSError:
        return None


class Session:
    """A keep-alive HTTP connection with a cookie jar, like one browser tab.

    It reconnects every `REQUESTS_PER_CONNECTION` requests: a keep-alive connection stays with the
    gunicorn worker that accepted it, and 8 connections that happen to land 6 and 2 on two workers
    would halve the throughput of a run at random.
    """

    REQUESTS_PER_CONNECTION = 20

    def __init__(self, port: int):
        self.port = port
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.cookies: dict[str, str] = {}
        self.sent = 0

    def _maybe_reconnect(self) -> None:
        self.sent += 1
        if self.sent % self.REQUESTS_PER_CONNECTION == 0:
            self.connection.close()
            self.connection = http.client.HTTPConnection(
                "127.0.0.1", self.port, timeout=30
            )

    def request(
        self,
        method: str,
        path: str,
        form: dict | None = None,
        accept: str = "text/html",
    ) -> tuple[int, str]:
        self._maybe_reconnect()
        headers = {"Accept": accept}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        self.connection.request(method, path, body=body, headers=headers)
        response = self.connection.getresponse()
        text = response.read().decode("utf-8", "replace")
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name] = rest.split(";", 1)[0]
        return response.status, text

    def csrf(self, path: str) -> str:
        _, page = self.request("GET", path)
        return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)

    def login(self, email: str) -> None:
        token = self.csrf("/login")
        status, _ = self.request(
            "POST",
            "/login",
            {"csrf_token": token, "login": email, "password": PASSWORD},
        )
        assert status == 302, f"sign-in failed for {email}: {status}"


def load(
    port: int, make_operation, clients: int, seconds: float, on_start=None
) -> dict:
    """Run `clients` sessions doing their operation for `seconds`; return throughput and latencies.

    The clock (and `on_start`) starts once every session has signed in: sign-ins are not measured.
    """
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    window = {}

    def start():
        if on_start:
            on_start()
        window["began"] = time.monotonic()
        window["stop"] = window["began"] + seconds

    ready = threading.Barrier(clients + 1, action=start)

    def worker():
        session = Session(port)
        operation = make_operation(session)
        ready.wait()
        mine, bad = [], 0
        while time.monotonic() < window["stop"]:
            started = time.perf_counter()
            ok = operation()
            mine.append(time.perf_counter() - started)
            bad += not ok
        with lock:
            latencies.extend(mine)
            errors[0] += bad

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    for t in threads:
        t.start()
    ready.wait()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - window["began"]
    ordered = sorted(latencies)
    pick = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000
    return {"rps": len(ordered) / elapsed, "p50": pick(0.5), "p95": pick(0.95), "p99": pick(0.99),
            "errors": errors[0], "requests": len(ordered)}  # fmt: skip


def measured(server: subprocess.Popen, port: int, make_operation, args) -> dict:
    """Load one server like `load`, and add the server's CPU milliseconds per request."""
    cpu = {}
    on_start = lambda: cpu.update(before=server_cpu(server))
    result = load(port, make_operation, args.clients, args.seconds, on_start)
    before, after = cpu["before"], server_cpu(server)
    result["cpu_ms"] = (
        (after - before) * 1000 / result["requests"]
        if None not in (before, after) and result["requests"]
        else float("nan")
    )
    return result


def scenarios(slug: str):
    lesson = f"/courses/{slug}/modul-1/materi-3/"
    quiz = f"/courses/{slug}/modul-2/kuis"

    def signed_in(path):
        def make(session):
            session.login("bench-learner@example.org")
            return lambda: session.request("GET", path)[0] == 200

        return make

    def catalogue(session):
        return lambda: session.request("GET", "/courses/")[0] == 200

    def save_answer(session):
        session.login("bench-learner@example.org")
        token = session.csrf(f"/courses/{slug}/")
        session.request("POST", f"{quiz}/attempts", {"csrf_token": token})
        number = 1

        def op():
            form = {"csrf_token": token, "present-q1": "1", "answer-q1": "x"}
            return (
                session.request(
                    "POST",
                    f"{quiz}/attempts/{number}/answers",
                    form,
                    accept="application/json",
                )[0]
                == 200
            )

        return op

    def submit_quiz(session):
        session.login(f"asn{threading.get_ident() % 400:05d}@synthetic.kelasasn.id")
        token = session.csrf(f"/courses/{slug}/")

        def op():
            session._maybe_reconnect()
            session.connection.request(
                "POST",
                f"{quiz}/attempts",
                body=urlencode({"csrf_token": token}),
                headers={
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Cookie": "; ".join(f"{k}={v}" for k, v in session.cookies.items()),
                },
            )
            response = session.connection.getresponse()
            response.read()
            number = re.search(
                r"/attempts/(\d+)/", response.headers.get("Location", "")
            )
            if response.status != 302 or number is None:
                return False
            form = {"csrf_token": token, "submit": "1"}
            return (
                session.request(
                    "POST", f"{quiz}/attempts/{number.group(1)}/answers", form
                )[0]
                == 302
            )

        return op

    def cohort_page(session):
        session.login("pengawas001@synthetic.kelasasn.id")
        return lambda: session.request("GET", "/cohorts/1/")[0] == 200

    return {
        "signed-in hello (the floor)": signed_in("/bench/signed-in-hello"),
        "signed-in lesson page": signed_in(lesson),
        "course page": signed_in(f"/courses/{slug}/"),
        "catalogue": catalogue,
        "save a quiz answer": save_answer,
        "submit a quiz (start + submit)": submit_quiz,
        "500-member cohort page": cohort_page,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url")
    parser.add_argument(
        "--reset", action="store_true", help="empty the PostgreSQL schema first"
    )
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument(
        "--only", help="run only the scenarios whose name contains this text"
    )
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--threads", type=int, default=4, help="threads per worker")
    parser.add_argument(
        "--env",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="set in the app server's environment, e.g. LMS_REPORT_CACHE_SECONDS=0 (repeatable)",
    )
    parser.add_argument(
        "--baseline",
        type=Path,
        help="another checkout (e.g. a git worktree of an earlier commit) served beside this one, "
        "each scenario run against both",
    )
    parser.add_argument(
        "--baseline-database-url", help="the baseline's database (PostgreSQL runs)"
    )
    args = parser.parse_args()
    GUNICORN[1], GUNICORN[5] = str(args.workers), str(args.threads)
    work = Path(tempfile.mkdtemp(prefix="kelas-asn-http-"))
    url = bench_database(parser, args, work)
    write_course(work / "courses")
    prepare(url, work)
    if args.baseline:
        baseline_url = f"sqlite:///{work / 'baseline.sqlite3'}"
        if url.startswith("postgres"):
            if not args.baseline_database_url:
                parser.error("a PostgreSQL run needs --baseline-database-url")
            baseline_url = args.baseline_database_url
            empty_postgres(baseline_url)
        prepare(baseline_url, work, root=args.baseline.resolve())
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "bench-secret-key-0123456789", "LMS_MAIL_BACKGROUND": "0", "LMS_RATELIMIT_ENABLED": "0",
           "LMS_UPLOADS_DIR": str(work / "uploads")}  # fmt: skip
    env.update(item.split("=", 1) for item in args.env)
    app_port, hello_port, floor_port = free_port(), free_port(), free_port()
    servers = [
        start_server("wsgi:app", app_port, env),
        start_server("bench.hello:app", hello_port, env),
        start_server("bench.signed_in_hello:app", floor_port, env),
    ]
    if args.baseline:
        baseline_port = free_port()
        servers.append(start_server("wsgi:app", baseline_port, {**env, "DATABASE_URL": baseline_url},
                                    root=args.baseline.resolve()))  # fmt: skip
    try:
        hello = lambda s: lambda: s.request("GET", "/")[0] == 200
        print(
            f"gunicorn {' '.join(GUNICORN)}; {args.clients} clients x {args.seconds:.0f}s each; database {url.split(':')[0]}"
            + (f"; env {' '.join(args.env)}" if args.env else "")
        )
        print(
            f"{'scenario':<34}{'req/s':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'errors':>8}{'ratio':>8}"
            f"{'CPU ms':>9}{'CPU ratio':>10}"
        )
        # The CPU ratio is the bare app's server CPU per request over the scenario's: what the
        # throughput ratio would be if the server alone (not the client) set the pace.
        row = lambda name, r, base: print(
            f"{name:<34}{r['rps']:>8.1f}{r['p50']:>9.1f}{r['p95']:>9.1f}{r['p99']:>9.1f}{r['errors']:>8}{r['rps'] / base['rps']:>8.2f}"
            f"{r['cpu_ms']:>9.3f}{base['cpu_ms'] / r['cpu_ms']:>10.2f}"
        )
        # The bare app is measured again just before each scenario and each ratio is taken
        # against that run, so a busy moment on the machine does not skew one ratio alone.
        bare_runs = []
        results = []
        # Warm both servers up (imports, template compilation, connection pools) unmeasured.
        load(hello_port, hello, args.clients, 1.0)
        load(app_port, scenarios("bench-kursus")["catalogue"], args.clients, 1.0)
        if args.baseline:
            load(
                baseline_port, scenarios("bench-kursus")["catalogue"], args.clients, 1.0
            )
        load(floor_port, scenarios("bench-kursus")["catalogue"], args.clients, 1.0)
        for name, make in scenarios("bench-kursus").items():
            if args.only and args.only not in name:
                continue
            server = servers[2] if "the floor" in name else servers[0]
            port = floor_port if "the floor" in name else app_port
            bare_runs.append(measured(servers[1], hello_port, hello, args))
            results.append((name, measured(server, port, make, args)))
            if args.baseline and "the floor" not in name:
                results.append((f"  baseline: {name}", measured(servers[3], baseline_port, make, args)))  # fmt: skip
                bare_runs.append(bare_runs[-1])
        bare = sorted(bare_runs, key=lambda r: r["rps"])[len(bare_runs) // 2]
        row("bare Flask hello (median run)", bare, bare)
        for (name, result), base in zip(results, bare_runs, strict=True):
            row(name, result, base)
        print(
            "bare app runs (req/s): " + ", ".join(f"{r['rps']:.0f}" for r in bare_runs)
        )
    finally:
        for server in servers:
            server.terminate()
        for server in servers:  # gunicorn waits for open keep-alive connections; don't
            try:
                server.wait(10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


if __name__ == "__main__":
    main()
