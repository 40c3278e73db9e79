"""Surveys: the text format, answering one, anonymity and completion."""

import pytest
from sqlalchemy import func, select

from lms.activities.registry import activity_types
from lms.content.errors import ContentError
from lms.content.limits import MAX_SURVEY_ITEMS
from lms.extensions import db
from lms.models import ActivityProgress, SurveyAnswer, SurveyCompletion, SurveyResponse
from tests.survey_world import answer_form, survey

HEAD = "---\ntitle: S\nminutes: 5\n---\n"


def parse(body: str):
    return activity_types()["survey"].parse("x.survey", HEAD + body)


def problems(body: str) -> list[str]:
    with pytest.raises(ContentError) as error:
        parse(body)
    return [str(p) for p in error.value.problems]


def test_every_question_type_is_read_with_sections_and_required_marks(app):
    items = parse(
        "## Materi\nlikert* a: Jelas?\n  1: Tidak\n  5: Ya\nchoice b: Peran?\n  - X\n  - Y\n"
        "multiple c: Apa?\n  - X\n  - Y\nscale d: Rekomendasi?\n  0: Tidak\n  10: Ya\n"
        "text e @facilitator: Kesan\nlongtext f: Saran\n"
    ).spec["items"]
    assert [i.get("type", i["kind"]) for i in items] == ["section", "likert", "choice", "multiple", "scale", "text", "longtext"]  # fmt: skip
    assert items[1]["required"] and not items[2]["required"]
    assert items[1]["labels"] == {"1": "Tidak", "5": "Ya"}
    assert items[5]["facilitator"] and items[2]["choices"] == ["X", "Y"]


@pytest.mark.parametrize(
    ("body", "line", "says"),
    [
        ("likert a: Jelas?\n  1: Tidak\n", 5, "labels for both ends"),
        ("choice a: Peran?\n  - X\n", 5, "at least two choices"),
        ("ranking a: Urutkan\n", 5, "unknown question type 'ranking'"),
        ("text A_b: Kesan\n", 5, "lower-case"),
        ("text a: X\ntext a: Y\n", 6, "used twice"),
        ("text a: X\n  - nope\n", 6, "takes nothing"),
        ("likert a: X\n  3: Tengah\n  1: A\n  5: B\n", 6, "labels its ends"),
        ("Ini bukan pertanyaan\n", 5, "expected a question"),
        ("text a @pengajar: X\n", 5, "@facilitator"),
        ("## Hanya bagian\n", 5, "at least one question"),
    ],
)
def test_a_malformed_survey_is_refused_at_its_file_and_line(app, body, line, says):
    found = problems(body)
    assert any(p.startswith(f"x.survey:{line}:") and says in p for p in found), found


def test_a_survey_past_its_named_limit_is_refused(app):
    body = "".join(f"text q{i}: Pertanyaan {i}\n" for i in range(MAX_SURVEY_ITEMS + 1))
    assert any("MAX_SURVEY_ITEMS" in p for p in problems(body))


def test_check_courses_names_a_broken_survey(app, runner, tmp_path, survey_course):
    import shutil

    from tests.survey_world import SURVEY_DATA

    shutil.copytree(SURVEY_DATA, tmp_path / "broken")
    path = tmp_path / "broken/kursus-survei/01-modul/03-umpan-balik.survey"
    path.write_text(path.read_text().replace("  5: Sangat setuju\n", ""))
    result = runner.invoke(args=["lms", "check-courses", str(tmp_path / "broken")])
    assert result.exit_code != 0
    assert (
        "03-umpan-balik.survey:5: a likert question needs labels for both ends"
        in result.output
    )


def _open_and_answer(client, auth, learner, form, key="evaluasi"):
    auth.login(learner.email)
    url = f"/courses/kursus-survei/modul/{key}/"
    page = client.get(url)
    assert page.status_code == 200
    return client.post(url + "complete", data=form)


def test_a_learner_answers_each_facilitator_and_completes_the_survey(
    client, auth, survey_cohort
):
    learner = survey_cohort["learners"][0]
    auth.login(learner.email)
    page = client.get("/courses/kursus-survei/modul/evaluasi/").get_data(as_text=True)
    assert (
        "Bu Fasilitator" in page
        and "Pak Coach" in page
        and "Pengawas" not in page.split("survey")[-1]
    )
    people = [survey_cohort["fasilitator"].id, survey_cohort["coach"].id]
    response = client.post(
        "/courses/kursus-survei/modul/evaluasi/complete", data=answer_form(people)
    )
    assert response.status_code == 302
    activity = survey("evaluasi")
    done = db.session.scalar(select(ActivityProgress).where(ActivityProgress.user_id == learner.id,
                                                            ActivityProgress.activity_id == activity.id))  # fmt: skip
    assert done.completed_at is not None
    about = db.session.execute(select(SurveyAnswer.facilitator_id, SurveyAnswer.number)
                               .where(SurveyAnswer.question_key == "fasilitator-jelas")).all()  # fmt: skip
    assert sorted(about) == sorted((p, 5) for p in people)
    chosen = db.session.scalars(
        select(SurveyAnswer.number).where(SurveyAnswer.question_key == "manfaat")
    ).all()
    assert sorted(chosen) == [0, 2]
    page = client.get("/courses/kursus-survei/modul/evaluasi/").get_data(as_text=True)
    assert "You have answered this survey" in page or "Anda sudah menjawab" in page


def test_an_anonymous_response_names_no_one_and_keeps_no_time(
    client, auth, survey_cohort
):
    learner = survey_cohort["learners"][0]
    _open_and_answer(
        client,
        auth,
        learner,
        answer_form([survey_cohort["fasilitator"].id, survey_cohort["coach"].id]),
    )
    response = db.session.scalar(select(SurveyResponse))
    assert response.user_id is None and response.cohort_id == survey_cohort["cohort"].id
    assert len(response.id) == 32  # random, not a sequence that orders responses
    columns = {c.name for c in SurveyResponse.__table__.columns} | {
        c.name for c in SurveyAnswer.__table__.columns
    }
    assert not any("user" in c or c.endswith("_at") for c in columns - {"user_id"})
    assert db.session.scalar(select(func.count()).select_from(SurveyCompletion)) == 1


def test_a_named_survey_keeps_who_answered(client, auth, survey_cohort):
    learner = survey_cohort["learners"][1]
    _open_and_answer(client, auth, learner, {"q-puas": "3"}, key="umpan-balik")
    assert db.session.scalar(select(SurveyResponse.user_id)) == learner.id


def test_a_required_question_left_empty_stores_nothing(client, auth, survey_cohort):
    learner = survey_cohort["learners"][0]
    form = answer_form([survey_cohort["fasilitator"].id], **{"q-materi-jelas": None})
    response = _open_and_answer(client, auth, learner, form)
    assert response.status_code == 302
    assert db.session.scalar(select(func.count()).select_from(SurveyResponse)) == 0
    assert db.session.scalar(select(func.count()).select_from(SurveyCompletion)) == 0
    page = client.get(response.location).get_data(as_text=True)
    assert "Materi disampaikan dengan jelas." in page  # named in the error message


@pytest.mark.parametrize(
    "bad",
    [
        {"q-materi-jelas": "6"},
        {"q-rekomendasi": "11"},
        {"q-peran": "9"},
        {"q-kesan": "x" * 301},
    ],
)
def test_an_answer_out_of_range_is_refused(client, auth, survey_cohort, bad):
    people = [survey_cohort["fasilitator"].id, survey_cohort["coach"].id]
    _open_and_answer(
        client, auth, survey_cohort["learners"][0], answer_form(people, **bad)
    )
    assert db.session.scalar(select(func.count()).select_from(SurveyResponse)) == 0


def test_answering_twice_keeps_one_response(client, auth, survey_cohort):
    people = [survey_cohort["fasilitator"].id, survey_cohort["coach"].id]
    learner = survey_cohort["learners"][0]
    _open_and_answer(client, auth, learner, answer_form(people))
    client.post(
        "/courses/kursus-survei/modul/evaluasi/complete", data=answer_form(people)
    )
    assert db.session.scalar(select(func.count()).select_from(SurveyResponse)) == 1


def test_an_author_writes_a_survey_in_the_browser_and_learners_answer_it(
    client, auth, survey_cohort
):
    from lms.models import Activity

    auth.login("organiser@example.org")
    response = client.post("/author/kursus-survei/modules/modul/activities/new",
                           data={"type": "survey", "key": "kesan", "title": "Kesan"})  # fmt: skip
    assert response.status_code == 302
    activity = db.session.scalar(select(Activity).where(Activity.key == "modul/kesan"))
    text = "---\ntitle: Kesan\nminutes: 3\n---\nchoice* ulang: Ikut lagi?\n  - Ya\n  - Tidak\n"
    edit = f"/author/kursus-survei/activities/{activity.id}"
    broken = client.post(
        f"{edit}/edit",
        data={
            "source": text.replace("  - Tidak\n", ""),
            "version": activity.version,
            "save": "1",
        },
    )
    assert broken.status_code == 422 and "at least two choices" in broken.get_data(
        as_text=True
    )
    assert (
        client.post(
            f"{edit}/edit",
            data={"source": text, "version": activity.version, "save": "1"},
        ).status_code
        == 302
    )
    assert client.post(f"{edit}/publish").status_code == 302
    db.session.expire_all()
    assert survey("kesan").spec["items"][0]["choices"] == ["Ya", "Tidak"]
    auth.logout()
    _open_and_answer(
        client, auth, survey_cohort["learners"][0], {"q-ulang": "0"}, key="kesan"
    )
    assert (
        db.session.scalar(
            select(SurveyAnswer.number).where(SurveyAnswer.question_key == "ulang")
        )
        == 0
    )


def test_a_members_mentor_is_asked_about_and_a_learner_outside_cohorts_rates_the_instructors(
    survey_cohort, make_user
):
    from lms.cohorts.members import add_member
    from lms.learn import progress
    from lms.surveys.answers import facilitators_for

    course_id = survey_cohort["cohort"].course_id
    mentor = make_user(name="Atasan Langsung")
    learner = make_user(name="Peserta Bermentor")
    add_member(survey_cohort["cohort"], learner, mentor=mentor)
    about = [(f.name, f.role) for f in facilitators_for(learner.id, course_id)]
    assert about == [
        ("Bu Fasilitator", "facilitator"),
        ("Pak Coach", "coach"),
        ("Atasan Langsung", "mentor"),
    ]
    alone = make_user(name="Peserta Mandiri")
    progress.enroll(alone, survey_cohort["cohort"].course)
    assert [(f.name, f.role) for f in facilitators_for(alone.id, course_id)] == [
        ("Penyelenggara", "instructor")
    ]


def test_the_editors_preview_shows_a_facilitator_question_once(
    client, auth, survey_cohort
):
    auth.login("organiser@example.org")
    page = client.get("/courses/kursus-survei/modul/evaluasi/").get_data(as_text=True)
    assert page.count("Penjelasannya mudah dipahami.") == 1
