"""Item analysis in Moodle's sense: facility, discrimination and how often each option was picked."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field

from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from lms.extensions import db
from lms.models import Activity, QuizAttempt
from lms.models.quiz import GRADED


@dataclass
class QuestionStats:
    """How one question performed across graded attempts."""

    key: str
    type: str
    text_html: str
    attempts: int = 0
    #: Mean score on the question, in percent (Moodle's facility index).
    facility: float | None = None
    #: Correlation (x100) between the question's score and the rest of the quiz (Moodle's
    #: discrimination index); high means strong learners get it right and weak ones do not.
    discrimination: float | None = None
    #: [(option label, times picked)], most picked first.
    options: list[tuple[str, int]] = field(default_factory=list)


def pearson(xs: list[float], ys: list[float]) -> float | None:
    """Return the correlation of two equally long samples, or None when it is undefined."""
    n = len(xs)
    if n < 2:
        return None
    mean_x, mean_y = sum(xs) / n, sum(ys) / n
    sxy = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True))
    sxx = sum((x - mean_x) ** 2 for x in xs)
    syy = sum((y - mean_y) ** 2 for y in ys)
    if sxx == 0 or syy == 0:
        return None
    return sxy / math.sqrt(sxx * syy)


def quiz_statistics(activity: Activity) -> list[QuestionStats]:
    """Compute statistics for every question over all graded attempts (two queries)."""
    attempts = db.session.scalars(
        select(QuizAttempt)
        .options(selectinload(QuizAttempt.responses))
        .where(QuizAttempt.activity_id == activity.id, QuizAttempt.state == GRADED)
    ).all()
    return statistics_for(activity.spec["questions"], attempts)


def statistics_for(questions: list[dict], attempts) -> list[QuestionStats]:
    """Compute the statistics from attempts already loaded (pure, for tests and reports)."""
    stats = {
        q["key"]: QuestionStats(q["key"], q["type"], q["text_html"])
        for q in questions
        if q["type"] != "description"
    }
    scores: dict[str, list[tuple[float, float]]] = {key: [] for key in stats}
    picks: dict[str, Counter] = {key: Counter() for key in stats}
    labels: dict[str, dict[str, str]] = {key: {} for key in stats}
    for attempt in attempts:
        shown = {i["question"]["key"]: i["question"] for i in attempt.snapshot}
        fractions = {r.question_key: r for r in attempt.responses}
        graded_keys = [k for k, q in shown.items() if q["type"] != "description"]
        total = sum(
            float(fractions[k].fraction or 0) for k in graded_keys if k in fractions
        )
        for key in graded_keys:
            if key not in stats:
                continue
            row = fractions.get(key)
            mine = float(row.fraction or 0) if row else 0.0
            scores[key].append((mine, total - mine))
            _count_pick(
                shown[key], row.response if row else None, picks[key], labels[key]
            )
    for key, stat in stats.items():
        pairs = scores[key]
        stat.attempts = len(pairs)
        if pairs:
            stat.facility = round(100 * sum(p[0] for p in pairs) / len(pairs), 1)
            r = pearson([p[0] for p in pairs], [p[1] for p in pairs])
            stat.discrimination = None if r is None else round(100 * r, 1)
        stat.options = [
            (labels[key].get(k, k), n) for k, n in picks[key].most_common(12)
        ]
    return list(stats.values())


def _count_pick(
    question: dict, response, counter: Counter, labels: dict[str, str]
) -> None:
    kind = question["type"]
    if response in (None, "", [], {}):
        counter["—"] += 1
        return
    if kind in ("multichoice", "multiresponse"):
        for choice in question["choices"]:
            labels.setdefault(choice["id"], choice["text"])
        for choice_id in response if isinstance(response, list) else [response]:
            counter[choice_id] += 1
    elif kind == "truefalse":
        labels.setdefault("true", gettext("True"))
        labels.setdefault("false", gettext("False"))
        counter["true" if response else "false"] += 1
    elif kind in ("shortanswer", "numerical"):
        counter[str(response).strip().lower()[:60]] += 1
    elif kind == "matching":
        for pair in question["pairs"]:
            counter[f"{pair['text']} → {response.get(pair['id'], '—')}"] += 1
