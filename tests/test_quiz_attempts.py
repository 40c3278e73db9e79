"""Taking quizzes: attempts that are fair and durable, graded once, and never leaking answers."""

import json
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from lms.assessment import attempts as engine
from lms.extensions import db
from lms.models import (
    Activity,
    ActivityProgress,
    Course,
    Enrollment,
    QuizAttempt,
    QuizResponse,
)
from lms.models.types import utcnow

KUIS = "/courses/kursus-kuis/modul/kuis"
ESAI = "/courses/kursus-kuis/modul/esai"

#: The right answer to each question of 02-kuis.gift, as the form sends it.
RIGHT = {
    "ibukota": {"answer-ibukota": "CHOICE:Tanjungpinang"},
    "prinsip": {"answer-prinsip": ["CHOICE:standar data", "CHOICE:metadata"]},
    "lapor": {"answer-lapor": "true"},
    "singkatan": {"answer-singkatan": "spbe"},
    "jp": {"answer-jp": "20"},
    "pasangan": {"answer-pasangan-p1": "Pelayanan publik", "answer-pasangan-p2": "Keterbukaan informasi publik",
                 "answer-pasangan-p3": "Pelindungan data pribadi"},
}  # fmt: skip


@pytest.fixture
def learner(client, make_user, auth, quiz):
    user = make_user(email="ani@example.org")
    auth.login("ani@example.org")
    client.post("/courses/kursus-kuis/enroll")
    return user


def choice_id(activity, key, text):
    question = next(q for q in activity.spec["questions"] if q["key"] == key)
    return next(c["id"] for c in question["choices"] if c["text"] == text)


def form_for(activity, answers: dict) -> dict:
    """Turn RIGHT-style answers into form data (choice texts become their ids)."""
    data = {}
    for key, fields in answers.items():
        data[f"present-{key}"] = "1"
        for name, value in fields.items():
            if isinstance(value, list):
                data[name] = [choice_id(activity, key, v[7:]) for v in value]
            elif value.startswith("CHOICE:"):
                data[name] = choice_id(activity, key, value[7:])
            else:
                data[name] = value
    return data


def start(client, url=KUIS):
    response = client.post(f"{url}/attempts")
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    return response.location


def test_starting_twice_resumes_the_same_attempt(client, learner, quiz):
    first = start(client)
    assert start(client) == first and first.endswith("/attempts/1/")
    assert db.session.scalar(select(func.count(QuizAttempt.id))) == 1


def test_attempt_page_carries_no_answers_or_weights(client, learner, quiz):
    page = client.get(start(client)).get_data(as_text=True)
    assert "Ibu kota Provinsi Kepulauan Riau" in page
    for secret in ("RAHASIA-UMPAN-BALIK", "fraction", "100", "-100", "%50%", "Ya.", "Tepat.", "Salah, ini benar",
                   "S.P.B.E.", "spbe", ">SPBE<", "tolerance"):  # fmt: skip
        assert secret not in page, secret
    # the right answers' order gives nothing away: matching options are listed alphabetically
    options = re.findall(r'<option value="([^"]+)"', page)[:3]
    assert options == [
        "Keterbukaan informasi publik",
        "Pelayanan publik",
        "Pelindungan data pribadi",
    ]
    # no data attribute, hidden field or script carries answers either
    assert not re.search(r"data-(answer|correct|fraction|weight)", page)


def test_answers_are_saved_as_given_and_survive_a_closed_tab(client, learner, quiz):
    url = start(client)
    data = form_for(quiz, {"ibukota": {"answer-ibukota": "CHOICE:Batam"}})
    client.post(url + "answers", data=data, headers={"Accept": "application/json"})
    client.post(
        url + "answers",
        data=form_for(quiz, {"ibukota": RIGHT["ibukota"]}),
        headers={"Accept": "application/json"},
    )
    rows = db.session.scalars(select(QuizResponse)).all()
    assert len(rows) == 1 and rows[0].response == choice_id(
        quiz, "ibukota", "Tanjungpinang"
    )
    page = client.get(url).get_data(as_text=True)  # the tab is opened again
    assert f'value="{rows[0].response}" checked' in page


def test_all_right_scores_100_passes_and_completes(client, learner, quiz):
    url = start(client)
    data = form_for(quiz, {k: v for k, v in RIGHT.items()})
    client.post(url + "answers", data={**data, "submit": "1"})
    attempt = db.session.scalar(select(QuizAttempt))
    assert (
        attempt.state == "graded"
        and attempt.score == Decimal("100.00")
        and attempt.passed
    )
    row = db.session.scalar(
        select(ActivityProgress).where(ActivityProgress.activity_id == quiz.id)
    )
    assert row.completed_at is not None and row.score == Decimal("100.00")
    assert db.session.scalar(select(Enrollment.completed_activities)) == 1


def test_partial_and_negative_credit_add_up(client, learner, quiz):
    url = start(client)
    answers = dict(RIGHT)
    answers["prinsip"] = {
        "answer-prinsip": ["CHOICE:standar data", "CHOICE:data tertutup"]
    }  # 50 - 100 -> 0
    answers["pasangan"] = {"answer-pasangan-p1": "Pelayanan publik", "answer-pasangan-p2": "Pelindungan data pribadi",
                           "answer-pasangan-p3": "Keterbukaan informasi publik"}  # 1 of 3  # fmt: skip
    answers["jp"] = {"answer-jp": "20,0"}  # Indonesian decimal comma
    client.post(url + "answers", data={**form_for(quiz, answers), "submit": "1"})
    attempt = db.session.scalar(select(QuizAttempt))
    # 4 right + 0 + 1/3 out of 6 questions
    assert attempt.score == Decimal("72.22") and attempt.passed


def test_submitting_twice_grades_once(client, learner, quiz):
    url = start(client)
    data = {**form_for(quiz, RIGHT), "submit": "1"}
    client.post(url + "answers", data=data)
    first = db.session.scalar(select(QuizAttempt))
    submitted_at = first.submitted_at
    client.post(
        url + "answers",
        data={
            **form_for(quiz, {"ibukota": {"answer-ibukota": "CHOICE:Batam"}}),
            "submit": "1",
        },
    )
    db.session.expire_all()
    again = db.session.scalar(select(QuizAttempt))
    assert again.submitted_at == submitted_at and again.score == Decimal("100.00")
    assert db.session.scalar(select(func.count(QuizAttempt.id))) == 1
    assert engine.submit_attempt(again).score == Decimal("100.00")


def test_attempt_limit(client, learner, quiz):
    for _ in range(3):
        url = start(client)
        client.post(url + "answers", data={"submit": "1"})
    response = client.post(f"{KUIS}/attempts")
    assert db.session.scalar(select(func.count(QuizAttempt.id))) == 3
    assert response.location == f"{KUIS}/"  # back to the quiz page, no fourth attempt
    with pytest.raises(engine.AttemptError):
        engine.start_attempt(learner.id, quiz)


def test_review_shows_answers_after_submit_only(client, learner, quiz):
    url = start(client)
    client.post(
        url + "answers",
        data={**form_for(quiz, {"ibukota": RIGHT["ibukota"]}), "submit": "1"},
    )
    page = client.get(url).get_data(as_text=True)
    assert "RAHASIA-UMPAN-BALIK-BENAR" in page and "Tanjungpinang" in page
    assert (
        "Pelindungan data pribadi" in page
    )  # right answer of the unanswered matching question


def test_never_show_answers_hides_them_in_review(
    client, learner, import_courses, quiz_dir
):
    url = start(client, ESAI)
    esai = db.session.scalar(select(Activity).where(Activity.key == "modul/esai"))
    data = {"present-refleksi": "1", "answer-refleksi": "Antrean daring di kelurahan.",
            "present-dasar": "1", "answer-dasar": choice_id(esai, "dasar", "UU 25/2009"), "submit": "1"}  # fmt: skip
    client.post(url + "answers", data=data)
    page = client.get(url).get_data(as_text=True)
    assert "Antrean daring di kelurahan." in page
    assert "<strong>Right answer" not in page and "<strong>Jawaban benar" not in page


def test_time_limit_is_enforced_on_the_server(
    client, learner, quiz, quiz_dir, import_courses
):
    path = quiz_dir / "kursus-kuis" / "01-modul" / "02-kuis.gift"
    path.write_text(
        path.read_text().replace("max_attempts: 3", "max_attempts: 3\ntime_limit: 10")
    )
    import_courses(quiz_dir)
    db.session.refresh(quiz)
    now = utcnow()
    attempt = engine.start_attempt(learner.id, quiz, now=now)
    assert attempt.deadline_at == now + timedelta(minutes=10)
    engine.save_answer(
        attempt,
        "ibukota",
        choice_id(quiz, "ibukota", "Tanjungpinang"),
        now=now + timedelta(minutes=9),
    )
    with pytest.raises(engine.AttemptError):
        engine.save_answer(attempt, "lapor", "true", now=now + timedelta(minutes=11))
    # the last instant of the 15 seconds' grace: saved, and it counts
    engine.save_answer(
        attempt, "lapor", "true", now=now + timedelta(minutes=10, seconds=15)
    )
    engine.submit_attempt(attempt, now=now + timedelta(minutes=12))
    assert attempt.late and attempt.score == Decimal(
        "33.33"
    )  # the answers saved in time
    assert db.session.scalar(select(func.count(QuizResponse.id))) == 2


def test_overdue_attempt_is_submitted_when_reopened(client, learner, quiz):
    attempt = engine.start_attempt(learner.id, quiz)
    attempt.deadline_at = utcnow() - timedelta(minutes=5)
    db.session.commit()
    page = client.get(f"{KUIS}/attempts/1/").get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(QuizAttempt, attempt.id).state == "graded"
    assert "time limit" in page.lower() or "batas waktu" in page.lower()


def test_shuffled_order_is_stable_per_attempt(
    client, learner, quiz, quiz_dir, import_courses
):
    path = quiz_dir / "kursus-kuis" / "01-modul" / "02-kuis.gift"
    path.write_text(
        path.read_text().replace(
            "grading: highest",
            "grading: highest\nshuffle_questions: true\nshuffle_answers: true\ndraw: 4",
        )
    )
    import_courses(quiz_dir)
    url = start(client)
    pages = [client.get(url).get_data(as_text=True) for _ in range(2)]
    order = [re.findall(r'data-question="([^"]+)"', p) for p in pages]
    assert order[0] == order[1] and len(order[0]) == 4
    assert re.findall(r'value="(c[0-9a-f]+)"', pages[0]) == re.findall(
        r'value="(c[0-9a-f]+)"', pages[1]
    )


def test_grading_methods(quiz, make_user):
    learner, other = make_user(), make_user()
    assert engine.counted_score(learner.id, quiz.id, "highest") is None
    for number, (score, state) in enumerate(
        [("40", "graded"), ("90", "graded"), ("60", "graded"), ("10", "needs_grading")],
        start=1,
    ):
        db.session.add(
            QuizAttempt(user_id=learner.id, activity_id=quiz.id, number=number, seed=1,
                        quiz_version=1, snapshot=[], state=state, started_at=utcnow(),
                        score=Decimal(score))
        )  # fmt: skip
    db.session.add(
        QuizAttempt(user_id=other.id, activity_id=quiz.id, number=1, seed=1, quiz_version=1,
                    snapshot=[], state="graded", started_at=utcnow(), score=Decimal(100))
    )  # fmt: skip
    db.session.commit()
    assert engine.counted_score(learner.id, quiz.id, "highest") == Decimal(90)
    assert engine.counted_score(learner.id, quiz.id, "first") == Decimal(40)
    assert engine.counted_score(learner.id, quiz.id, "last") == Decimal(60)
    assert engine.counted_score(learner.id, quiz.id, "average") == Decimal("63.33")


def test_last_attempt_grading_counts_on_progress(
    client, learner, quiz, quiz_dir, import_courses
):
    path = quiz_dir / "kursus-kuis" / "01-modul" / "02-kuis.gift"
    path.write_text(path.read_text().replace("grading: highest", "grading: last"))
    import_courses(quiz_dir)
    url = start(client)
    client.post(url + "answers", data={**form_for(quiz, RIGHT), "submit": "1"})
    url = start(client)
    client.post(url + "answers", data={"submit": "1"})
    row = db.session.scalar(
        select(ActivityProgress).where(ActivityProgress.activity_id == quiz.id)
    )
    assert row.score == Decimal("0.00")
    assert row.completed_at is not None  # a pass, once earned, is kept


def test_editing_the_quiz_never_changes_an_old_attempt(
    client, learner, quiz, quiz_dir, import_courses
):
    url = start(client)
    client.post(
        url + "answers",
        data={**form_for(quiz, {"ibukota": RIGHT["ibukota"]}), "submit": "1"},
    )
    path = quiz_dir / "kursus-kuis" / "01-modul" / "02-kuis.gift"
    path.write_text(
        path.read_text().replace("Ibu kota Provinsi", "Pusat pemerintahan Provinsi")
    )
    import_courses(quiz_dir)
    attempt = db.session.scalar(select(QuizAttempt))
    assert "Ibu kota Provinsi" in json.dumps(
        attempt.snapshot
    ) and attempt.score == Decimal("16.67")
    assert "Ibu kota Provinsi" in client.get(url).get_data(as_text=True)


def test_learner_cannot_open_another_learners_attempt(
    client, learner, quiz, make_user, auth
):
    start(client)
    auth.logout()
    make_user(email="budi@example.org")
    auth.login("budi@example.org")
    client.post("/courses/kursus-kuis/enroll")
    assert client.get(f"{KUIS}/attempts/1/").status_code == 404
    assert (
        client.post(f"{KUIS}/attempts/1/answers", data={"submit": "1"}).status_code
        == 404
    )


def test_not_enrolled_cannot_start(client, quiz, make_user, auth):
    make_user(email="budi@example.org")
    auth.login("budi@example.org")
    assert client.post(f"{KUIS}/attempts").status_code == 403
    assert db.session.scalar(select(func.count(QuizAttempt.id))) == 0


def test_course_counts_the_quiz(client, learner, quiz):
    course = db.session.scalar(select(Course))
    assert course.minutes == 45


def test_starting_and_submitting_cost_the_same_after_many_attempts(
    quiz, make_user, count_queries
):
    """A learner's earlier attempts are counted in SQL, and their snapshots are not read."""
    from sqlalchemy import inspect

    from lms.learn import progress

    quiz.spec = {**quiz.spec, "settings": {**quiz.spec["settings"], "max_attempts": 0}}
    db.session.commit()
    learner = make_user()
    progress.enroll(learner, quiz.course)

    def one_attempt():
        with count_queries() as statements:
            engine.submit_attempt(engine.start_attempt(learner.id, quiz))
        return len(statements)

    first = [one_attempt() for _ in range(3)]
    for _ in range(12):
        one_attempt()
    assert one_attempt() == first[-1]
    db.session.expire_all()
    earlier = engine.user_attempts(learner.id, quiz.id)
    assert [a.number for a in earlier] == list(range(1, 17))
    assert all("snapshot" in inspect(a).unloaded for a in earlier)


def test_an_autosaved_answer_costs_a_fixed_few_statements(
    client, learner, quiz, count_queries
):
    """The user; the course with the quiz; the attempt; the answer written (autosave is frequent)."""
    url = start(client)
    data = form_for(quiz, {"ibukota": RIGHT["ibukota"]})
    headers = {"Accept": "application/json"}
    client.post(url + "answers", data=data, headers=headers)
    with count_queries() as statements:
        response = client.post(url + "answers", data=data, headers=headers)
    assert response.get_json() == {"saved": True, "errors": []}
    assert len(statements) <= 4, [s[:60] for s in statements]


def test_a_fractional_passing_grade_is_written_in_the_viewers_locale(
    client, auth, make_user, import_courses, quiz_dir
):
    gift = quiz_dir / "kursus-kuis/01-modul/02-kuis.gift"
    gift.write_text(
        gift.read_text().replace("passing_grade: 70", "passing_grade: 66.5")
    )
    import_courses(quiz_dir)
    make_user(email="ani@example.org")
    auth.login("ani@example.org")
    client.post("/courses/kursus-kuis/enroll")
    assert "<dd>66,5%</dd>" in client.get(f"{KUIS}/").get_data(as_text=True)
    english = client.get(f"{KUIS}/", headers={"Accept-Language": "en"}).get_data(
        as_text=True
    )
    assert "<dd>66.5%</dd>" in english
