"""A learner's answers: whom the facilitator questions are about, checking a form, storing it once."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select

from lms.content.limits import MAX_LONG_ANSWER_CHARS, MAX_SHORT_ANSWER_CHARS
from lms.extensions import db
from lms.models import (
    Activity,
    CohortStaff,
    CourseStaff,
    Enrollment,
    SurveyAnswer,
    SurveyCompletion,
    SurveyResponse,
    User,
)
from lms.models.upsert import insert_if_absent
from lms.surveys.format import ENDS, questions

#: Cohort staff roles a facilitator question is asked about (besides the learner's own mentor).
FACILITATOR_ROLES = ("facilitator", "coach")


class SurveyError(ValueError):
    """The answers cannot be taken; the message says which question and why."""


@dataclass(frozen=True)
class Facilitator:
    """A person a facilitator question is asked about."""

    id: int
    name: str
    role: str


def facilitators_for(user_id: int, course_id: int) -> list[Facilitator]:
    """Return the learner's facilitators: their cohort's facilitators and coaches and their mentor,
    or the course's instructors for a learner outside any cohort."""
    enrollment = db.session.scalar(
        select(Enrollment).where(
            Enrollment.user_id == user_id, Enrollment.course_id == course_id
        )
    )
    found: dict[int, Facilitator] = {}
    if enrollment is not None and enrollment.cohort_id is not None:
        rows = db.session.execute(
            select(User.id, User.name, CohortStaff.role)
            .join(CohortStaff, CohortStaff.user_id == User.id)
            .where(CohortStaff.cohort_id == enrollment.cohort_id, CohortStaff.role.in_(FACILITATOR_ROLES))
            .order_by(User.name, User.id)
        )  # fmt: skip
        for row in rows:
            found.setdefault(row.id, Facilitator(row.id, row.name, row.role))
        if enrollment.mentor_id is not None and enrollment.mentor_id not in found:
            mentor = db.session.get(User, enrollment.mentor_id)
            found[mentor.id] = Facilitator(mentor.id, mentor.name, "mentor")
    else:
        rows = db.session.execute(
            select(User.id, User.name)
            .join(CourseStaff, CourseStaff.user_id == User.id)
            .where(CourseStaff.course_id == course_id)
            .order_by(User.name, User.id)
        )
        for row in rows:
            found.setdefault(row.id, Facilitator(row.id, row.name, "instructor"))
    return list(found.values())


def field_name(question: dict, facilitator: Facilitator | None = None) -> str:
    """Return the form field name of a question (about one facilitator, if given)."""
    name = f"q-{question['key']}"
    return f"{name}-f{facilitator.id}" if facilitator else name


def read_answers(spec: dict, form: dict, people: list[Facilitator]) -> list[dict]:
    """Check a submitted form against the survey; return its answers or raise SurveyError."""
    answers: list[dict] = []
    for question in questions(spec):
        for person in people if question["facilitator"] else [None]:
            answers.extend(_read_one(question, person, form))
    return answers


def _read_one(question: dict, person: Facilitator | None, form: dict) -> list[dict]:
    name, kind = field_name(question, person), question["type"]
    about = person.id if person else None
    label = question["text"] + (f" ({person.name})" if person else "")
    if kind == "multiple":
        chosen = [
            i for i in range(len(question["choices"])) if form.get(f"{name}-c{i}")
        ]
        if not chosen and question["required"]:
            raise SurveyError(_("Please answer: %(q)s", q=label))
        return [
            {"key": question["key"], "facilitator_id": about, "number": i}
            for i in chosen
        ]
    value = (form.get(name) or "").strip()
    if not value:
        if question["required"]:
            raise SurveyError(_("Please answer: %(q)s", q=label))
        return []
    if kind in ("text", "longtext"):
        limit = MAX_SHORT_ANSWER_CHARS if kind == "text" else MAX_LONG_ANSWER_CHARS
        if len(value) > limit:
            raise SurveyError(
                _(
                    "The answer to %(q)s is longer than %(n)d characters.",
                    q=label,
                    n=limit,
                )
            )
        return [{"key": question["key"], "facilitator_id": about, "text": value}]
    low, high = ENDS.get(kind, (0, len(question["choices"]) - 1))
    if not value.isdigit() or not low <= int(value) <= high:
        raise SurveyError(_("Please choose one of the answers to: %(q)s", q=label))
    return [{"key": question["key"], "facilitator_id": about, "number": int(value)}]


def save_response(activity: Activity, user_id: int, form: dict) -> bool:
    """Store the learner's answers once; return False if they had answered already.

    The completion row and the response are written in the caller's transaction; an anonymous
    response keeps neither the learner nor a time, only the cohort.
    """
    enrollment = db.session.scalar(
        select(Enrollment).where(Enrollment.user_id == user_id, Enrollment.course_id == activity.course_id)
    )  # fmt: skip
    people = facilitators_for(user_id, activity.course_id)
    answers = read_answers(activity.spec, form, people)
    if not insert_if_absent(SurveyCompletion, {"activity_id": activity.id, "user_id": user_id},
                            ["activity_id", "user_id"]):  # fmt: skip
        return False
    anonymous = activity.spec["settings"]["anonymous"]
    response = SurveyResponse(
        id=secrets.token_hex(16),
        activity_id=activity.id,
        user_id=None if anonymous else user_id,
        cohort_id=enrollment.cohort_id if enrollment else None,
    )
    db.session.add(response)
    db.session.flush()
    db.session.add_all(
        SurveyAnswer(response_id=response.id, seq=seq, question_key=a["key"], facilitator_id=a["facilitator_id"],
                     number=a.get("number"), text=a.get("text"))
        for seq, a in enumerate(answers)
    )  # fmt: skip
    return True
