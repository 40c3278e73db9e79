"""Pre-tests and post-tests: the pre-test comes first and never holds a learner back; the gain report."""

import csv
import io
from decimal import Decimal

import pytest
from sqlalchemy import select

from lms.activities.registry import activity_types
from lms.content.errors import ContentError
from lms.extensions import db
from lms.gain.report import gain_report
from lms.learn import progress
from lms.models import Activity, ActivityProgress

GAIN = "/courses/kursus-survei/learning-gain"


def activity(key: str) -> Activity:
    return db.session.scalar(select(Activity).where(Activity.key == key))


def test_a_pretest_is_taken_once(app):
    text = "---\ntitle: P\nrole: pretest\n---\n::a:: Benar? {T}\n"
    with pytest.raises(ContentError, match="max_attempts: 1"):
        activity_types()["quiz"].parse("p.gift", text)


def test_check_courses_refuses_a_second_pretest(app, runner, tmp_path):
    import shutil

    from tests.survey_world import SURVEY_DATA

    shutil.copytree(SURVEY_DATA, tmp_path / "c")
    folder = tmp_path / "c/kursus-survei"
    shutil.copy(
        folder / "00-awal/01-pretest.gift", folder / "00-awal/02-pretest-lagi.gift"
    )
    result = runner.invoke(args=["lms", "check-courses", str(tmp_path / "c")])
    assert result.exit_code != 0
    assert "02-pretest-lagi.gift:1: a course has one pretest" in result.output


def test_the_pretest_comes_first_and_any_score_completes_it(
    client, auth, survey_course, make_user
):
    from lms.assessment import attempts as engine

    learner = make_user(email="ani@example.org")
    progress.enroll(learner, survey_course)
    auth.login("ani@example.org")
    lesson = client.get("/courses/kursus-survei/modul/pelajaran/")
    assert lesson.status_code == 302 and lesson.location.endswith(
        "/courses/kursus-survei/awal/pretest/"
    )
    pretest = activity("awal/pretest")
    attempt = engine.submit_attempt(
        engine.start_attempt(learner.id, pretest)
    )  # nothing answered
    db.session.commit()
    assert attempt.score == 0
    row = db.session.scalar(
        select(ActivityProgress).where(ActivityProgress.activity_id == pretest.id)
    )
    assert row.completed_at is not None
    assert client.get("/courses/kursus-survei/modul/pelajaran/").status_code == 200


@pytest.fixture
def scored(survey_cohort, make_unit):
    """Four learners: 50→80, 20→60 (unit Dinas A), 100→90 and 40→nothing (unit Dinas B)."""
    units = [make_unit("a", "Dinas A"), make_unit("b", "Dinas B")]
    pre, post = activity("awal/pretest"), activity("akhir/posttest")
    scores = [(50, 80), (20, 60), (100, 90), (40, None)]
    for i, (learner, (before, after)) in enumerate(
        zip(survey_cohort["learners"], scores, strict=True)
    ):
        learner.work_unit_id = units[i // 2].id
        db.session.execute(ActivityProgress.__table__.update().where(
            ActivityProgress.user_id == learner.id, ActivityProgress.activity_id == pre.id).values(score=Decimal(before)))  # fmt: skip
        if after is not None:
            progress.complete_activity(learner.id, post, score=Decimal(after))
    db.session.commit()
    return survey_cohort


def test_each_learners_gain_and_the_means_per_unit(app, scored, survey_course):
    result = gain_report(survey_course, scored["cohort"].id)
    by_name = {r.name: (r.pre, r.post, r.gain) for r in result.learners}
    assert by_name == {"Peserta 0": (50, 80, 0.6), "Peserta 1": (20, 60, 0.5),
                       "Peserta 2": (100, 90, None), "Peserta 3": (40, None, None)}  # fmt: skip
    assert (result.overall.gain, result.overall.count) == (0.55, 2)
    units = {u.unit_name: (u.pre, u.post, u.gain, u.count) for u in result.units}
    assert units == {"Dinas A": (35, 70, 0.55, 2), "Dinas B": (70, 90, None, 0)}


def test_the_report_page_and_its_download_show_the_gain(client, auth, scored):
    auth.login("organiser@example.org")
    page = client.get(GAIN).get_data(as_text=True)
    assert "0,55" in page or "0.55" in page
    assert (
        page.count("<svg") == 2 and "2 (100%)" in page
    )  # both gains in the 0.3–0.69 band
    assert "Dinas A" in page.split("<svg")[2]  # the mean gain per work unit
    rows = list(
        csv.reader(
            io.StringIO(
                client.get(f"{GAIN}.csv").get_data(as_text=True).lstrip("\ufeff")
            )
        )
    )
    # numbers as the Indonesian page writes them: a decimal comma, no trailing zeros
    assert ["Peserta 0", "", "Dinas A", "50", "80", "0,6", "1"] in rows
    assert rows[-1][-2:] == ["0,55", "2"]


def test_a_supervisor_reads_their_cohorts_gain_only(client, auth, scored):
    auth.login("pengawas@example.org")
    assert client.get(GAIN).status_code == 403
    assert client.get(f"{GAIN}?cohort={scored['cohort'].id}").status_code == 200
    auth.logout()
    auth.login(scored["learners"][0].email)
    assert client.get(f"{GAIN}?cohort={scored['cohort'].id}").status_code == 403
