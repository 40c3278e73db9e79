"""Through the API too, the rest of a course waits until the learner has taken its pre-test."""

import pytest

from lms.assessment import attempts as engine
from lms.extensions import db
from lms.learn import progress
from tests.api.conftest import assert_problem
from tests.survey_world import activity, take_pretest

COURSE = "/courses/kursus-survei"
LESSON = f"{COURSE}/activities/modul/pelajaran/complete"
POSTTEST = f"{COURSE}/quizzes/akhir/posttest"


@pytest.fixture
def ani(survey_course, make_user, make_token):
    """A learner enrolled in the survey course, without its pre-test, and her token."""
    user = make_user(email="ani@example.org")
    progress.enroll(user, survey_course)
    db.session.commit()
    return user, make_token(user)


def refused(response) -> bool:
    assert_problem(response, 403, "pretest-first")
    return response.json["pretest"] == "awal/pretest"


def test_marking_a_lesson_done_waits_for_the_pretest(api, ani):
    user, token = ani
    assert refused(api.post(LESSON, token))
    take_pretest(user)
    assert api.post(LESSON, token).json["completed"] is True


def test_the_quiz_endpoints_wait_for_the_pretest(api, ani):
    user, token = ani
    assert refused(api.post(f"{POSTTEST}/attempts", token))
    assert refused(api.get(f"{POSTTEST}/attempts", token))
    engine.start_attempt(
        user.id, activity("akhir/posttest")
    )  # begun before the pre-test
    db.session.commit()
    answer = {"json": {"answer": True}}
    assert refused(api.get(f"{POSTTEST}/attempts/1", token))
    assert refused(api.put(f"{POSTTEST}/attempts/1/answers/satu", token, **answer))
    assert refused(api.post(f"{POSTTEST}/attempts/1/submit", token))
    take_pretest(user)
    assert api.get(f"{POSTTEST}/attempts/1", token).status_code == 200
    assert api.put(f"{POSTTEST}/attempts/1/answers/satu", token, **answer).json["saved"]
    assert (
        api.post(f"{POSTTEST}/attempts/1/submit", token).json["state"] != "in_progress"
    )


def test_the_pretest_itself_is_open(api, ani):
    _user, token = ani
    assert api.post(f"{COURSE}/quizzes/awal/pretest/attempts", token).status_code == 201


def test_handing_in_an_assignment_waits_for_the_pretest(
    api, import_courses, tmp_path, make_user, make_token
):
    from tests.survey_world import course_copy

    import_courses(course_copy(tmp_path, assignment=True))
    ani = make_user(email="ani@example.org")
    progress.enroll(ani, activity("modul/tugas").course)
    token = make_token(ani)
    path = f"{COURSE}/assignments/modul/tugas/submission"
    work = {"data": {"text": "Rancangan"}, "content_type": "multipart/form-data"}
    assert refused(api.put(path, token, **work))
    take_pretest(ani)
    assert api.put(path, token, **work).status_code == 200
