"""Cohorts for their supervisors, facilitators and instructors: the list and each member report."""

from __future__ import annotations

from datetime import date

from flask.views import MethodView
from flask_smorest import Blueprint

from lms.api.auth import api_user
from lms.api.docs_helpers import problems_documented
from lms.api.lookup import authorize, check_id
from lms.api.pagination import page_of
from lms.api.problems import ApiProblem
from lms.api.schemas import CohortList, MemberArgs, MemberList, PageArgs
from lms.cohorts.report import (
    CohortSummary,
    cohort_reports,
    cohort_summaries,
    filter_members,
)
from lms.cohorts.views import visible_cohorts
from lms.extensions import db
from lms.models import Cohort

bp = Blueprint(
    "api_cohorts",
    __name__,
    url_prefix="/api/v1/cohorts",
    description="Cohorts you supervise, facilitate or teach, and their members' progress.",
)


def cohort_summary(summary: CohortSummary) -> dict:
    """Return a cohort with its completion at a glance."""
    cohort = summary.cohort
    return {
        "id": cohort.id,
        "name": cohort.name,
        "course": cohort.course.slug,
        "starts_on": cohort.starts_on,
        "ends_on": cohort.ends_on,
        "members": summary.member_count,
        "percent": summary.percent,
        "expected_percent": summary.expected_percent,
        **summary.counts(),
    }


@bp.route("")
class Cohorts(MethodView):
    @bp.arguments(PageArgs, location="query")
    @bp.response(200, CohortList)
    @problems_documented(bp, 401, 429)
    @bp.doc(operationId="listCohorts")
    def get(self, args):
        """List the cohorts you may see, newest first.

        Admins see every cohort; others the cohorts on whose staff they are and those of the
        courses they teach.
        """
        page = page_of(visible_cohorts(api_user()), args)
        page["items"] = [
            cohort_summary(s) for s in cohort_summaries(page["items"], date.today())
        ]
        return page


@bp.route("/<int:cohort_id>/members")
class Members(MethodView):
    @bp.arguments(MemberArgs, location="query")
    @bp.response(200, MemberList)
    @problems_documented(bp, 401, 403, 404, 422, 429)
    @bp.doc(operationId="listCohortMembers")
    def get(self, args, cohort_id):
        """Report a cohort's members (filter by work unit and status), as the cohort page does.

        For those who may see the cohort (403 otherwise). Figures are counted afresh on every
        call.
        """
        cohort = db.session.get(Cohort, check_id(cohort_id, "cohort"))
        if cohort is None:
            raise ApiProblem("not-found", f"There is no cohort {cohort_id}.")
        authorize(
            api_user(), "cohort.view", cohort, detail="You may not see this cohort."
        )
        (report,) = cohort_reports([cohort], date.today())
        keys = {a.id: a.key for a in report.activities}
        members = filter_members(report.members, args.get("unit"), args.get("status"))
        page = page_of(members, args)
        page["cohort"] = cohort_summary(report.summary())
        page["items"] = [
            {
                **{
                    k: getattr(m, k)
                    for k in (
                        "user_id", "name", "nip", "email", "unit_id", "unit_name", "done",
                        "total", "percent", "status", "behind", "last_active", "completed_at",
                    )
                },
                "quiz_scores": [
                    {"activity": keys.get(activity_id, str(activity_id)), "score": score}
                    for activity_id, score in m.quiz_scores.items()
                ],
            }
            for m in page["items"]
        ]  # fmt: skip
        return page
