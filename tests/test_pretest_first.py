"""The pre-test comes before the rest of the course on every route that reaches its content."""

import pytest
from sqlalchemy import func, select

from lms.assessment import attempts as engine
from lms.extensions import db
from lms.learn import progress
from lms.models import ActivityProgress, QuizAttempt
from tests.survey_world import activity, take_pretest

COURSE = "/courses/kursus-survei"
PRETEST = f"{COURSE}/awal/pretest/"
POSTTEST = f"{COURSE}/akhir/posttest"


@pytest.fixture
def learner(client, auth, survey_course, make_user):
    """Ani, enrolled in the survey course and signed in, has not taken its pre-test."""
    ani = make_user(email="ani@example.org")
    progress.enroll(ani, survey_course)
    db.session.commit()
    auth.login("ani@example.org")
    return ani


def done(user, key: str) -> bool:
    row = db.session.scalar(select(ActivityProgress).where(
        ActivityProgress.user_id == user.id, ActivityProgress.activity_id == activity(key).id))  # fmt: skip
    return row is not None and row.completed_at is not None


def attempts(user, key: str) -> int:
    return db.session.scalar(select(func.count(QuizAttempt.id)).where(
        QuizAttempt.user_id == user.id, QuizAttempt.activity_id == activity(key).id))  # fmt: skip


def submitted(user):
    return db.session.scalar(select(QuizAttempt.submitted_at).where(
        QuizAttempt.user_id == user.id, QuizAttempt.activity_id == activity("akhir/posttest").id))  # fmt: skip


def sent_to_pretest(response) -> bool:
    return response.status_code == 302 and response.location.endswith(PRETEST)


def test_marking_a_lesson_done_waits_for_the_pretest(client, learner):
    assert sent_to_pretest(client.post(f"{COURSE}/modul/pelajaran/complete"))
    assert not done(learner, "modul/pelajaran")
    take_pretest(learner)
    assert client.post(f"{COURSE}/modul/pelajaran/complete").status_code == 302
    assert done(learner, "modul/pelajaran")


def test_answering_a_survey_waits_for_the_pretest(client, learner):
    form = {"q-puas": "4", "q-catatan": "Baik"}
    assert sent_to_pretest(
        client.post(f"{COURSE}/modul/umpan-balik/complete", data=form)
    )
    assert not done(learner, "modul/umpan-balik")
    take_pretest(learner)
    assert client.get(f"{COURSE}/modul/umpan-balik/").status_code == 200
    client.post(f"{COURSE}/modul/umpan-balik/complete", data=form)
    assert done(learner, "modul/umpan-balik")


def test_starting_another_quiz_waits_for_the_pretest(client, learner):
    assert sent_to_pretest(client.post(f"{POSTTEST}/attempts"))
    assert attempts(learner, "akhir/posttest") == 0
    take_pretest(learner)
    assert client.post(f"{POSTTEST}/attempts").status_code == 302
    assert attempts(learner, "akhir/posttest") == 1


def test_an_attempt_begun_before_the_pretest_is_shut_until_it_is_taken(client, learner):
    """An attempt opened before the course had a pre-test (or by any other way round it)."""
    engine.start_attempt(learner.id, activity("akhir/posttest"))
    db.session.commit()
    answer = {"present-satu": "1", "answer-satu": "true", "submit": "1"}
    assert sent_to_pretest(client.get(f"{POSTTEST}/attempts/1/"))
    assert sent_to_pretest(client.get(f"{POSTTEST}/attempts/1/confirm"))
    assert sent_to_pretest(client.post(f"{POSTTEST}/attempts/1/answers", data=answer))
    assert submitted(learner) is None
    take_pretest(learner)
    assert client.get(f"{POSTTEST}/attempts/1/").status_code == 200
    client.post(f"{POSTTEST}/attempts/1/answers", data=answer)
    assert submitted(learner) is not None


def test_the_pretest_itself_and_staff_previews_are_open(
    client, auth, learner, survey_cohort
):
    assert client.get(PRETEST).status_code == 200
    assert client.post(f"{COURSE}/awal/pretest/attempts").status_code == 302
    assert attempts(learner, "awal/pretest") == 1
    auth.logout()
    auth.login("organiser@example.org")
    assert client.get(f"{COURSE}/modul/pelajaran/").status_code == 200


def test_saving_the_course_offline_waits_for_the_pretest(client, learner):
    assert client.get(f"{COURSE}/offline.json").status_code == 403
    queue = {
        "items": [{"id": "a1", "course": "kursus-survei", "key": "modul/pelajaran"}]
    }
    assert client.post("/offline/progress", json=queue).json["refused"] == ["a1"]
    assert not done(learner, "modul/pelajaran")
    take_pretest(learner)
    manifest = client.get(f"{COURSE}/offline.json")
    assert manifest.status_code == 200 and manifest.json["lessons"] == 1
    assert client.post("/offline/progress", json=queue).json["accepted"] == ["a1"]
    assert done(learner, "modul/pelajaran")


def test_handing_in_an_assignment_waits_for_the_pretest(
    client, auth, import_courses, tmp_path, make_user
):
    from lms.models import AssignmentSubmission
    from tests.survey_world import course_copy

    import_courses(course_copy(tmp_path, assignment=True))
    ani = make_user(email="ani@example.org")
    progress.enroll(ani, activity("modul/tugas").course)
    auth.login("ani@example.org")
    work = {"data": {"text": "Rancangan"}, "content_type": "multipart/form-data"}
    assert sent_to_pretest(client.post(f"{COURSE}/modul/tugas/submission", **work))
    assert db.session.scalar(select(func.count(AssignmentSubmission.id))) == 0
    take_pretest(ani)
    assert client.post(f"{COURSE}/modul/tugas/submission", **work).status_code == 302
    assert db.session.scalar(select(func.count(AssignmentSubmission.id))) == 1


def test_a_lessons_questions_wait_for_the_pretest(client, learner):
    questions = f"{COURSE}/modul/pelajaran/discussions/"
    ask = {"title": "Apa maksudnya?", "body": "Mohon penjelasan."}
    assert client.get(questions).status_code == 403
    assert client.post(questions + "ask", data=ask).status_code == 403
    take_pretest(learner)
    assert client.get(questions).status_code == 200
    assert client.post(questions + "ask", data=ask).status_code == 302
