"""A large member CSV imported by the worker: checked and added all or none, as in the request."""

from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from lms.cohorts import member_import
from lms.cohorts.figures import forget_figures
from lms.cohorts.members import CohortError
from lms.extensions import db
from lms.jobs.long_jobs import JobFailed, enqueue
from lms.mail import absolute_url, queue_emails
from lms.mail_format import recipient_language
from lms.models import Cohort, Job

#: Problems kept on a failed job for the page to show.
MAX_PROBLEMS_SHOWN = 50


def queue_import(
    cohort: Cohort, text: str, by_user_id: int | None, base_url: str
) -> Job:
    """Queue the import of a member CSV for the worker (committed by the caller)."""
    return enqueue("member_import", {"cohort_id": cohort.id, "csv": text, "base_url": base_url},
                   subject=subject_of(cohort), by_user_id=by_user_id)  # fmt: skip


def subject_of(cohort: Cohort) -> str:
    """Return the jobs' subject key for a cohort."""
    return f"cohort:{cohort.id}"


def recent_imports(cohort: Cohort, limit: int = 5) -> list[Job]:
    """Return the cohort's latest queued imports, newest first."""
    return list(db.session.scalars(
        select(Job).where(Job.subject == subject_of(cohort)).order_by(Job.id.desc()).limit(limit)
    ))  # fmt: skip


def first_login_emails(cohort: Cohort, tokens: list) -> None:
    """Queue each new account's link to set its password (not committed), in the platform's language."""
    with recipient_language(None):
        subject = _("Your Kelas ASN account")
        queue_emails([(user.email, subject,
                       _("Dear %(name)s,\n\nan account was made for you for %(cohort)s. Set your password here (the link works once, for 14 days): %(link)s\n",
                         name=user.name, cohort=cohort.name, link=absolute_url("auth.set_password", token=token)))
                      for user, token in tokens])  # fmt: skip


def run(job: Job) -> dict:
    """Check and import the job's CSV, queue the new accounts' emails; nothing committed."""
    cohort = db.session.get(Cohort, job.payload["cohort_id"])
    if cohort is None:
        raise JobFailed({"problems": [[0, "cohort gone"]], "problem_count": 1})
    with current_app.test_request_context(base_url=job.payload.get("base_url") or None):
        rows, problems = member_import.parse_members_csv(cohort, job.payload["csv"])
        if problems:
            raise JobFailed({"problems": [list(p) for p in problems[:MAX_PROBLEMS_SHOWN]],
                             "problem_count": len(problems)})  # fmt: skip
        try:
            added, created, tokens = member_import.import_members(
                cohort, rows, job.created_by_id, commit=False
            )
        except CohortError as exc:
            raise JobFailed({"problems": [[0, str(exc)]], "problem_count": 1}) from None
        first_login_emails(cohort, tokens)
    job.payload = {
        k: v for k, v in job.payload.items() if k != "csv"
    }  # done with the file
    return {"added": added, "created": created}


def after(job: Job) -> None:
    """Retire the cohort's kept figures once its new members are committed."""
    forget_figures(job.payload["cohort_id"])
