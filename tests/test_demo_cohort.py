"""The demo angkatan of `make run`: under way, with people of every role who see it at once."""

import shutil
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import func, select

from lms.auth.nip import nip_problems
from lms.demo_cohort import NAME, seed_demo_cohort
from lms.extensions import db
from lms.ledger.records import local_today
from lms.models import (
    Activity,
    AssignmentSubmission,
    Cohort,
    CohortStaff,
    Enrollment,
    QuizAttempt,
    User,
)
from lms.seed import DEMO_ACCOUNTS, create_demo_accounts, seed_work_units

COURSES = Path(__file__).parent.parent / "courses"


@pytest.fixture
def demo(app, import_courses, tmp_path):
    seed_work_units()
    shutil.copytree(
        COURSES / "kepemimpinan-pengawas",
        tmp_path / "courses" / "kepemimpinan-pengawas",
    )
    import_courses(tmp_path / "courses")  # the shipped course
    list(create_demo_accounts(["kepemimpinan-pengawas"]))
    return seed_demo_cohort(local_today())


def test_demo_angkatan_is_under_way(demo):
    from lms.cohorts.report import cohort_reports

    assert demo.name == NAME == "Kepemimpinan Pengawas Angkatan I 2026"
    members = db.session.scalars(
        select(User)
        .join(Enrollment, Enrollment.user_id == User.id)
        .where(Enrollment.cohort_id == demo.id)
    ).all()
    assert len(members) == 25
    assert all(m.nip and not nip_problems(m.nip) for m in members)
    assert len({m.work_unit_id for m in members}) >= 10  # several OPDs
    assert any(d.due_on < local_today() for d in demo.due_dates)
    assert any(d.due_on > local_today() for d in demo.due_dates)
    (report,) = cohort_reports([demo], local_today())
    statuses = Counter(m.status for m in report.members)
    assert statuses["in_progress"] and statuses["overdue"], statuses
    assert len({m.percent for m in report.members}) >= 8  # mixed progress
    assert db.session.scalar(select(func.count(QuizAttempt.id))) >= 10
    waiting = db.session.scalars(
        select(AssignmentSubmission).where(AssignmentSubmission.outcome.is_(None))
    ).all()
    assert waiting and all(
        db.session.get(Activity, s.activity_id).key.endswith("rancangan-aksi-perubahan")
        for s in waiting
    )
    roles = set(
        db.session.scalars(
            select(CohortStaff.role).where(CohortStaff.cohort_id == demo.id)
        )
    )
    assert roles == {"coach", "supervisor"}
    mentors = set(
        db.session.scalars(
            select(Enrollment.mentor_id).where(Enrollment.cohort_id == demo.id)
        )
    )
    assert len(mentors) == 1 and None not in mentors


def test_supervisor_coach_and_organiser_see_it_at_once_and_it_is_built_once(
    client, auth, demo
):
    for email, password in [("pengawas@demo.kelasasn.id", "demo-pengawas-2026"),
                            ("coach@demo.kelasasn.id", "demo-coach-2026"),
                            ("pengajar@demo.kelasasn.id", "demo-pengajar-2026")]:  # fmt: skip
        auth.login(email, password)
        page = client.get("/cohorts/").get_data(as_text=True)
        assert NAME in page and "belum memantau" not in page, email
        assert client.get(f"/cohorts/{demo.id}/").status_code == 200
        auth.logout()
    assert seed_demo_cohort(local_today()).id == demo.id
    assert db.session.scalar(select(func.count(Cohort.id))) == 1
    assert (
        db.session.scalar(
            select(func.count(Enrollment.id)).where(Enrollment.cohort_id == demo.id)
        )
        == 25
    )


def test_demo_learner_sees_the_angkatan_and_an_overdue_module(client, auth, demo):
    auth.login("peserta@demo.kelasasn.id", "demo-peserta-2026")
    page = client.get("/courses/kepemimpinan-pengawas/").get_data(as_text=True)
    assert NAME in page and "due-overdue" in page and "Dra. Yuliana Sari" in page
    assert "Ir. Bambang Suryadi" in page


def test_readme_says_who_is_who():
    readme = (COURSES.parent / "README.md").read_text()
    for email, password, *_ in DEMO_ACCOUNTS:
        assert email in readme and password in readme
    for needle in ("coach@demo.kelasasn.id", "mentor@demo.kelasasn.id", NAME):
        assert needle in readme
