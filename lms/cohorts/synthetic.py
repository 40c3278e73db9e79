"""A synthetic, province-sized data set for demos and benchmarks: seeded, so it is the same every time.

Learners are spread over the work units and over cohorts of one cohort course; each cohort has a
supervisor; progress follows the course order (a learner who did activity 10 did 1-9), with quiz
scores and a failed attempt now and then. Synthetic quiz attempts carry no question snapshot.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import insert, select
from werkzeug.security import generate_password_hash

from lms.auth.accounts import get_roles
from lms.extensions import db
from lms.learn.progress import on_course_completed
from lms.models import (
    Activity,
    ActivityProgress,
    Cohort,
    CohortStaff,
    Course,
    Enrollment,
    QuizAttempt,
    User,
    WorkUnit,
    user_roles,
)
from lms.seed import seed_work_units

DOMAIN = "synthetic.kelasasn.id"
CHUNK = 2000


class SyntheticError(RuntimeError):
    """The synthetic data set cannot be built here."""


def synthetic_nip(rng: random.Random, n: int) -> str:
    """Return a valid NIP, unique for each `n` below 999,000."""
    birth = date(1965, 1, 1) + timedelta(days=rng.randrange(0, 35 * 365))
    appointed = min(birth.year + rng.randrange(19, 30), 2025)
    return f"{birth:%Y%m%d}{appointed}{rng.randrange(1, 13):02d}{rng.choice('12')}{n % 999 + 1:03d}"


def build(
    learners: int,
    cohorts: int,
    seed: int,
    password: str,
    course_slug: str | None = None,
) -> dict:
    """Create the data set; return the supervisors with their cohorts."""
    rng = random.Random(seed)
    course = _cohort_course(course_slug)
    if db.session.scalar(
        select(User.id).where(User.email.like(f"%@{DOMAIN}")).limit(1)
    ):
        raise SyntheticError(
            f"synthetic users already exist (…@{DOMAIN}); use an empty database"
        )
    seed_work_units()
    units = list(db.session.scalars(select(WorkUnit.id)))
    activities = db.session.execute(
        select(Activity.id, Activity.type).where(Activity.course_id == course.id, Activity.is_current()).order_by(Activity.position)
    ).all()  # fmt: skip
    password_hash = generate_password_hash(password)
    learner_role, supervisor_role = (
        get_roles(["learner"])[0],
        get_roles(["supervisor"])[0],
    )
    db.session.commit()
    today = date.today()
    cohort_rows = []
    for c in range(cohorts):
        start = today - timedelta(days=rng.randrange(20, 120))
        cohort = Cohort(course_id=course.id, name=f"Angkatan Sintetis {c + 1:03d}", starts_on=start,
                        ends_on=start + timedelta(days=rng.randrange(60, 150)))  # fmt: skip
        db.session.add(cohort)
        cohort_rows.append(cohort)
    db.session.flush()

    now = datetime.now(UTC)
    users, seen_nips = [], set()
    for n in range(learners):
        nip = synthetic_nip(rng, n)
        while nip in seen_nips:
            nip = synthetic_nip(rng, n)
        seen_nips.add(nip)
        users.append({"email": f"asn{n:05d}@{DOMAIN}", "name": f"ASN Sintetis {n:05d}", "nip": nip,
                      "work_unit_id": rng.choice(units), "password_hash": password_hash, "active": True, "email_confirmed_at": now,
                      "created_at": now, "updated_at": now})  # fmt: skip
    supervisors = [{"email": f"pengawas{c + 1:03d}@{DOMAIN}", "name": f"Pengawas Sintetis {c + 1:03d}", "nip": None,
                    "work_unit_id": rng.choice(units), "password_hash": password_hash, "active": True, "email_confirmed_at": now,
                    "created_at": now, "updated_at": now} for c in range(cohorts)]  # fmt: skip
    _bulk(User, users + supervisors)
    ids = dict(
        db.session.execute(
            select(User.email, User.id).where(User.email.like(f"%@{DOMAIN}"))
        ).all()
    )
    learner_ids = [ids[u["email"]] for u in users]
    supervisor_ids = [ids[s["email"]] for s in supervisors]
    _bulk(user_roles, [{"user_id": i, "role_id": learner_role.id} for i in learner_ids]
          + [{"user_id": i, "role_id": supervisor_role.id} for i in supervisor_ids])  # fmt: skip
    _bulk(CohortStaff, [{"cohort_id": c.id, "user_id": s, "role": "supervisor"}
                        for c, s in zip(cohort_rows, supervisor_ids, strict=True)])  # fmt: skip

    enrollments, progress_rows, attempts, completed = [], [], [], []
    total = len(activities)
    for index, user_id in enumerate(learner_ids):
        cohort = cohort_rows[index % cohorts]
        diligence = rng.random() ** 0.7
        done = min(total, round(diligence * total * 1.1))
        span = max((today - cohort.starts_on).days, 1)
        times = sorted(now - timedelta(days=rng.uniform(0, span)) for _ in range(done))
        for (activity_id, kind), when in zip(activities[:done], times, strict=False):
            score = None
            if kind == "quiz":
                score = Decimal(rng.randrange(70, 101))
                attempts.append(
                    _attempt(
                        user_id, activity_id, 1, score, when, seed=rng.randrange(2**31)
                    )
                )
            progress_rows.append({"user_id": user_id, "activity_id": activity_id, "first_visit_at": when,
                                  "last_visit_at": when, "completed_at": when, "score": score, "state": {}})  # fmt: skip
        if done < total and activities[done].type == "quiz" and rng.random() < 0.3:
            when = now - timedelta(days=rng.uniform(0, 3))
            score = Decimal(rng.randrange(20, 70))
            attempts.append(
                _attempt(
                    user_id,
                    activities[done].id,
                    1,
                    score,
                    when,
                    seed=rng.randrange(2**31),
                )
            )
            progress_rows.append({"user_id": user_id, "activity_id": activities[done].id, "first_visit_at": when,
                                  "last_visit_at": when, "completed_at": None, "score": score, "state": {}})  # fmt: skip
        last = times[-1] if times else None
        enrollments.append({"user_id": user_id, "course_id": course.id, "cohort_id": cohort.id,
                            "enrolled_at": datetime.combine(cohort.starts_on, datetime.min.time(), UTC),
                            "completed_activities": done, "last_activity_at": last,
                            "completed_at": last if done == total else None})  # fmt: skip
        if done == total:
            completed.append((user_id, last))
    _bulk(Enrollment, enrollments)
    _bulk(ActivityProgress, progress_rows)
    _bulk(QuizAttempt, attempts)
    for user_id, when in completed:
        on_course_completed(user_id, course.id, when)
    db.session.commit()
    return {
        "course": course.slug, "learners": learners, "password": password,
        "supervisors": [{"email": s["email"], "cohorts": [c.name]} for s, c in zip(supervisors, cohort_rows, strict=True)],
    }  # fmt: skip


def _attempt(
    user_id: int,
    activity_id: int,
    number: int,
    score: Decimal,
    when: datetime,
    seed: int,
) -> dict:
    return {"user_id": user_id, "activity_id": activity_id, "number": number, "seed": seed, "quiz_version": 1,
            "snapshot": [], "state": "graded", "started_at": when - timedelta(minutes=12), "submitted_at": when,
            "late": False, "score": score, "passed": score >= 70}  # fmt: skip


def _bulk(table, rows: list[dict]) -> None:
    target = table.__table__ if hasattr(table, "__table__") else table
    for start in range(0, len(rows), CHUNK):
        db.session.execute(insert(target), rows[start : start + CHUNK])


def _cohort_course(slug: str | None) -> Course:
    query = select(Course).where(Course.archived_at.is_(None))
    query = (
        query.where(Course.slug == slug)
        if slug
        else query.where(Course.cohort_based.is_(True)).order_by(Course.id)
    )
    course = db.session.scalar(query.limit(1))
    if course is None:
        raise SyntheticError(
            "no cohort course found: import courses first (or name one with --course)"
        )
    return course
