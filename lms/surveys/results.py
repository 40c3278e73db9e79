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
    #: (text, how many wrote it) for each distinct free text, alphabetical.
    texts: list[tuple[str, int]] = field(default_factory=list)
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
    """Count the survey's answers (of one cohort; about one facilitator only, if given) in four
    queries, each an aggregate: respondents, the answers by number, the free texts with the
    multiple-choice respondents, and the facilitators' names."""
    anonymous = activity.spec["settings"]["anonymous"]
    minimum = activity.spec["settings"]["min_responses"]
    responses = [SurveyResponse.activity_id == activity.id]
    if cohort_id is not None:
        responses.append(SurveyResponse.cohort_id == cohort_id)
    about = (
        []
        if facilitator_id is None
        else [SurveyAnswer.facilitator_id == facilitator_id]
    )
    counted = select(func.count(func.distinct(SurveyResponse.id)))
    if facilitator_id is not None:  # only those who answered about them
        counted = counted.join(SurveyAnswer)
    respondents = db.session.scalar(counted.where(*responses, *about))
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
    several = [q["key"] for q in wanted if q["type"] == "multiple"]
    found, asked = _answer_groups(responses, about, several)
    names = _facilitator_names({f for people in asked.values() for f in people})
    results = []
    for question in wanted:
        people = [None]
        if question["facilitator"]:
            people = sorted(asked.get(question["key"], ()), key=lambda f: (names[f], f))
        for person in people:
            figures = found.get((question["key"], person), _Figures())
            results.append(
                _result(question, person, names, figures, anonymous, minimum)
            )
    return SurveyResults(activity, respondents, True, results)


@dataclass
class _Figures:
    """One question's answers (about one facilitator), as the aggregates gave them."""

    count: int = 0
    mean: float | None = None
    tally: dict = field(default_factory=dict)
    texts: list = field(default_factory=list)


def _answer_groups(
    responses: list, about: list, several: list[str]
) -> tuple[dict, dict]:
    """Return _Figures by (question key, facilitator) and the facilitators answered about by
    question key, from two aggregates over the answers in scope: one grouped by number
    (distributions, counts and means), one over texts and multiple-choice answers only (each
    distinct text with how many wrote it; a multiple-choice question's respondents)."""
    key, person = SurveyAnswer.question_key, SurveyAnswer.facilitator_id
    # The responses in scope as a subquery: SQLite reads their answers by key, then groups them.
    scoped = SurveyAnswer.response_id.in_(select(SurveyResponse.id).where(*responses))
    answers = select().select_from(SurveyAnswer).where(scoped, *about)
    window = {"partition_by": (key, person)}
    rated = func.sum(func.count(SurveyAnswer.number)).over(**window)
    total = func.sum(SurveyAnswer.number * func.count()).over(**window)
    numbers = answers.add_columns(key, person, SurveyAnswer.number, func.count(),
                                  func.sum(func.count()).over(**window),
                                  total * 1.0 / func.nullif(rated, 0))  # fmt: skip
    found: dict = {}
    asked: dict = {}
    for question, who, number, count, answered, mean in db.session.execute(
        numbers.group_by(key, person, SurveyAnswer.number)
    ):
        figures = found.get((question, who))
        if figures is None:
            figures = found[(question, who)] = _Figures(int(answered), mean)
            if who is not None:
                asked.setdefault(question, []).append(who)
        if number is not None:
            figures.tally[number] = count
    # Texts by text; a multiple-choice answer by response first, so that counting the groups
    # counts its respondents (no DISTINCT: PostgreSQL then hashes instead of sorting).
    text = SurveyAnswer.text
    one_each = case((text.is_(None), SurveyAnswer.response_id))
    groups = answers.add_columns(
        key.label("k"), person.label("f"), text.label("t"), func.count().label("n")
    )
    groups = groups.where(text.is_not(None) | key.in_(several or [""]))
    g = groups.group_by(key, person, text, one_each).subquery()
    texts = select(g.c.k, g.c.f, g.c.t, func.sum(g.c.n), func.count()).group_by(
        g.c.k, g.c.f, g.c.t
    )
    for question, who, words, count, respondents in db.session.execute(
        texts.order_by(g.c.k, g.c.f, g.c.t)
    ):
        if words is None:  # a multiple-choice question: a row per chosen choice
            found[(question, who)].count = respondents
        else:
            found[(question, who)].texts.append((words, int(count)))
    return found, asked


def _result(
    question, person, names, figures: _Figures, anonymous, minimum
) -> QuestionResult:
    result = QuestionResult(
        question, (person, names[person]) if person else None, figures.count
    )
    if anonymous and person is not None and figures.count < minimum:
        result.shown = False
        return result
    if question["type"] in RATED and figures.mean is not None:
        result.mean = round(float(figures.mean), 2)
    if question["type"] not in ("text", "longtext"):
        result.distribution = [
            (label, figures.tally.get(n, 0)) for n, label in answer_labels(question)
        ]
    result.texts = figures.texts
    return result


def _facilitator_names(ids: set[int]) -> dict:
    """Return the names of the facilitators answered about, by id (one query)."""
    if not ids:
        return {}
    return dict(
        db.session.execute(select(User.id, User.name).where(User.id.in_(ids))).all()
    )
