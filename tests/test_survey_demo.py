"""The demo data: a cohort's members have taken the tests and answered the survey, so reports show."""

import shutil
from pathlib import Path

from sqlalchemy import select

from lms.extensions import db
from lms.gain.report import gain_report
from lms.models import Activity, Course
from lms.surveys.demo import seed_evaluation_demo
from lms.surveys.results import survey_results
from tests.cohort_world import add_cohort

LIBRARY = Path(__file__).resolve().parents[1] / "courses"


def test_a_demo_cohort_has_survey_answers_and_learning_gain(
    app, import_courses, make_user, tmp_path
):
    from lms.cohorts.members import add_member, add_staff

    shutil.copytree(
        LIBRARY / "kepemimpinan-pengawas", tmp_path / "lib/kepemimpinan-pengawas"
    )
    import_courses(tmp_path / "lib")
    course = db.session.scalar(select(Course))
    cohort = add_cohort(course.id, name="Angkatan Demo")
    add_staff(cohort, make_user(name="Coach Demo"), "coach")
    for n in range(6):
        add_member(cohort, make_user(name=f"Peserta {n}"))
    assert seed_evaluation_demo() == 6
    survey = db.session.scalar(select(Activity).where(Activity.type == "survey"))
    results = survey_results(survey, cohort.id)
    assert results.shown and results.respondents == 6
    coach = [
        q
        for q in results.questions
        if q.facilitator and q.facilitator[1] == "Coach Demo"
    ]
    assert coach and all(q.count == 6 for q in coach if q.question["required"])
    gain = gain_report(course, cohort.id)
    assert gain.overall.count == 6 and gain.overall.gain > 0
    assert seed_evaluation_demo() == 0  # once
