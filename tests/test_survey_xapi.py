"""xAPI: a survey is completed with none of its answers; pre-tests and post-tests say what they are."""

import json
from decimal import Decimal

from sqlalchemy import select

from lms.assessment import attempts as engine
from lms.extensions import db
from lms.models import Activity, ActivityProgress, XapiStatement
from lms.xapi import statements as xapi
from tests.survey_world import answer_form, survey
from tests.xapi_helpers import statement_problems

EXT = "http://localhost/xapi/extensions/"


def queued(verb) -> list[dict]:
    query = (
        select(XapiStatement)
        .where(XapiStatement.verb == verb)
        .order_by(XapiStatement.id)
    )
    return [row.payload for row in db.session.scalars(query)]


def test_answering_a_survey_is_completed_with_none_of_its_answers(
    client, auth, survey_cohort
):
    people = [survey_cohort["fasilitator"].id, survey_cohort["coach"].id]
    auth.login(survey_cohort["learners"][0].email)
    client.get("/courses/kursus-survei/modul/evaluasi/")
    client.post(
        "/courses/kursus-survei/modul/evaluasi/complete",
        data=answer_form(people, **{"q-kesan": "Rahasia"}),
    )
    [done] = [
        s
        for s in queued(xapi.COMPLETED)
        if s["object"]["id"].endswith("/modul/evaluasi/")
    ]
    assert (
        done["object"]["definition"]["type"]
        == "http://id.tincanapi.com/activitytype/survey"
    )
    assert statement_problems(done) == []
    assert "Rahasia" not in json.dumps(done) and set(done["result"]) == {"completion"}
    assert survey(
        "evaluasi"
    ).id  # the survey exists, its statement names only the activity


def test_pretest_and_posttest_statements_carry_their_role_and_the_gain(
    app, survey_cohort
):
    learner = survey_cohort["learners"][0]
    pre = db.session.scalar(select(Activity).where(Activity.key == "awal/pretest"))
    post = db.session.scalar(select(Activity).where(Activity.key == "akhir/posttest"))
    db.session.execute(ActivityProgress.__table__.update().where(
        ActivityProgress.user_id == learner.id, ActivityProgress.activity_id == pre.id).values(score=Decimal(50)))  # fmt: skip
    attempt = engine.start_attempt(learner.id, post)
    engine.save_answer(attempt, "satu", "true")
    engine.submit_attempt(attempt)
    db.session.commit()
    (graded,) = queued(xapi.FAILED) + queued(xapi.PASSED)
    assert graded["context"]["extensions"][EXT + "test-role"] == "posttest"
    assert graded["context"]["extensions"][EXT + "normalised-gain"] == 0.0  # 50 → 50
    assert statement_problems(graded) == []
    pretest_done = engine.submit_attempt(
        engine.start_attempt(survey_cohort["learners"][1].id, pre)
    )
    db.session.commit()
    assert pretest_done.score == 0
    roles = [
        s["context"]["extensions"].get(EXT + "test-role") for s in queued(xapi.FAILED)
    ]
    assert "pretest" in roles
