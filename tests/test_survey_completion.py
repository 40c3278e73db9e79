"""Whether a survey is required to complete the course: said in its front matter, required by default."""

from sqlalchemy import select

from lms.extensions import db
from lms.learn import progress
from lms.learn.outline import course_outline
from lms.models import (
    Activity,
    Certificate,
    Enrollment,
    SurveyCompletion,
    SurveyResponse,
)
from tests.survey_world import answer, answer_form, course_copy, survey


def enrollment(user) -> Enrollment:
    return db.session.scalar(select(Enrollment).where(Enrollment.user_id == user.id))


def complete_all_but(user, *keys: str) -> None:
    """Complete every current activity of the survey course except the surveys named."""
    for activity in db.session.scalars(
        select(Activity).where(Activity.archived_at.is_(None))
    ):
        if activity.key.split("/")[1] not in keys:
            progress.complete_activity(user.id, activity)


def test_a_required_anonymous_survey_holds_the_course_until_answered_and_names_no_one(
    survey_cohort,
):
    learner = survey_cohort["learners"][0]
    assert (
        survey("evaluasi").required and survey("evaluasi").spec["settings"]["anonymous"]
    )
    complete_all_but(learner, "evaluasi")
    assert enrollment(learner).completed_at is None
    assert course_outline(survey("evaluasi").course, learner.id).percent < 100
    people = [survey_cohort["fasilitator"].id, survey_cohort["coach"].id]
    answer(learner, "evaluasi", answer_form(people))
    assert enrollment(learner).completed_at is not None
    assert db.session.scalar(
        select(Certificate).where(Certificate.user_id == learner.id)
    )
    completion = db.session.scalar(
        select(SurveyCompletion).where(SurveyCompletion.user_id == learner.id)
    )
    assert completion is not None  # the fact that she answered, apart from the answers
    responses = db.session.scalars(select(SurveyResponse)).all()
    assert len(responses) == 1 and responses[0].user_id is None


def test_an_optional_survey_leaves_the_course_complete_without_it(
    client, auth, import_courses, tmp_path, make_user
):
    import_courses(course_copy(tmp_path, "required: false\n"))
    learner = make_user(email="ani@example.org")
    progress.enroll(learner, survey("umpan-balik").course)
    assert not survey("umpan-balik").required
    complete_all_but(learner, "umpan-balik")
    assert enrollment(learner).completed_at is not None
    outline = course_outline(survey("umpan-balik").course, learner.id)
    assert outline.percent == 100 and outline.total == len(outline.items) - 1
    auth.login("ani@example.org")
    page = client.get("/courses/kursus-survei/").get_data(as_text=True)
    assert page.count(">Opsional</span>") == 1  # the outline says which one


def test_making_a_survey_optional_completes_those_who_did_everything_else(
    import_courses, tmp_path, make_user
):
    import_courses(course_copy(tmp_path))
    learner = make_user(email="ani@example.org")
    progress.enroll(learner, survey("umpan-balik").course)
    complete_all_but(learner, "umpan-balik")
    assert enrollment(learner).completed_at is None
    import_courses(course_copy(tmp_path / "again", "required: false\n"))
    db.session.expire_all()
    assert enrollment(learner).completed_at is not None


def test_check_courses_refuses_a_required_that_is_not_true_or_false(
    app, runner, tmp_path
):
    folder = course_copy(tmp_path, "required: wajib\n")
    result = runner.invoke(args=["lms", "check-courses", str(folder)])
    assert result.exit_code != 0
    assert "03-umpan-balik.survey:4:" in result.output and "required" in result.output


def test_a_survey_made_in_the_browser_says_it_is_required(client, auth, survey_cohort):
    auth.login("organiser@example.org")
    client.post("/author/kursus-survei/modules/modul/activities/new",
                data={"type": "survey", "key": "kesan", "title": "Kesan"})  # fmt: skip
    made = survey("kesan")
    assert "required: true  # " in made.source and made.required
    edit = client.get(f"/author/kursus-survei/activities/{made.id}/edit")
    assert "required: true" in edit.get_data(as_text=True)
