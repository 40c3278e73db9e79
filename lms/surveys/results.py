"""A survey's results, counted in SQL: each question's distribution, mean and count, and free texts."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import case, func, select

from lms.extensions import db
from lms.models import Activity, SurveyAnswer, SurveyResponse, User
from lms.surveys.format import ENDS, RATED, questions


@dataclass
class QuestionResult:
    """One question's figures (about one facilitator, for a facilitator question)."""

    question: dict
    facilitator: tuple[int, str] | None = None
    #: Respondents who answered it.
    count: int = 0
    #: (label, count) for every possible answer, in order (empty for text questions).
    distribution: list[tuple[str, int]] = field(default_factory=list)
    mean: float | None = None
    texts: list[str] = field(default_factory=list)
    #: False when an anonymous survey has too few answers about this facilitator to show.
    shown: bool = True


@dataclass
class SurveyResults:
    """A survey's results for the course, or for one cohort."""

    activity: Activity
    respondents: int
    #: False when the survey is anonymous and fewer than its `min_responses` answered.
    shown: bool
    questions: list[QuestionResult]

    @property
    def minimum(self) -> int:
        """Return how many must answer an anonymous survey before its results show."""
        return self.activity.spec["settings"]["min_responses"]


def answer_labels(question: dict) -> list[tuple[int, str]]:
    """Return each possible answer of a rated or choice question as (number, label)."""
    if question["type"] in RATED:
        low, high = ENDS[question["type"]]
        labels = question["labels"]
        return [(n, f"{n} – {labels[str(n)]}" if str(n) in labels else str(n)) for n in range(low, high + 1)]  # fmt: skip
    return list(enumerate(question["choices"]))


def survey_results(
    activity: Activity, cohort_id: int | None = None, facilitator_id: int | None = None
) -> SurveyResults:
    """Count the survey's answers (of one cohort; about one facilitator only, if given) in four queries."""
    anonymous = activity.spec["settings"]["anonymous"]
    minimum = activity.spec["settings"]["min_responses"]
    scope = [SurveyResponse.activity_id == activity.id]
    if cohort_id is not None:
        scope.append(SurveyResponse.cohort_id == cohort_id)
    if facilitator_id is not None:
        scope.append(SurveyAnswer.facilitator_id == facilitator_id)
    counted = select(func.count(func.distinct(SurveyResponse.id)))
    if facilitator_id is not None:  # only those who answered about them
        counted = counted.join(SurveyAnswer)
    respondents = db.session.scalar(counted.where(*scope))
    shown = not anonymous or respondents >= minimum
    wanted = [
        q
        for q in questions(activity.spec)
        if facilitator_id is None or q["facilitator"]
    ]
    if not shown:
        return SurveyResults(
            activity, respondents, False, [QuestionResult(q) for q in wanted]
        )
    joined = select().select_from(SurveyAnswer).join(SurveyResponse).where(*scope)
    counts = _grouped(joined.add_columns(SurveyAnswer.number, func.count()).where(SurveyAnswer.number.is_not(None))
                      .group_by(SurveyAnswer.question_key, SurveyAnswer.facilitator_id, SurveyAnswer.number), True)  # fmt: skip
    # One row per response answers a question, but for a multiple choice (a row per choice): only
    # those rows need counting apart (a DISTINCT over every answer is the slow part at scale).
    several = [q["key"] for q in wanted if q["type"] == "multiple"] or [""]
    alone = case((SurveyAnswer.question_key.not_in(several), 1))
    apart = case((SurveyAnswer.question_key.in_(several), SurveyAnswer.response_id))
    answered = _grouped(joined.add_columns(func.count(alone) + func.count(func.distinct(apart)), func.avg(SurveyAnswer.number))
                        .group_by(SurveyAnswer.question_key, SurveyAnswer.facilitator_id))  # fmt: skip
    texts = _grouped(joined.add_columns(SurveyAnswer.text).where(SurveyAnswer.text.is_not(None))
                     .order_by(SurveyAnswer.question_key, SurveyAnswer.text), True)  # fmt: skip
    names = _facilitator_names({f for (_k, f) in answered if f is not None})
    results = []
    for question in wanted:
        about = sorted((f for (k, f) in answered if k == question["key"] and f is not None),
                       key=lambda f: (names[f], f)) if question["facilitator"] else [None]  # fmt: skip
        for person in about:
            results.append(
                _result(
                    question, person, names, counts, answered, texts, anonymous, minimum
                )
            )
    return SurveyResults(activity, respondents, True, results)


def _grouped(statement, many: bool = False) -> dict:
    """Run a query whose first two columns are (question key, facilitator): a dict by that pair."""
    out: dict = {}
    for row in db.session.execute(
        statement.add_columns(SurveyAnswer.question_key, SurveyAnswer.facilitator_id)
    ):
        *values, key, facilitator = row
        if many:
            out.setdefault((key, facilitator), []).append(
                tuple(values) if len(values) > 1 else values[0]
            )
        else:
            out[(key, facilitator)] = tuple(values)
    return out


def _result(
    question, person, names, counts, answered, texts, anonymous, minimum
) -> QuestionResult:
    key = (question["key"], person)
    count, mean = answered.get(key, (0, None))
    result = QuestionResult(
        question, (person, names[person]) if person else None, count
    )
    if anonymous and person is not None and count < minimum:
        result.shown = False
        return result
    if question["type"] in RATED and mean is not None:
        result.mean = round(float(mean), 2)
    if question["type"] not in ("text", "longtext"):
        tally = dict(counts.get(key, []))
        result.distribution = [
            (label, tally.get(n, 0)) for n, label in answer_labels(question)
        ]
    result.texts = texts.get(key, [])
    return result


def _facilitator_names(ids: set[int]) -> dict:
    """Return the names of the facilitators answered about, by id (one query)."""
    if not ids:
        return {}
    return dict(
        db.session.execute(select(User.id, User.name).where(User.id.in_(ids))).all()
    )
