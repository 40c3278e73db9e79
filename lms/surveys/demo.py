"""Demo answers: the members of every demo cohort take the pre-test, post-test and survey at once."""

from __future__ import annotations

import random
from decimal import Decimal

from sqlalchemy import select

from lms.extensions import db
from lms.gain.course_tests import course_tests
from lms.learn import progress
from lms.models import Activity, ActivityProgress, Cohort, Enrollment, SurveyCompletion
from lms.surveys.answers import facilitators_for, field_name, save_response
from lms.surveys.format import ENDS, questions

REMARKS = (
    "Contoh kasusnya dekat dengan pekerjaan di kantor.",
    "Waktu diskusi perlu ditambah.",
    "Materi modul terakhir terlalu padat.",
    "Fasilitator cepat menjawab pertanyaan di forum.",
    "Perlu lebih banyak latihan praktik.",
    "Video pendek akan membantu.",
)


def seed_evaluation_demo() -> int:
    """Answer, for each member of a cohort whose course is evaluated, its tests and surveys; return how many.

    Seeded by ids, so a demo looks the same every time; members who answered already are skipped.
    """
    answered = 0
    for cohort in db.session.scalars(select(Cohort).order_by(Cohort.id)):
        surveys = db.session.scalars(select(Activity).where(
            Activity.course_id == cohort.course_id, Activity.type == "survey", Activity.is_current())).all()  # fmt: skip
        tests = course_tests(cohort.course)
        members = db.session.scalars(
            select(Enrollment.user_id).where(Enrollment.cohort_id == cohort.id)
        ).all()
        for user_id in members:
            rng = random.Random(f"{cohort.id}:{user_id}")
            _take_tests(user_id, tests, rng)
            for survey in surveys:
                answered += _answer(survey, user_id, rng)
    db.session.commit()
    return answered


def _take_tests(user_id: int, tests, rng: random.Random) -> None:
    """Give the member a pretest score and a better posttest score (unless they have them)."""
    before = rng.randint(30, 75)
    after = min(100, before + rng.randint(5, 40))
    for pair, score in ((tests.pretest, before), (tests.posttest, after)):
        if pair is None:
            continue
        done = db.session.scalar(select(ActivityProgress.score).where(
            ActivityProgress.user_id == user_id, ActivityProgress.activity_id == pair[0]))  # fmt: skip
        if done is None:
            progress.complete_activity(
                user_id,
                db.session.get(Activity, pair[0]),
                score=Decimal(score),
                commit=False,
            )


def _answer(survey: Activity, user_id: int, rng: random.Random) -> int:
    """Answer the survey as the member would, leaning positive; return 1 if answered now."""
    if db.session.get(SurveyCompletion, (survey.id, user_id)) is not None:
        return 0
    people = facilitators_for(user_id, survey.course_id)
    form: dict[str, str] = {}
    for question in questions(survey.spec):
        for person in people if question["facilitator"] else [None]:
            name, kind = field_name(question, person), question["type"]
            if kind in ENDS:
                low, high = ENDS[kind]
                form[name] = str(max(low, high - rng.choice((0, 0, 1, 1, 2, 3))))
            elif kind == "choice":
                form[name] = str(rng.randrange(len(question["choices"])))
            elif kind == "multiple":
                for i in rng.sample(
                    range(len(question["choices"])), k=rng.randint(1, 2)
                ):
                    form[f"{name}-c{i}"] = "1"
            elif rng.random() < 0.5 or question["required"]:
                form[name] = rng.choice(REMARKS)
    save_response(survey, user_id, form)
    progress.complete_activity(user_id, survey, commit=False)
    return 1
