"""Fixtures for the survey tests: a course with two surveys, a cohort, its facilitators and learners."""

import shutil
from pathlib import Path

import pytest
from sqlalchemy import select

from lms.extensions import db
from lms.models import Activity, Course

SURVEY_DATA = Path(__file__).parent / "data" / "survey"


@pytest.fixture
def survey_course(import_courses, tmp_path):
    """Import the survey test course and return it."""
    shutil.copytree(SURVEY_DATA, tmp_path / "survey")
    import_courses(tmp_path / "survey")
    return db.session.scalar(select(Course).where(Course.slug == "kursus-survei"))


def survey(key: str) -> Activity:
    """Return the survey activity of the test course with `key` (evaluasi, umpan-balik)."""
    return db.session.scalar(select(Activity).where(Activity.key == f"modul/{key}"))


@pytest.fixture
def survey_cohort(survey_course, make_user):
    """A cohort of the survey course with a facilitator, a coach, a supervisor and four learners."""
    from lms.cohorts.members import add_member, add_staff
    from lms.learn import progress
    from tests.cohort_world import add_cohort

    cohort = add_cohort(survey_course.id, name="Angkatan Survei")
    people = {
        "fasilitator": make_user(email="fasilitator@example.org", name="Bu Fasilitator"),
        "coach": make_user(email="coach@example.org", name="Pak Coach"),
        "pengawas": make_user(email="pengawas@example.org", role="supervisor", name="Pengawas"),
        "organiser": make_user(email="organiser@example.org", role="instructor", name="Penyelenggara"),
    }  # fmt: skip
    from lms.auth.accounts import assign_instructor

    assign_instructor("organiser@example.org", "kursus-survei")
    add_staff(cohort, people["fasilitator"], "facilitator")
    add_staff(cohort, people["coach"], "coach")
    add_staff(cohort, people["pengawas"], "supervisor")
    learners = [
        make_user(email=f"peserta{i}@example.org", name=f"Peserta {i}")
        for i in range(4)
    ]
    for learner in learners:
        add_member(cohort, learner)
        progress.complete_activity(
            learner.id,
            db.session.scalar(select(Activity).where(Activity.key == "awal/pretest")),
        )
    return {"cohort": cohort, "learners": learners, **people}


def answer_form(people_ids, **overrides) -> dict:
    """Return a complete answer form for the evaluation survey (the facilitators by id)."""
    form = {"q-materi-jelas": "4", "q-peran": "1", "q-manfaat-c0": "1", "q-manfaat-c2": "1",
            "q-rekomendasi": "9", "q-kesan": "Bagus", "q-perbaikan": "Waktu diskusi ditambah"}  # fmt: skip
    for person_id in people_ids:
        form[f"q-fasilitator-jelas-f{person_id}"] = "5"
    form.update(overrides)
    return {k: v for k, v in form.items() if v is not None}


def answer(user, key: str, form: dict) -> None:
    """Answer the survey `key` as `user` through the service the view calls, and complete it."""
    from lms.learn import progress
    from lms.surveys.answers import save_response

    activity = survey(key)
    assert save_response(activity, user.id, form)
    progress.complete_activity(user.id, activity)


@pytest.fixture
def answered(survey_cohort):
    """The four learners of the cohort have answered the evaluation survey (ratings 2, 3, 4, 5)."""
    people = [survey_cohort["fasilitator"].id, survey_cohort["coach"].id]
    for i, learner in enumerate(survey_cohort["learners"]):
        form = answer_form(people, **{"q-materi-jelas": str(i + 2), "q-kesan": f"Kesan {'DCBA'[i]}",
                                      f"q-fasilitator-jelas-f{people[1]}": str(i + 1)})  # fmt: skip
        answer(learner, "evaluasi", form)
    return survey_cohort


def activity(key: str) -> Activity:
    """Return the test course's activity with `key` (module/activity)."""
    return db.session.scalar(select(Activity).where(Activity.key == key))


def take_pretest(user) -> None:
    """Hand in the test course's pre-test as `user` (any score completes it)."""
    from lms.assessment import attempts as engine

    engine.submit_attempt(engine.start_attempt(user.id, activity("awal/pretest")))
    db.session.commit()


def course_copy(tmp_path, survey_front: str = "", assignment: bool = False) -> Path:
    """Copy the test courses to `tmp_path`, adding `survey_front` to the open feedback survey's
    front matter (and, with `assignment`, an assignment `modul/tugas` handed in as text)."""
    shutil.copytree(SURVEY_DATA, tmp_path / "c")
    module = tmp_path / "c/kursus-survei/01-modul"
    path = module / "03-umpan-balik.survey"
    path.write_text(
        path.read_text().replace("minutes: 5\n", f"minutes: 5\n{survey_front}")
    )
    if assignment:
        (module / "04-tugas.assignment").write_text(
            "---\ntitle: Tugas\nminutes: 30\nfile_required: false\n---\nTulis rancangan Anda.\n"
        )
    return tmp_path / "c"
