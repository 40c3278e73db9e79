"""Load test: 200 simulated learners doing the learner journey against gunicorn, then a row audit.

Each simulated learner signs in, opens lessons, marks them done (sometimes twice, like a double
click), starts quiz attempts, saves answers and submits (sometimes twice). The client keeps its own
record of what succeeded; afterwards every progress row and attempt must be in the database exactly
once, and no request may have failed with a server error. Prints p50/p95/p99 latency. Run by hand:

    .venv/bin/python bench/load_learners.py --database-url postgresql+psycopg://postgres@127.0.0.1/kelas_load --reset

or through nginx over the two nodes of `scripts/cluster` (start it with LMS_RATELIMIT_ENABLED=0:
200 learners sign in from one address), on the cluster's primary database:

    eval "$(scripts/cluster env)"
    .venv/bin/python bench/load_learners.py --database-url "$DATABASE_URL" --reset --port 8800
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path
from typing import ClassVar

sys.path.insert(0, str(Path(__file__).parent))
from bench_db import empty_postgres
from http_pages import (
    Session,
    free_port,
    prepare,
    start_server,
    write_course,
)
from sqlalchemy import create_engine, text

SLUG = "bench-kursus"
LESSONS = [f"modul-{m}/materi-{n}" for m in (1, 2) for n in range(1, 11)]
QUIZ = f"/courses/{SLUG}/modul-2/kuis"


class TimedSession(Session):
    """A Session that keeps every request's latency (seconds) in `latencies`."""

    latencies: ClassVar[list[float]] = []

    def request(self, *args, **kwargs):
        started = time.perf_counter()
        try:
            return super().request(*args, **kwargs)
        finally:
            self.latencies.append(time.perf_counter() - started)


def percentile(values: list[float], p: float) -> float:
    """Return the p-th percentile (nearest rank) of `values`."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


def journey(
    port: int, email: str, stop: float, seed: int, done: dict, errors: list
) -> None:
    """One learner's visits until `stop`; a request that gets no answer in 30 s ends them."""
    try:
        _journey(port, email, stop, seed, done, errors)
    except (OSError, http.client.HTTPException) as exc:
        TIMEOUTS.append(f"{type(exc).__name__}: {exc}")


#: Learners whose request got no answer (client timeout, connection reset): counted, not hidden.
TIMEOUTS: list[str] = []


def _journey(
    port: int, email: str, stop: float, seed: int, done: dict, errors: list
) -> None:
    """One learner's visits until `stop`; record what the server confirmed."""
    rng = random.Random(seed)
    session = TimedSession(port)
    try:
        session.login(email)
    except AssertionError as exc:
        errors.append(str(exc))
        return
    token = session.csrf(f"/courses/{SLUG}/")
    while time.monotonic() < stop:
        lesson = rng.choice(LESSONS)
        status, _ = session.request("GET", f"/courses/{SLUG}/{lesson}/")
        if status >= 500:
            errors.append(f"GET lesson {status}")
        for _ in range(rng.choice((1, 1, 2))):  # double clicks
            status, _ = session.request(
                "POST", f"/courses/{SLUG}/{lesson}/complete", {"csrf_token": token}
            )
            if status >= 500:
                errors.append(f"complete {status}")
            elif status == 302:
                done["lessons"].add(lesson)
        if rng.random() < 0.3:
            status, _ = session.request(
                "POST", f"{QUIZ}/attempts", {"csrf_token": token}
            )
            if status >= 500:
                errors.append(f"start {status}")
                continue
            _, page = session.request("GET", f"{QUIZ}/")
            numbers = [int(n) for n in re.findall(r"/attempts/(\d+)/", page)]
            if not numbers:
                continue
            number = max(numbers)
            form = {"csrf_token": token, "present-q1": "1", "answer-q1": "x"}
            session.request(
                "POST",
                f"{QUIZ}/attempts/{number}/answers",
                form,
                accept="application/json",
            )
            for _ in range(rng.choice((1, 2))):  # a second tab submits too
                status, _ = session.request(
                    "POST",
                    f"{QUIZ}/attempts/{number}/answers",
                    {"csrf_token": token, "submit": "1"},
                )
                if status >= 500:
                    errors.append(f"submit {status}")
            done["attempts"].add(number)


def load_average() -> str:
    """Return the machine's 1-minute load average (the machine is shared: say how loaded)."""
    return f"{os.getloadavg()[0]:.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument(
        "--reset", action="store_true", help="empty the database's schema first"
    )
    parser.add_argument("--learners", type=int, default=200)
    parser.add_argument("--minutes", type=float, default=3.0)
    parser.add_argument(
        "--workers", type=int, default=4, help="gunicorn worker processes"
    )
    parser.add_argument("--port", type=int, default=None,
                        help="load a server already running here (nginx of scripts/cluster) on --database-url")  # fmt: skip
    args = parser.parse_args()
    load_before = load_average()  # before this run's own work
    if not args.reset:
        parser.error("the database is emptied first: pass --reset to agree")
    url = args.database_url
    empty_postgres(url)
    engine = create_engine(url)
    work = Path(tempfile.mkdtemp(prefix="kelas-asn-load-"))
    write_course(work / "courses")
    prepare(url, work, learners=args.learners)
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "load-secret-key-0123456789", "LMS_MAIL_BACKGROUND": "0",
           "LMS_RATELIMIT_ENABLED": "0", "LMS_UPLOADS_DIR": str(work / "uploads")}  # fmt: skip
    if args.port:
        port, server = args.port, None
    else:
        port = free_port()
        server = start_server("wsgi:app", port, env, workers=args.workers)
    records = {i: {"lessons": set(), "attempts": set()} for i in range(args.learners)}
    errors: list[str] = []
    stop = time.monotonic() + args.minutes * 60
    threads = [
        threading.Thread(
            target=journey,
            args=(
                port,
                f"asn{i:05d}@synthetic.kelasasn.id",
                stop,
                i,
                records[i],
                errors,
            ),
        )
        for i in range(args.learners)
    ]
    started = time.monotonic()
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        if server:
            server.terminate()
            try:
                server.wait(30)
            except (
                subprocess.TimeoutExpired
            ):  # requests still queued on a loaded machine
                server.kill()
                server.wait()
    elapsed = time.monotonic() - started

    with engine.connect() as conn:
        ids = dict(
            conn.execute(
                text(
                    "SELECT email, id FROM users WHERE email LIKE 'asn%@synthetic.kelasasn.id'"
                )
            ).all()
        )
        rows = conn.execute(text(
            "SELECT p.user_id, a.key, count(*) FROM activity_progress p JOIN activities a ON a.id = p.activity_id "
            "WHERE p.completed_at IS NOT NULL AND a.type = 'lesson' GROUP BY p.user_id, a.key"
        )).all()  # fmt: skip
        attempts = conn.execute(text(
            "SELECT user_id, number, state FROM quiz_attempts q JOIN activities a ON a.id = q.activity_id "
            "WHERE a.key = 'modul-2/kuis'"
        )).all()  # fmt: skip
    db_lessons, duplicates = defaultdict(set), 0
    for user_id, key, count in rows:
        db_lessons[user_id].add(key)
        duplicates += count != 1
    db_attempts = defaultdict(list)
    for user_id, number, state in attempts:
        db_attempts[user_id].append((number, state))
    mismatches = lost = 0
    for i, record in records.items():
        user_id = ids[f"asn{i:05d}@synthetic.kelasasn.id"]
        numbers = sorted(n for n, _ in db_attempts[user_id])
        missing = len(record["lessons"] - db_lessons[user_id]) + len(
            record["attempts"] - set(numbers)
        )
        duplicates += len(numbers) - len(set(numbers))
        lost += missing
        if missing or numbers != list(range(1, len(numbers) + 1)):
            mismatches += 1
    submitted = sum(len(r["attempts"]) for r in records.values())
    where = f"port {port}" if server is None else f"gunicorn ({args.workers} workers)"
    print(
        f"{args.learners} learners for {elapsed:.0f}s against {where} on {url.split(':')[0]}"
    )
    latencies = TimedSession.latencies
    print(f"requests: {len(latencies)} ({len(latencies) / elapsed:.0f}/s); latency ms "
          + " ".join(f"p{p}={percentile(latencies, p) * 1000:.0f}" for p in (50, 95, 99)))  # fmt: skip
    print(
        f"lessons confirmed done: {sum(len(r['lessons']) for r in records.values())}; attempts submitted: {submitted}"
    )
    print(f"server errors: {len(errors)}; confirmed rows lost: {lost}; duplicate rows: {duplicates}; "
          f"learners whose rows differ: {mismatches}")  # fmt: skip
    print(f"load average (1 min) at start {load_before}, at end {load_average()}")
    print(f"learners stopped by a request unanswered in 30 s: {len(TIMEOUTS)}")
    if errors or duplicates or mismatches:
        print("FAILED:", errors[:5])
        sys.exit(1)
    print("OK: every confirmed action is in the database exactly once")


if __name__ == "__main__":
    main()
