"""Submitting a quiz: a confirmation listing unanswered questions, a timer, answers withheld until passed."""

import re
from pathlib import Path

import pytest
from sqlalchemy import select

from lms.extensions import db
from lms.models import QuizAttempt
from tests.test_quiz_attempts import KUIS, RIGHT, form_for, start

COURSES = Path(__file__).parent.parent / "courses"


@pytest.fixture
def learner(client, make_user, auth, quiz):
    user = make_user(email="ani@example.org")
    auth.login("ani@example.org")
    client.post("/courses/kursus-kuis/enroll")
    return user


def use_setting(quiz_dir, import_courses, quiz, old, new):
    path = quiz_dir / "kursus-kuis" / "01-modul" / "02-kuis.gift"
    path.write_text(path.read_text().replace(old, new))
    import_courses(quiz_dir)
    db.session.refresh(quiz)


def attempt_state(number=1):
    return db.session.scalar(
        select(QuizAttempt.state).where(QuizAttempt.number == number)
    )


def test_attempt_page_cannot_submit_in_one_click(client, learner, quiz):
    page = client.get(start(client)).get_data(as_text=True)
    assert 'name="submit"' not in page and 'name="finish"' in page


def test_finishing_saves_then_asks_with_the_unanswered_questions(client, learner, quiz):
    url = start(client)
    response = client.post(
        url + "answers",
        data={**form_for(quiz, {"ibukota": RIGHT["ibukota"]}), "finish": "1"},
    )
    assert response.location == url + "confirm"
    assert attempt_state() == "in_progress"  # nothing graded, no attempt used
    page = client.get(response.location).get_data(as_text=True)
    assert "1 dari 6 soal terjawab" in page
    unanswered = re.findall(r'href="[^"]*#q-([a-z]+)"', page)
    assert unanswered == ["prinsip", "lapor", "singkatan", "jp", "pasangan"]
    assert 'name="submit"' in page  # the real submit is here
    client.post(url + "answers", data={"submit": "1"})
    assert attempt_state() != "in_progress"


def test_confirmation_with_everything_answered(client, learner, quiz):
    url = start(client)
    answers = form_for(quiz, RIGHT)
    client.post(url + "answers", data={**answers, "finish": "1"})
    page = client.get(url + "confirm").get_data(as_text=True)
    assert "Semua soal sudah dijawab" in page and "#q-" not in page
    assert "tersisa 2 kesempatan" in page


def test_a_submitted_attempt_has_no_confirmation(client, learner, quiz):
    url = start(client)
    client.post(url + "answers", data={"submit": "1"})
    assert client.get(url + "confirm").location == url


def test_time_limit_shows_a_timer_from_a_static_script(
    client, learner, quiz, quiz_dir, import_courses
):
    page = client.get(start(client)).get_data(as_text=True)
    assert 'role="timer"' not in page
    client.post(KUIS + "/attempts/1/answers", data={"submit": "1"})
    use_setting(
        quiz_dir,
        import_courses,
        quiz,
        "max_attempts: 3",
        "max_attempts: 3\ntime_limit: 10",
    )
    page = client.get(start(client)).get_data(as_text=True)
    assert 'role="timer"' in page and re.search(
        r'<span id="time-left"[^>]*>(9|10) menit', page
    )
    script = re.search(
        r'<script src="(/static/quiz-timer-[0-9a-f]{32}\.js)"', page
    ).group(1)
    assert "<script>" not in page  # no inline script under the strict CSP
    response = client.get(script)
    assert "deadline" in response.get_data(as_text=True)
    response.close()  # static files are sent as open files


def review(client, number):
    return client.get(f"{KUIS}/attempts/{number}/").get_data(as_text=True)


def test_answers_withheld_until_passed(client, learner, quiz, quiz_dir, import_courses):
    use_setting(quiz_dir, import_courses, quiz, "show_answers: after_submit",
                "show_answers: after_pass_or_last_attempt")  # fmt: skip
    start(client)
    client.post(KUIS + "/attempts/1/answers", data={"submit": "1"})  # a blank attempt
    page = review(client, 1)
    assert (
        "RAHASIA-UMPAN-BALIK-BENAR" not in page
        and "Pelindungan data pribadi" not in page
    )
    start(client)
    client.post(
        KUIS + "/attempts/2/answers", data={**form_for(quiz, RIGHT), "submit": "1"}
    )
    assert "RAHASIA-UMPAN-BALIK-BENAR" in review(client, 2)
    assert "Pelindungan data pribadi" in review(
        client, 1
    )  # passed: right answers in every review


def test_answers_shown_after_the_last_attempt(
    client, learner, quiz, quiz_dir, import_courses
):
    use_setting(quiz_dir, import_courses, quiz, "show_answers: after_submit",
                "show_answers: after_pass_or_last_attempt")  # fmt: skip
    for number in (1, 2):
        start(client)
        client.post(f"{KUIS}/attempts/{number}/answers", data={"submit": "1"})
        assert "Pelindungan data pribadi" not in review(client, number)
    start(client)
    client.post(f"{KUIS}/attempts/3/answers", data={"submit": "1"})
    assert "Pelindungan data pribadi" in review(client, 3)  # the right answers, at last


def test_shipped_quizzes_withhold_answers_until_passed():
    quizzes = sorted(COURSES.glob("*/*/*.gift"))
    assert quizzes
    withheld = (
        "after_pass_or_last_attempt",
        "after_last_attempt",
        "after_close",
        "never",
    )
    for path in quizzes:
        settings = path.read_text().split("---")[1]
        rule = re.search(r"^show_answers: *(\S+)", settings, re.MULTILINE)
        assert rule and rule.group(1) in withheld, path
    # the module quizzes: right answers once passed or out of attempts
    assert (
        sum(
            "show_answers: after_pass_or_last_attempt" in p.read_text() for p in quizzes
        )
        >= 20
    )


def test_a_half_matched_question_is_unanswered(client, learner, quiz):
    url = start(client)
    half = {"answer-pasangan-p1": RIGHT["pasangan"]["answer-pasangan-p1"]}
    client.post(
        url + "answers", data={**form_for(quiz, {"pasangan": half}), "finish": "1"}
    )
    page = client.get(url + "confirm").get_data(as_text=True)
    assert "0 dari 6 soal terjawab" in page and "#q-pasangan" in page


def test_after_close_waits_for_the_modules_due_date(
    client, learner, quiz, quiz_dir, import_courses
):
    from datetime import timedelta

    from lms.cohorts.members import add_member
    from lms.ledger.records import local_today
    from lms.models import Cohort, CohortModuleDue

    use_setting(
        quiz_dir,
        import_courses,
        quiz,
        "show_answers: after_submit",
        "show_answers: after_close",
    )
    start(client)
    client.post(f"{KUIS}/attempts/1/answers", data={"submit": "1"})
    assert "Pelindungan data pribadi" not in review(
        client, 1
    )  # outside an angkatan: never
    cohort = Cohort(course_id=quiz.course_id, name="Angkatan I", starts_on=local_today() - timedelta(days=9),
                    ends_on=local_today() + timedelta(days=30))  # fmt: skip
    db.session.add(cohort)
    db.session.commit()
    add_member(cohort, learner)
    due = CohortModuleDue(
        cohort_id=cohort.id, module_id=quiz.module_id, due_on=local_today()
    )
    db.session.add(due)
    db.session.commit()
    assert "Pelindungan data pribadi" not in review(client, 1)  # due today: still open
    due.due_on = local_today() - timedelta(days=1)
    db.session.commit()
    assert "Pelindungan data pribadi" in review(client, 1)
