"""`flask --app wsgi lms ...`: course import, accounts and set-up from the command line."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from flask_migrate import upgrade

from lms import cache
from lms.activities.registry import activity_types
from lms.content.errors import ContentError
from lms.content.reader import read_courses
from lms.content.review import review_courses
from lms.content.sync import apply_import, plan_import

lms_cli = AppGroup("lms", help="Kelas ASN administration.")


def _courses_path(path: str | None) -> Path:
    return Path(path or current_app.config["LMS_COURSES_DIR"])


def _read_or_exit(path: Path):
    try:
        return read_courses(path, activity_types())
    except ContentError as exc:
        for problem in exc.problems:
            click.echo(f"error: {problem}", err=True)
        click.echo(
            f"{len(exc.problems)} problem(s) found; nothing was imported.", err=True
        )
        sys.exit(1)


def _summary(courses, plans) -> dict:
    registry = activity_types()
    return {
        "courses": [
            {
                "slug": c.slug,
                "title": c.meta["title"],
                "jp": c.meta["jp"],
                "cohort": c.meta["cohort"],
                "minutes": sum(a.parsed.minutes for a in c.activities),
                "modules": [
                    {
                        "key": m.key,
                        "title": m.title,
                        "activities": [
                            {
                                "key": a.key,
                                "type": a.type,
                                "title": a.parsed.title,
                                "minutes": a.parsed.minutes,
                                **registry[a.type].describe(a.parsed),
                            }
                            for a in m.activities
                        ],
                    }
                    for m in c.modules
                ],
                "changes": plan.as_dict() if plan else None,
            }
            for c, plan in zip(courses, plans, strict=True)
        ]
    }


@lms_cli.command("check-courses")
@click.argument("path", required=False)
@click.option(
    "--json", "as_json", is_flag=True, help="Print a machine-readable summary."
)
def check_courses(path: str | None, as_json: bool) -> None:
    """Validate course folders and show what an import would change, writing nothing.

    Without a migrated database the folders are still validated; the import plan is left out.
    """
    courses = _read_or_exit(_courses_path(path))
    warnings = [str(warning) for warning in review_courses(courses)]
    no_plan = database_missing()
    plans = [None] * len(courses) if no_plan else plan_import(courses)
    if as_json:
        summary = {**_summary(courses, plans), "warnings": warnings, "no_plan": no_plan}
        click.echo(json.dumps(summary, indent=2, ensure_ascii=False, default=str))
        return
    for warning in warnings:
        click.echo(f"warning: {warning}", err=True)
    for course, plan in zip(courses, plans, strict=True):
        described = f" — {_describe_plan(plan)}" if plan else ""
        click.echo(
            f"{course.slug}: {len(course.modules)} modules, {len(course.activities)} activities"
            + described
        )
    if no_plan:
        click.echo(f"note: {no_plan}", err=True)
    click.echo("OK: no problems found.")


def database_missing() -> str | None:
    """Say in one line why there is no database to plan an import against, or return None."""
    from sqlalchemy import inspect
    from sqlalchemy.exc import DBAPIError

    from lms.extensions import db

    create = "create it with `flask --app wsgi db upgrade` to see what an import would change"
    url = db.engine.url
    in_file = url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:")  # fmt: skip
    if in_file and not Path(url.database).exists():  # connecting would create the file
        return (
            f"no import plan: the database {url.database} does not exist yet; {create}."
        )
    try:
        with db.engine.connect() as connection:
            migrated = inspect(connection).has_table("courses")
    except DBAPIError as exc:
        reason = (
            str(exc.orig).strip().splitlines()[0] if exc.orig else type(exc).__name__
        )
        return f"no import plan: the database cannot be reached ({reason})."
    if not migrated:
        return f"no import plan: the database has no tables yet; {create}."
    return None


@lms_cli.command("import-courses")
@click.argument("path", required=False)
def import_courses(path: str | None) -> None:
    """Import or update courses; on any error nothing is changed."""
    courses = _read_or_exit(_courses_path(path))
    for plan in apply_import(courses):
        click.echo(f"{plan.slug}: {_describe_plan(plan)}")


def _describe_plan(plan) -> str:
    if plan.new_course:
        return f"new course, {len(plan.added)} activities"
    if not plan.changed:
        return "unchanged"
    parts = [
        f"{len(getattr(plan, name))} {name}"
        for name in ("added", "updated", "moved", "archived", "restored")
        if getattr(plan, name)
    ]
    return ", ".join(parts) or "course details updated"


@lms_cli.command("export-course")
@click.argument("slug")
@click.argument("dest")
@click.option(
    "--replace",
    is_flag=True,
    help="Replace DEST/SLUG if it is already a course folder.",
)
def export_course(slug: str, dest: str, replace: bool) -> None:
    """Write a course to DEST/SLUG in the courses/ folder format (published content only)."""
    from sqlalchemy import select

    from lms.authoring.export import write_course
    from lms.extensions import db
    from lms.models import Course

    course = db.session.scalar(select(Course).where(Course.slug == slug))
    if course is None:
        raise click.ClickException(f"no course with slug {slug!r}")
    try:
        folder = write_course(course, Path(dest), replace=replace)
    except FileExistsError as exc:
        raise click.ClickException(
            f"{exc} already exists (use --replace to overwrite a course folder)"
        ) from None
    click.echo(f"{slug}: written to {folder}")


@lms_cli.command("create-user")
@click.argument("email")
@click.option("--name", required=True)
@click.option("--password", required=True)
@click.option("--nip", default=None, help="18-digit NIP (validated).")
@click.option(
    "--role",
    "roles",
    multiple=True,
    help="learner, instructor, supervisor or admin (repeatable).",
)
def create_user_command(
    email: str, name: str, password: str, nip: str | None, roles: tuple[str, ...]
) -> None:
    """Create an account (how the first admin is made)."""
    from lms.auth.accounts import AccountError, create_user
    from lms.auth.nip import nip_problems

    if nip and (problems := nip_problems(nip)):
        raise click.ClickException(" ".join(problems))
    try:
        user = create_user(email, name, password, nip=nip, roles=roles or ("learner",))
    except AccountError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Created {user.email} with roles: {', '.join(sorted(user.role_names))}")


@lms_cli.command("assign-instructor")
@click.argument("email")
@click.argument("slug")
def assign_instructor_command(email: str, slug: str) -> None:
    """Make the user an instructor of the course (they see its results and grade by hand)."""
    from lms.auth.accounts import assign_instructor

    try:
        assign_instructor(email, slug)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"{email} now teaches {slug}")


@lms_cli.command("seed-synthetic")
@click.option("--learners", type=click.IntRange(1, 500_000), required=True)
@click.option("--cohorts", type=click.IntRange(1, 10_000), required=True)
@click.option("--seed", type=int, default=1, show_default=True)
@click.option(
    "--password", required=True, help="The password of every synthetic account."
)
@click.option(
    "--course",
    "course_slug",
    default=None,
    help="A course slug (default: the first cohort course).",
)
def seed_synthetic_command(
    learners: int, cohorts: int, seed: int, password: str, course_slug: str | None
) -> None:
    """Build a seeded synthetic data set (learners, cohorts, supervisors, progress); print it as JSON."""
    from lms.cohorts.synthetic import SyntheticError, build

    try:
        summary = build(learners, cohorts, seed, password, course_slug)
    except SyntheticError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(json.dumps(summary, indent=2, ensure_ascii=False))


@lms_cli.command("send-mail")
def send_mail_command() -> None:
    """Send the emails waiting in the outbox (run it from cron or a service)."""
    from lms.mail import send_pending

    sent, failed = send_pending()
    click.echo(f"{sent} sent, {failed} failed")


@lms_cli.command("send-reminders")
@click.option(
    "--days",
    type=int,
    default=3,
    show_default=True,
    help="Remind this many days before a due date.",
)
def send_reminders_command(days: int) -> None:
    """Queue reminders for modules due soon (each member gets each reminder once)."""
    from datetime import date

    from lms.cohorts.reminders import due_soon_reminders

    click.echo(f"{due_soon_reminders(date.today(), days)} reminders queued")


@lms_cli.command("unlock-user")
@click.argument("email")
def unlock_user_command(email: str) -> None:
    """Lift a sign-in lock from an account."""
    from sqlalchemy import select

    from lms.auth.accounts import normalize_email, unlock
    from lms.extensions import db
    from lms.models import User

    user = db.session.scalar(select(User).where(User.email == normalize_email(email)))
    if user is None:
        raise click.ClickException(f"no account with the email {email}")
    unlock(user, None)
    click.echo(f"{user.email} can sign in again")


@lms_cli.command("backup")
@click.argument("destination", type=click.Path(dir_okay=False))
def backup_command(destination: str) -> None:
    """Write a backup of the database (SQLite copy, or pg_dump custom format) to DESTINATION."""
    from lms.backup import BackupError, backup

    try:
        path = backup(current_app.config["SQLALCHEMY_DATABASE_URI"], Path(destination))
    except BackupError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"backup written to {path}")


@lms_cli.command("restore")
@click.argument("source", type=click.Path(exists=True, dir_okay=False))
def restore_command(source: str) -> None:
    """Restore a backup into the configured (new, empty) database."""
    from lms.backup import BackupError, restore
    from lms.extensions import db

    db.engine.dispose()
    try:
        restore(current_app.config["SQLALCHEMY_DATABASE_URI"], Path(source))
    except BackupError as exc:
        raise click.ClickException(str(exc)) from None
    cache.forget_everything()  # what was kept came from the database before
    click.echo("restored")


@lms_cli.command("clear-cache")
def clear_cache_command() -> None:
    """Forget everything kept between requests (after changing course content with SQL by hand)."""
    cache.forget_everything()
    click.echo("the cache is empty")


@lms_cli.command("seed-work-units")
def seed_work_units_command() -> None:
    """Create the city's work units (OPD) from lms/data/work_units.yaml, keeping existing ones."""
    from lms.seed import seed_work_units

    click.echo(f"{seed_work_units()} work units added.")


@lms_cli.command("bootstrap")
@click.option(
    "--demo/--no-demo", default=True, help="Create the demo accounts (default: yes)."
)
def bootstrap(demo: bool) -> None:
    """Set up a working site: migrate, seed work units, import courses/, create demo accounts."""
    from lms.seed import create_demo_accounts, seed_work_units
    from lms.surveys.demo import seed_evaluation_demo

    upgrade()
    seed_work_units()
    courses = _read_or_exit(_courses_path(None))
    for plan in apply_import(courses):
        click.echo(f"{plan.slug}: {_describe_plan(plan)}")
    if demo:
        for email, password, roles, created in create_demo_accounts(
            [c.slug for c in courses]
        ):
            state = "created" if created else "exists"
            click.echo(
                f"demo {'/'.join(roles):<22} {email:<32} password: {password}  ({state})"
            )
        from lms.demo_cohort import COACH, MENTOR, seed_demo_cohort
        from lms.ledger.records import local_today

        cohort = seed_demo_cohort(local_today())
        if cohort is not None:
            click.echo(f"demo angkatan: {cohort.name} (/cohorts/{cohort.id}/)")
            for role, (email, password, *_) in (("coach", COACH), ("mentor", MENTOR)):
                click.echo(f"demo {role:<22} {email:<32} password: {password}")
        click.echo(f"demo survey answers: {seed_evaluation_demo()}")


@lms_cli.command("outbox")
@click.option(
    "--state", type=click.Choice(["queued", "sent", "failed"]), help="Only these."
)
@click.option("--limit", type=int, default=20, show_default=True)
def outbox_command(state: str | None, limit: int) -> None:
    """List the emails queued and sent, newest first, with their bodies."""
    from lms.outbox import messages, state_of

    found = messages(state, limit)
    for message in found:
        sent = f", sent {message.sent_at:%Y-%m-%d %H:%M} UTC" if message.sent_at else ""
        click.echo(f"#{message.id} [{state_of(message)}] to {message.to}, "
                   f"queued {message.created_at:%Y-%m-%d %H:%M} UTC{sent}")  # fmt: skip
        click.echo(f"Subject: {message.subject}")
        if message.last_error:
            click.echo(f"Error: {message.last_error}")
        click.echo(message.body.rstrip() + "\n")
    if not found:
        click.echo("The outbox is empty.")


def init_app(app: Flask) -> None:
    """Register the `lms` command group."""
    app.cli.add_command(lms_cli)
