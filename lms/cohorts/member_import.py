"""Member lists from CSV: every row checked before anything is written, then added in bulk.

The whole file is checked first (NIP, name, email, work unit, and the accounts it names, read in a
few statements); nothing is added unless every row is good. Then accounts, roles, first-login
tokens and enrollments are written in a fixed number of statements whatever the file's size.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _
from sqlalchemy import func, insert, select, update

from lms.audit import record
from lms.auth.nip import nip_problems
from lms.cohorts.figures import forget_figures
from lms.cohorts.members import CohortError
from lms.extensions import db
from lms.input_checks import IN_NAME
from lms.models import (
    Cohort,
    Enrollment,
    PasswordToken,
    User,
    WorkUnit,
    user_roles,
)
from lms.models.types import utcnow

#: Header names accepted for each CSV column, in Indonesian and English (lower-cased).
HEADERS = {
    "nip": ("nip",),
    "name": ("nama", "name", "nama lengkap", "full name"),
    "email": ("email", "surel", "e-mail"),
    "unit": ("unit kerja", "unit", "opd", "work unit", "unit_kerja", "work_unit"),
}


@dataclass
class MemberRow:
    """One good row of a member CSV."""

    line: int
    nip: str
    name: str
    email: str
    unit: WorkUnit


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
        if any(IN_NAME.search(value) for value in cell.values()):
            problems.append(
                (line, _("The row holds a control character (such as a NUL byte)."))
            )
            continue
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
        if reasons:
            problems.append((line, " ".join(reasons)))
            continue
        seen_nip[cell["nip"]], seen_email[email] = line, line
        good.append(MemberRow(line, cell["nip"], cell["name"], email, unit))
    accounts = Accounts.of(cohort, good)
    for row in list(good):
        if reasons := accounts.conflicts(row):
            problems.append((row.line, " ".join(reasons)))
            good.remove(row)
    problems.sort()
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


#: Values looked up in one statement (well under every database's parameter limit).
CHUNK = 500


def _chunks(values: list) -> list[list]:
    return [values[i : i + CHUNK] for i in range(0, len(values), CHUNK)]


@dataclass
class Accounts:
    """The existing accounts a member list names, and their cohorts in its course, read in bulk."""

    by_nip: dict[str, User]
    by_email: dict[str, User]
    #: user id → (cohort id, cohort name) for those enrolled in the course (cohort may be None)
    cohorts: dict[int, tuple[int | None, str | None]]
    cohort: Cohort

    @classmethod
    def of(cls, cohort: Cohort, rows: list[MemberRow]) -> Accounts:
        """Read the accounts with the rows' NIPs or emails, and their place in the course."""
        by_nip, by_email = {}, {}
        for chunk in _chunks([r.nip for r in rows]):
            for user in db.session.scalars(select(User).where(User.nip.in_(chunk))):
                by_nip[user.nip] = user
        for chunk in _chunks([r.email for r in rows]):
            query = select(User).where(func.lower(User.email).in_(chunk))
            for user in db.session.scalars(query):
                by_email[user.email.lower()] = user
        ids = list({u.id for u in (*by_nip.values(), *by_email.values())})
        cohorts = {}
        for chunk in _chunks(ids):
            query = (
                select(Enrollment.user_id, Enrollment.cohort_id, Cohort.name)
                .outerjoin(Cohort, Cohort.id == Enrollment.cohort_id)
                .where(
                    Enrollment.course_id == cohort.course_id,
                    Enrollment.user_id.in_(chunk),
                )
            )
            for user_id, cohort_id, name in db.session.execute(query):
                cohorts[user_id] = (cohort_id, name)
        return cls(by_nip, by_email, cohorts, cohort)

    def person(self, row: MemberRow) -> User | None:
        """Return the account the row names (by NIP first), or None for a new one."""
        return self.by_nip.get(row.nip) or self.by_email.get(row.email)

    def conflicts(self, row: MemberRow) -> list[str]:
        """An existing account must match on both NIP and email (or on neither) and be free to join."""
        by_nip, by_email = self.by_nip.get(row.nip), self.by_email.get(row.email)
        person = by_nip or by_email
        if person is not None:
            cohort_id, other = self.cohorts.get(person.id, (None, None))
            if cohort_id is not None and cohort_id != self.cohort.id:
                return [_("%(name)s is already in %(cohort)s for this course.",
                          name=person.name, cohort=other)]  # fmt: skip
        if by_nip is not None and by_email is not None and by_nip.id != by_email.id:
            return [_("NIP %(nip)s and email %(email)s belong to two different accounts.",
                      nip=row.nip, email=row.email)]  # fmt: skip
        if by_nip is not None and by_email is None and by_nip.email != row.email:
            return [_("NIP %(nip)s is registered with another email.", nip=row.nip)]
        if (
            by_email is not None
            and by_nip is None
            and by_email.nip not in (None, row.nip)
        ):
            return [
                _(
                    "The email %(email)s is registered with another NIP.",
                    email=row.email,
                )
            ]
        return []


def import_members(
    cohort: Cohort,
    rows: list[MemberRow],
    by_user_id: int | None = None,
    commit: bool = True,
) -> tuple[int, int, list]:
    """Add checked rows to the cohort in one transaction, creating missing accounts, in bulk.

    Returns (members added, accounts created, [(user, first-login token)] for new accounts).
    With `commit` false the caller commits (the worker, with its job's state) and forgets figures.
    """
    from lms.auth.accounts import get_roles
    from lms.auth.tokens import LIFETIMES, new_token

    if cohort.closed_at is not None:
        raise CohortError(_("The cohort is closed."))
    try:
        accounts = Accounts.of(cohort, rows)
        for row in rows:
            if reasons := accounts.conflicts(row):  # changed since the file was checked
                raise CohortError(
                    _("Line %(line)d: %(why)s", line=row.line, why=" ".join(reasons))
                )
        new_rows = [row for row in rows if accounts.person(row) is None]
        learner = get_roles(["learner"])[0]
        db.session.flush()
        now = utcnow()
        created = _insert_learners(new_rows, learner.id, now)
        tokens = []
        token_rows = []
        for user in created:
            token, digest = new_token()
            tokens.append((user, token))
            token_rows.append({"user_id": user.id, "token_hash": digest, "purpose": "first_login",
                               "expires_at": now + LIFETIMES["first_login"], "created_at": now})  # fmt: skip
        if token_rows:
            db.session.execute(insert(PasswordToken), token_rows)
        by_row = {
            row.line: accounts.person(row) for row in rows if accounts.person(row)
        }
        by_row.update(
            {row.line: user for row, user in zip(new_rows, created, strict=True)}
        )
        for row in rows:
            user = by_row[row.line]
            if user.nip is None:
                user.nip = row.nip
        added = _join_in_bulk(
            cohort, [by_row[row.line].id for row in rows], accounts, now
        )
        record("cohort.import_members", by_user_id, cohort, added=added,
               accounts_created=len(created))  # fmt: skip
        if not commit:
            return added, len(created), tokens
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    forget_figures(cohort.id)
    return added, len(created), tokens


def _insert_learners(rows: list[MemberRow], role_id: int, now) -> list[User]:
    """Insert password-less learners for `rows`, with their role; return them in row order."""
    if not rows:
        return []
    values = [{"email": r.email, "name": r.name, "nip": r.nip, "work_unit_id": r.unit.id,
               "password_hash": "!", "active": True, "failed_logins": 0,
               "created_at": now, "updated_at": now} for r in rows]  # fmt: skip
    db.session.execute(insert(User), values)
    ids = {}
    for chunk in _chunks([r.email for r in rows]):
        for user_id, email in db.session.execute(
            select(User.id, User.email).where(User.email.in_(chunk))
        ):
            ids[email] = user_id
    db.session.execute(
        insert(user_roles),
        [{"user_id": ids[r.email], "role_id": role_id} for r in rows],
    )
    users = {}
    for chunk in _chunks(list(ids.values())):
        for user in db.session.scalars(select(User).where(User.id.in_(chunk))):
            users[user.email] = user
    return [users[r.email] for r in rows]


def _join_in_bulk(cohort: Cohort, user_ids: list[int], accounts: Accounts, now) -> int:
    """Enroll the users in the cohort's course and cohort; return how many joined."""
    new = [uid for uid in dict.fromkeys(user_ids) if uid not in accounts.cohorts]
    free = [uid for uid, (cohort_id, _name) in accounts.cohorts.items()
            if cohort_id is None and uid in set(user_ids)]  # fmt: skip
    if new:
        db.session.execute(
            insert(Enrollment),
            [{"user_id": uid, "course_id": cohort.course_id, "cohort_id": cohort.id,
              "completed_activities": 0, "enrolled_at": now} for uid in new],
        )  # fmt: skip
    for chunk in _chunks(free):
        db.session.execute(
            update(Enrollment)
            .where(
                Enrollment.course_id == cohort.course_id, Enrollment.user_id.in_(chunk)
            )
            .values(cohort_id=cohort.id)
        )
    return len(new) + len(free)
