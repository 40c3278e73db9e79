"""Who is in a cohort: adding people one by one or from a CSV, removing, moving and closing."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _
from sqlalchemy import func, select, update

from lms.audit import record
from lms.auth.nip import nip_problems
from lms.cohorts.figures import forget_figures
from lms.extensions import db
from lms.models import STAFF_ROLES, Cohort, CohortStaff, Enrollment, User, WorkUnit
from lms.models.types import utcnow
from lms.models.upsert import insert_on_conflict

#: Header names accepted for each CSV column, in Indonesian and English (lower-cased).
HEADERS = {
    "nip": ("nip",),
    "name": ("nama", "name", "nama lengkap", "full name"),
    "email": ("email", "surel", "e-mail"),
    "unit": ("unit kerja", "unit", "opd", "work unit", "unit_kerja", "work_unit"),
}


class CohortError(ValueError):
    """A cohort change cannot be made as asked; the message says why."""


@dataclass
class MemberRow:
    """One good row of a member CSV."""

    line: int
    nip: str
    name: str
    email: str
    unit: WorkUnit


def find_person(identifier: str) -> User | None:
    """Find a user by NIP (digits) or email."""
    identifier = identifier.strip()
    if identifier.isdigit():
        return db.session.scalar(select(User).where(User.nip == identifier))
    return db.session.scalar(
        select(User).where(func.lower(User.email) == identifier.lower())
    )


def add_member(cohort: Cohort, user: User, mentor: User | None = None) -> Enrollment:
    """Put `user` in the cohort, enrolling them in its course; refuse a second cohort of that course."""
    if cohort.closed_at is not None:
        raise CohortError(_("The cohort is closed."))
    insert_on_conflict(
        Enrollment,
        {"user_id": user.id, "course_id": cohort.course_id, "enrolled_at": utcnow(),
         "completed_activities": 0, "cohort_id": cohort.id},
        conflict=["user_id", "course_id"],
    )  # fmt: skip
    enrollment = db.session.scalar(
        select(Enrollment).where(
            Enrollment.user_id == user.id, Enrollment.course_id == cohort.course_id
        )
    )
    if enrollment.cohort_id is None:
        enrollment.cohort_id = cohort.id
    elif enrollment.cohort_id != cohort.id:
        other = db.session.get(Cohort, enrollment.cohort_id)
        db.session.rollback()
        raise CohortError(
            _(
                "%(name)s is already in %(cohort)s for this course.",
                name=user.name,
                cohort=other.name,
            )
        )
    if mentor is not None:
        enrollment.mentor_id = mentor.id
    db.session.commit()
    forget_figures(cohort.id)
    return enrollment


def add_staff(cohort: Cohort, user: User, role: str) -> None:
    """Make `user` a supervisor, facilitator or coach of the cohort (again is harmless)."""
    if role not in STAFF_ROLES:
        raise CohortError(_("Unknown staff role %(role)s.", role=role))
    insert_on_conflict(CohortStaff, {"cohort_id": cohort.id, "user_id": user.id, "role": role},
                       conflict=["cohort_id", "user_id", "role"])  # fmt: skip
    if role == "supervisor" and not user.has_role("supervisor"):
        from lms.auth.accounts import get_roles

        user.roles.extend(get_roles(["supervisor"]))
        record("user.roles", None, user, added="supervisor")
    db.session.commit()
    forget_figures(cohort.id)


def remove_members(cohort: Cohort, user_ids: list[int]) -> int:
    """Take members out of the cohort; they keep their enrollment and progress in the course."""
    count = leave_cohort(cohort, user_ids)
    db.session.commit()
    forget_figures(cohort.id)
    return count


def leave_cohort(cohort: Cohort, user_ids: list[int]) -> int:
    """Take members out of the cohort in the current transaction (the caller commits)."""
    result = db.session.execute(
        update(Enrollment)
        .where(Enrollment.cohort_id == cohort.id, Enrollment.user_id.in_(user_ids))
        .values(cohort_id=None, mentor_id=None)
    )
    return result.rowcount


def move_members(cohort: Cohort, target: Cohort, user_ids: list[int]) -> int:
    """Move members to another cohort of the same course, keeping their progress."""
    if target.course_id != cohort.course_id:
        raise CohortError(_("Members can only move to a cohort of the same course."))
    if target.closed_at is not None:
        raise CohortError(_("The cohort is closed."))
    result = db.session.execute(
        update(Enrollment)
        .where(Enrollment.cohort_id == cohort.id, Enrollment.user_id.in_(user_ids))
        .values(cohort_id=target.id)
    )
    db.session.commit()
    forget_figures(cohort.id, target.id)
    return result.rowcount


def close_cohort(cohort: Cohort) -> None:
    """Close the cohort: no more members; its reports stay."""
    cohort.closed_at = cohort.closed_at or utcnow()
    db.session.commit()
    forget_figures(cohort.id)


def parse_members_csv(
    cohort: Cohort, text: str
) -> tuple[list[MemberRow], list[tuple[int, str]]]:
    """Check a whole member CSV for `cohort`; return its good rows and every problem as (line, reason)."""
    text = text.lstrip("\ufeff")
    sample = text[:2048]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        rows = list(reader)
    except csv.Error as exc:
        return [], [
            (reader.line_num, _("The file is not valid CSV: %(why)s", why=str(exc)))
        ]
    if not rows:
        return [], [(1, _("The file is empty."))]
    columns = _columns(rows[0])
    missing = [name for name in ("nip", "name", "email", "unit") if name not in columns]
    if missing:
        return [], [
            (
                1,
                _(
                    "Missing columns: %(cols)s (expected NIP, Nama, Email, Unit Kerja).",
                    cols=", ".join(missing),
                ),
            )
        ]
    units = {u.code.lower(): u for u in db.session.scalars(select(WorkUnit))}
    units.update({u.name.lower(): u for u in units.values()})
    good, problems, seen_nip, seen_email = [], [], {}, {}
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        cell = {
            name: (row[i].strip() if i < len(row) else "")
            for name, i in columns.items()
        }
        reasons = []
        if nip_issues := nip_problems(cell["nip"]):
            reasons.append(
                _(
                    "NIP %(nip)s: %(why)s",
                    nip=cell["nip"] or "—",
                    why=" ".join(nip_issues),
                )
            )
        elif cell["nip"] in seen_nip:
            reasons.append(
                _(
                    "NIP %(nip)s is also on line %(line)d.",
                    nip=cell["nip"],
                    line=seen_nip[cell["nip"]],
                )
            )
        if not cell["name"]:
            reasons.append(_("The name is empty."))
        try:
            email = validate_email(
                cell["email"], check_deliverability=False
            ).normalized.lower()
        except EmailNotValidError:
            email = ""
            reasons.append(
                _("The email %(email)s is not valid.", email=cell["email"] or "—")
            )
        if email and email in seen_email:
            reasons.append(
                _(
                    "The email %(email)s is also on line %(line)d.",
                    email=email,
                    line=seen_email[email],
                )
            )
        unit = units.get(cell["unit"].lower())
        if unit is None:
            reasons.append(_("Unknown work unit %(unit)s.", unit=cell["unit"] or "—"))
        if not reasons:
            reasons += _conflicts_with_accounts(cohort, cell["nip"], email)
        if reasons:
            problems.append((line, " ".join(reasons)))
            continue
        seen_nip[cell["nip"]], seen_email[email] = line, line
        good.append(MemberRow(line, cell["nip"], cell["name"], email, unit))
    if not good and not problems:
        problems.append((1, _("The file has no members.")))
    return good, problems


def _columns(header: list[str]) -> dict[str, int]:
    found = {}
    for index, title in enumerate(header):
        title = re.sub(r"\s+", " ", title.strip().lower())
        for name, names in HEADERS.items():
            if title in names and name not in found:
                found[name] = index
    return found


def _conflicts_with_accounts(cohort: Cohort, nip: str, email: str) -> list[str]:
    """An existing account must match on both NIP and email (or on neither) and be free to join."""
    by_nip = db.session.scalar(select(User).where(User.nip == nip))
    by_email = db.session.scalar(select(User).where(func.lower(User.email) == email))
    person = by_nip or by_email
    if person is not None:
        other = db.session.scalar(
            select(Cohort.name)
            .join(Enrollment, Enrollment.cohort_id == Cohort.id)
            .where(Enrollment.user_id == person.id, Enrollment.course_id == cohort.course_id,
                   Cohort.id != cohort.id)
        )  # fmt: skip
        if other is not None:
            return [
                _(
                    "%(name)s is already in %(cohort)s for this course.",
                    name=person.name,
                    cohort=other,
                )
            ]
    if by_nip is not None and by_email is not None and by_nip.id != by_email.id:
        return [
            _(
                "NIP %(nip)s and email %(email)s belong to two different accounts.",
                nip=nip,
                email=email,
            )
        ]
    if by_nip is not None and by_email is None and by_nip.email != email:
        return [_("NIP %(nip)s is registered with another email.", nip=nip)]
    if by_email is not None and by_nip is None and by_email.nip not in (None, nip):
        return [_("The email %(email)s is registered with another NIP.", email=email)]
    return []


def new_learner(
    email: str, name: str, nip: str | None = None, unit: WorkUnit | None = None
) -> User:
    """Add a learner's account without a password (not committed).

    No one can sign in with it until its owner sets a password (a member import mails a link) or
    comes through a learning platform (LTI).
    """
    from lms.auth.accounts import get_roles

    user = User(email=email, name=name, nip=nip, work_unit=unit, password_hash="!",
                roles=get_roles(["learner"]))  # fmt: skip
    db.session.add(user)
    db.session.flush()
    return user


def join_cohort(cohort: Cohort, user: User) -> bool | None:
    """Enroll the user in the cohort's course, in the cohort (not committed).

    Return True if they joined, False if they were in it already, and None, changing nothing, if
    they are in another cohort of the course.
    """
    enrollment = db.session.scalar(
        select(Enrollment).where(
            Enrollment.user_id == user.id, Enrollment.course_id == cohort.course_id
        )
    )
    if enrollment is None:
        db.session.add(Enrollment(user_id=user.id, course_id=cohort.course_id, cohort_id=cohort.id,
                                  completed_activities=0, enrolled_at=utcnow()))  # fmt: skip
        return True
    if enrollment.cohort_id is None:
        enrollment.cohort_id = cohort.id
        return True
    return False if enrollment.cohort_id == cohort.id else None


def import_members(
    cohort: Cohort, rows: list[MemberRow], by_user_id: int | None = None
) -> tuple[int, int, list]:
    """Add checked rows to the cohort in one transaction, creating missing accounts.

    Returns (members added, accounts created, [(user, first-login token)] for new accounts).
    """
    from lms.auth.tokens import issue_password_token

    if cohort.closed_at is not None:
        raise CohortError(_("The cohort is closed."))
    created, tokens, added = 0, [], 0
    try:
        for row in rows:
            user = find_person(row.nip) or find_person(row.email)
            if user is None:
                user = new_learner(row.email, row.name, row.nip, row.unit)
                tokens.append(
                    (user, issue_password_token(user, "first_login", commit=False))
                )
                created += 1
            elif user.nip is None:
                user.nip = row.nip
            joined = join_cohort(cohort, user)
            if joined is None:
                raise CohortError(_("Line %(line)d: %(name)s is already in another cohort of this course.",
                                    line=row.line, name=row.name))  # fmt: skip
            added += joined
        record(
            "cohort.import_members",
            by_user_id,
            cohort,
            added=added,
            accounts_created=created,
        )
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    forget_figures(cohort.id)
    return added, created, tokens
