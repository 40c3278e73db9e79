"""The synthetic data set: seeded, valid, and visible to its supervisors."""

import json

from sqlalchemy import func, select

from lms.auth.nip import nip_problems
from lms.extensions import db
from lms.models import ActivityProgress, Cohort, CohortStaff, Enrollment, User


def test_seed_synthetic_builds_cohorts_with_supervisors(
    runner, client, import_courses, quiz_dir
):
    import_courses(quiz_dir)
    result = runner.invoke(args=["lms", "seed-synthetic", "--learners", "60", "--cohorts", "3", "--seed", "5",
                                 "--password", "sandi-sintetis-1", "--course", "kursus-kuis"])  # fmt: skip
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert len(summary["supervisors"]) == 3
    assert db.session.scalar(select(func.count(Enrollment.id))) == 60
    assert db.session.scalar(select(func.count(Cohort.id))) == 3
    assert db.session.scalar(select(func.count(CohortStaff.id))) == 3
    nips = db.session.scalars(select(User.nip).where(User.nip.is_not(None))).all()
    assert len(nips) == 60 and all(nip_problems(n) == [] for n in nips)
    done = db.session.scalar(
        select(func.count(ActivityProgress.id)).where(
            ActivityProgress.completed_at.is_not(None)
        )
    )
    assert done > 0
    # counted summaries agree with the progress rows
    for e in db.session.scalars(select(Enrollment)):
        rows = db.session.scalar(
            select(func.count(ActivityProgress.id)).where(ActivityProgress.user_id == e.user_id,
                                                          ActivityProgress.completed_at.is_not(None))
        )  # fmt: skip
        assert rows == e.completed_activities
    client.post(
        "/login",
        data={
            "login": summary["supervisors"][0]["email"],
            "password": "sandi-sintetis-1",
        },
    )
    assert summary["supervisors"][0]["cohorts"][0] in client.get("/cohorts/").get_data(
        as_text=True
    )
    again = runner.invoke(args=["lms", "seed-synthetic", "--learners", "5", "--cohorts", "1", "--password", "x" * 10,
                                "--course", "kursus-kuis"])  # fmt: skip
    assert again.exit_code != 0 and "already exist" in again.output


def test_seed_is_reproducible(app, runner, import_courses, quiz_dir):
    import_courses(quiz_dir)
    args = ["lms", "seed-synthetic", "--learners", "20", "--cohorts", "2", "--seed", "9", "--password", "p" * 10,
            "--course", "kursus-kuis"]  # fmt: skip
    runner.invoke(args=args)
    first = sorted(
        db.session.execute(
            select(User.nip, Enrollment.completed_activities).join(
                Enrollment, Enrollment.user_id == User.id
            )
        ).all()
    )
    from tests.conftest import _empty_all_tables

    _empty_all_tables()
    import_courses(quiz_dir)
    runner.invoke(args=args)
    assert (
        sorted(
            db.session.execute(
                select(User.nip, Enrollment.completed_activities).join(
                    Enrollment, Enrollment.user_id == User.id
                )
            ).all()
        )
        == first
    )
