"""The survey results API: the report page's aggregates, never an anonymous survey's single answers."""

from tests.survey_world import answer

PATH = "/courses/kursus-survei/surveys/modul/{}/results"


def test_the_api_gives_the_report_pages_aggregates_without_anonymous_texts(
    api, make_token, answered
):
    from lms.models import User

    organiser = User.query.filter_by(email="organiser@example.org").one()
    body = api.get(PATH.format("evaluasi"), make_token(organiser)).json
    assert body["respondents"] == 4 and body["shown"] and body["anonymous"]
    clear = next(q for q in body["questions"] if q["key"] == "materi-jelas")
    assert clear["mean"] == 3.5 and clear["count"] == 4
    assert [d["count"] for d in clear["distribution"]] == [0, 1, 1, 1, 1]
    assert all("texts" not in q for q in body["questions"])
    assert "Kesan A" not in str(body)


def test_a_named_surveys_texts_come_without_names(api, make_token, survey_cohort):
    from lms.models import User

    answer(
        survey_cohort["learners"][0],
        "umpan-balik",
        {"q-puas": "4", "q-catatan": "Mantap"},
    )
    organiser = User.query.filter_by(email="organiser@example.org").one()
    body = api.get(PATH.format("umpan-balik"), make_token(organiser)).json
    assert body["questions"][1]["texts"] == [{"text": "Mantap", "count": 1}]
    assert "Peserta" not in str(body)


def test_a_supervisor_reads_their_cohort_and_nothing_else(api, make_token, answered):
    token = make_token(answered["pengawas"])
    assert api.get(PATH.format("evaluasi"), token).status_code == 403
    cohort = answered["cohort"].id
    assert (
        api.get(PATH.format("evaluasi") + f"?cohort={cohort}", token).json[
            "respondents"
        ]
        == 4
    )
    assert api.get(PATH.format("evaluasi") + "?cohort=999", token).status_code == 404
    learner = make_token(answered["learners"][0])
    assert (
        api.get(PATH.format("evaluasi") + f"?cohort={cohort}", learner).status_code
        == 403
    )


def test_the_learning_gain_api_gives_the_report_pages_numbers(
    api, make_token, survey_cohort
):
    from decimal import Decimal

    from sqlalchemy import select

    from lms.extensions import db
    from lms.learn import progress
    from lms.models import Activity, ActivityProgress, User

    pre = db.session.scalar(select(Activity).where(Activity.key == "awal/pretest"))
    post = db.session.scalar(select(Activity).where(Activity.key == "akhir/posttest"))
    learner = survey_cohort["learners"][0]
    db.session.execute(ActivityProgress.__table__.update().where(
        ActivityProgress.user_id == learner.id, ActivityProgress.activity_id == pre.id).values(score=Decimal(40)))  # fmt: skip
    progress.complete_activity(learner.id, post, score=Decimal(70))
    organiser = User.query.filter_by(email="organiser@example.org").one()
    body = api.get("/courses/kursus-survei/learning-gain", make_token(organiser)).json
    assert (body["pretest"], body["posttest"]) == ("awal/pretest", "akhir/posttest")
    assert body["overall"]["gain"] == 0.5 and body["overall"]["count"] == 1
    mine = next(r for r in body["learners"] if r["name"] == learner.name)
    assert (mine["pre"], mine["post"], mine["gain"]) == (40, 70, 0.5)
    supervisor = make_token(survey_cohort["pengawas"])
    assert (
        api.get("/courses/kursus-survei/learning-gain", supervisor).status_code == 403
    )
    cohort = survey_cohort["cohort"].id
    assert (
        api.get(
            f"/courses/kursus-survei/learning-gain?cohort={cohort}", supervisor
        ).json["overall"]["count"]
        == 1
    )
