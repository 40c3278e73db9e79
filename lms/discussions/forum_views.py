"""A cohort's forum: the topics its organisers open, for everyone or about one learner's work."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import and_, select
from sqlalchemy.orm import joinedload
from wtforms.fields.choices import SelectChoice

from lms.content.limits import LimitError
from lms.discussions import reading, writing
from lms.discussions.forms import TopicForm
from lms.discussions.lookup import rate_limited
from lms.extensions import db
from lms.learn import progress
from lms.models import Cohort, DiscussionThread, Enrollment, User
from lms.permissions import can, questions_visible_to, require, topics_visible_to
from lms.xapi import statements

bp = Blueprint("forum", __name__)

#: The choice that opens one private topic per member (each titled with the member's name).
EACH_MEMBER = -1


def _cohort(cohort_id: int) -> Cohort:
    cohort = db.session.scalar(select(Cohort).options(joinedload(Cohort.course))
                               .where(Cohort.id == cohort_id))  # fmt: skip
    if cohort is None:
        abort(404)
    require("forum.view", cohort)
    return cohort


def _topic_form(cohort: Cohort) -> TopicForm:
    form = TopicForm()
    members = db.session.execute(
        select(User.id, User.name).join(Enrollment, Enrollment.user_id == User.id)
        .where(Enrollment.cohort_id == cohort.id).order_by(User.name)
    ).all()  # fmt: skip
    form.learner.choices = [
        SelectChoice(0, _("The whole cohort")),
        SelectChoice(
            EACH_MEMBER,
            _(
                "One topic for each member, each seen only by them, "
                "their coaches, mentor and the organisers"
            ),
        ),
    ] + [
        SelectChoice(
            uid, _("Only %(name)s, their coaches, mentor and the organisers", name=name)
        )
        for uid, name in members
    ]
    form.members = members
    return form


def _render(cohort: Cohort, form: TopicForm | None, status: int = 200):
    condition = and_(DiscussionThread.cohort_id == cohort.id, DiscussionThread.kind == "topic",
                     topics_visible_to(current_user, cohort))  # fmt: skip
    page = reading.thread_list(
        condition, current_user.id, request.args.get("page", 1, type=int)
    )
    return render_template("discussions/forum.html", cohort=cohort, page=page,
                           form=form), status  # fmt: skip


@bp.get("/cohorts/<int:cohort_id>/forum/")
@login_required
def index(cohort_id: int):
    """List the forum's topics the member may read, pinned first then latest."""
    cohort = _cohort(cohort_id)
    form = _topic_form(cohort) if can(current_user, "forum.organise", cohort) else None
    return _render(cohort, form)


@bp.post("/cohorts/<int:cohort_id>/forum/topics")
@login_required
@rate_limited
def new_topic(cohort_id: int):
    """Open a topic (organisers only)."""
    cohort = _cohort(cohort_id)
    require("forum.organise", cohort)
    form = _topic_form(cohort)
    if form.validate_on_submit():
        if form.learner.data == EACH_MEMBER:
            topics = [
                (f"{form.title.data} — {name}", uid) for uid, name in form.members
            ]
        else:
            topics = [(form.title.data, form.learner.data or None)]
        try:
            threads = [writing.open_topic(current_user, cohort, title, form.body.data, learner)
                       for title, learner in topics]  # fmt: skip
        except LimitError as error:
            form.body.errors.append(str(error))
        else:
            for thread in threads:
                statements.post_commented(
                    current_user.id, thread, writing.first_post(thread)
                )
            db.session.commit()
            if len(threads) == 1:
                return redirect(url_for("discussions.thread", thread_id=threads[0].id))
            return redirect(url_for(".index", cohort_id=cohort.id))
    return _render(cohort, form, 400)


@bp.get("/cohorts/<int:cohort_id>/questions/")
@login_required
def questions(cohort_id: int):
    """List the questions the cohort's members asked on the course's lessons and quizzes."""
    cohort = _cohort(cohort_id)
    enrollment = progress.get_enrollment(current_user.id, cohort.course_id)
    condition = and_(DiscussionThread.kind == "question", DiscussionThread.cohort_id == cohort.id,
                     questions_visible_to(current_user, cohort.course, enrollment))  # fmt: skip
    page = reading.thread_list(
        condition, current_user.id, request.args.get("page", 1, type=int)
    )
    return render_template(
        "discussions/cohort_questions.html", cohort=cohort, page=page
    )
