"""`flask --app wsgi lms worker`: one process that does every background duty, in rounds.

A round drains the three outboxes, runs the scheduled duties that are due and one long job. Run as
many workers as you like on as many machines (PostgreSQL): rows, runs and jobs are each claimed by
one of them. SIGTERM (or Ctrl-C) stops the worker after the row in hand.
"""

from __future__ import annotations

import signal
import threading

import click
from flask import Flask, current_app
from sqlalchemy.exc import OperationalError

from lms.cli import lms_cli
from lms.extensions import db
from lms.jobs import long_jobs, schedule
from lms.jobs.outbox import Outbox, drain


def outboxes() -> tuple[Outbox, ...]:
    """Return the outboxes the worker drains."""
    from lms import mail
    from lms.lti import scores
    from lms.xapi import outbox as xapi

    return (mail.OUTBOX, xapi.OUTBOX, scores.OUTBOX)


def work_round(limit: int = 100, stop: threading.Event | None = None) -> int:
    """Do one round of every duty; return how many things were done (0: nothing was waiting)."""
    stop = stop or threading.Event()
    done = 0
    for outbox in outboxes():
        sent, failed = drain(outbox, limit, stopping=stop.is_set)
        if sent or failed:
            current_app.logger.info("%s: %d sent, %d failed", outbox.name, sent, failed)
        done += sent
    if stop.is_set():
        return done
    for said in schedule.run_due():
        current_app.logger.info("%s", said)
    done += long_jobs.run_one()
    return done


def run(stop: threading.Event, limit: int = 100, once: bool = False) -> None:
    """Work in rounds until `stop` is set (or, with `once`, until nothing is waiting)."""
    idle = current_app.config["LMS_WORKER_IDLE_SECONDS"]
    while not stop.is_set():
        try:
            done = work_round(limit, stop)
        except OperationalError as exc:  # the database is away: wait for it
            db.session.rollback()
            current_app.logger.warning("worker: database unavailable: %s", exc.orig)
            done = 0
        except Exception:  # one duty's bug must not stop the others: log it, go on
            db.session.rollback()
            current_app.logger.exception("worker: a round failed")
            done = 0
        if once and not done:
            return
        if not done:
            stop.wait(idle)


@click.command("worker")
@click.option(
    "--once", is_flag=True, help="Stop when nothing is waiting (for cron or tests)."
)
@click.option("--limit", type=click.IntRange(1, 10_000), default=100, show_default=True,
              help="Rows taken from each outbox per round.")  # fmt: skip
def worker_command(once: bool, limit: int) -> None:
    """Send mail, xAPI statements and LTI scores, queue reminders on schedule, run long jobs."""
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    current_app.logger.info("worker started on %s", db.engine.dialect.name)
    run(stop, limit, once)


def init_app(app: Flask) -> None:
    """Add `lms worker` to the `lms` group."""
    lms_cli.add_command(worker_command)
