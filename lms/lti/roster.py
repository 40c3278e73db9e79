"""Names and Role Provisioning Services: a platform course's learners become a cohort's members.

A launch from a platform's course leaves where that course's members can be read
(`LtiContext`, see `lms.lti.launch.remember_context`). A cohort manager of the same course here
imports them: the members are read from the platform (NRPS 2.0, with a client-credentials token
as for grades, page after page), and the active ones without a teaching role are added to the
cohort: the account linked to their platform user, else the plain learner's account with their
email, else a new one. Only a new account is linked to the platform user: as for a launch
(`lms.lti.identities`), an email from the platform never links an existing account, whose owner
links it at their first launch. Everything is checked first: one member already in another
cohort of the course refuses the whole import, and nothing changes.

Asked to (`remove_departed`), the same import also takes out of the cohort its members who came
from this platform (linked to it; one not linked yet is kept) and are no longer active in the
platform's course: absent from
its member list, or listed as Inactive or Deleted. They keep their enrollment and progress, as
when a manager removes them; members who joined otherwise are kept. It needs the whole list, so a
list longer than `MAX_PAGES` pages refuses the import.
"""

from __future__ import annotations

import json
import re
import urllib.request
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from lms.audit import record
from lms.auth.accounts import normalize_email
from lms.cohorts.figures import forget_figures
from lms.cohorts.members import CohortError, join_cohort, leave_cohort, new_learner
from lms.extensions import db
from lms.lti.identities import display_name, existing_user, placeholder_email
from lms.lti.launch import TEACHING_ROLES, course_roles
from lms.lti.scores import PlatformCallError, access_token, call
from lms.models import Cohort, Enrollment, LtiContext, LtiIdentity, User
from lms.models.types import utcnow

NRPS_SCOPE = "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly"
MEMBERSHIP_TYPE = "application/vnd.ims.lti-nrps.v2.membershipcontainer+json"
#: A platform course of 100 pages of members is already far beyond a cohort.
MAX_PAGES = 100
_NEXT = re.compile(r'<([^>]+)>\s*;\s*rel="?next"?')


@dataclass
class RosterImport:
    """What an import did: members added, accounts made, members left out (teachers, inactive)."""

    added: int = 0
    created: int = 0
    left_out: int = 0
    removed: int = 0


def contexts_for(course_id: int) -> list[LtiContext]:
    """Return the platform courses that launched this course, most recent first."""
    return list(
        db.session.scalars(
            select(LtiContext)
            .options(joinedload(LtiContext.platform))
            .where(LtiContext.course_id == course_id)
            .order_by(LtiContext.updated_at.desc())
        )
    )


def fetch_members(context: LtiContext) -> tuple[list[dict], bool]:
    """Read the members of the platform's course, and whether that is all of them (at most
    `MAX_PAGES` pages are read); PlatformCallError if the platform does not answer."""
    token = access_token(context.platform, utcnow(), NRPS_SCOPE)
    url, members = context.memberships_url, []
    for _page in range(MAX_PAGES):
        request = urllib.request.Request(url, headers={
            "Authorization": f"Bearer {token}", "Accept": MEMBERSHIP_TYPE})  # fmt: skip
        body, headers = call(request)
        try:
            members.extend(json.loads(body).get("members") or [])
        except (AttributeError, json.JSONDecodeError) as exc:
            raise PlatformCallError(f"not a membership container: {exc}") from None
        found = _NEXT.search(headers.get("Link", ""))
        if not found:
            return members, True
        url = found.group(1)
    return members, False


def import_roster(
    cohort: Cohort,
    context: LtiContext,
    by_user_id: int | None,
    remove_departed: bool = False,
) -> RosterImport:
    """Add the platform course's active learners to the cohort (and, if asked, take out those
    who left it), all or none.

    `by_user_id` is the manager who asked (None from the command line), for the audit log.
    """
    if cohort.closed_at is not None:
        raise CohortError(_("The cohort is closed."))
    try:
        members, whole = fetch_members(context)
    except PlatformCallError as exc:
        raise CohortError(
            _("The learning platform did not answer: %(error)s", error=str(exc))
        ) from None
    if remove_departed and not whole:
        raise CohortError(_("Nothing was changed: the platform lists more members than can be read at once, so those who left cannot be told apart."))  # fmt: skip
    result = RosterImport()
    known = _linked_accounts(context, [str(m.get("user_id") or "") for m in members])
    people: list[tuple[str, dict, User | None]] = []
    for member in members:
        sub = str(member.get("user_id") or "")
        roles = course_roles(member.get("roles") or [])
        if not sub or not _active(member) or roles & TEACHING_ROLES:
            result.left_out += 1
            continue
        user = _account(known, sub, member)
        if user is not None and user.role_names - {"learner"}:
            result.left_out += 1  # staff accounts are never joined through a platform
            continue
        people.append((sub, member, user))
    _refuse_other_cohorts(cohort, [user for _s, _m, user in people if user is not None])
    try:
        for sub, member, user in people:
            # Another member of this import may have shared the email: that account, made a
            # moment ago, is theirs to join, not to be linked to.
            user = user or _account(known, sub, member)
            if user is None:
                user = new_learner(_email(member) or placeholder_email(context.platform_id, sub),
                                   display_name(member))  # fmt: skip
                record("user.create", by_user_id, user, roles=["learner"], source="lti")
                result.created += 1
                db.session.add(LtiIdentity(platform_id=context.platform_id, sub=sub, user_id=user.id))  # fmt: skip
                known[sub] = user.id
            result.added += bool(join_cohort(cohort, user))
        if remove_departed:
            active = {str(m.get("user_id") or "") for m in members if _active(m)}
            result.removed = leave_cohort(cohort, _departed(cohort, context, active))
        record("cohort.import_members", by_user_id, cohort, added=result.added,
               accounts_created=result.created, removed=result.removed,
               source=f"lti:{context.platform.issuer}", context=context.context_id)  # fmt: skip
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    forget_figures(cohort.id)
    return result


def _active(member: dict) -> bool:
    """Tell whether the platform lists the member as active in its course (NRPS `status`)."""
    return member.get("status", "Active") == "Active"


def _departed(cohort: Cohort, context: LtiContext, active: set[str]) -> list[int]:
    """Return the cohort's members linked to the platform who are not active in its course."""
    linked = db.session.execute(
        select(LtiIdentity.user_id, LtiIdentity.sub)
        .join(Enrollment, Enrollment.user_id == LtiIdentity.user_id)
        .where(Enrollment.cohort_id == cohort.id, LtiIdentity.platform_id == context.platform_id)
    ).all()  # fmt: skip
    by_user: dict[int, set[str]] = {}
    for user_id, sub in linked:
        by_user.setdefault(user_id, set()).add(sub)
    return [user_id for user_id, subs in by_user.items() if not subs & active]


def _linked_accounts(context: LtiContext, subs: list[str]) -> dict[str, int]:
    """Return {platform user: our user id} for those already linked, in one query."""
    return dict(
        db.session.execute(
            select(LtiIdentity.sub, LtiIdentity.user_id).where(
                LtiIdentity.platform_id == context.platform_id,
                LtiIdentity.sub.in_(subs),
            )
        ).all()
    )


def _email(member: dict) -> str:
    return normalize_email(str(member.get("email") or ""))


def _account(known: dict[str, int], sub: str, member: dict) -> User | None:
    """Return the member's account: the one linked to them, else a plain one with their email."""
    if sub in known:
        return db.session.get(User, known[sub])
    return existing_user(_email(member), None)


def _refuse_other_cohorts(cohort: Cohort, users: list[User]) -> None:
    """Stop, changing nothing, if any of them is in another cohort of the course."""
    if not users:
        return
    taken = db.session.scalars(
        select(User.name)
        .join(Enrollment, Enrollment.user_id == User.id)
        .where(
            Enrollment.course_id == cohort.course_id,
            Enrollment.cohort_id.is_not(None),
            Enrollment.cohort_id != cohort.id,
            User.id.in_([u.id for u in users]),
        )
        .order_by(User.name)
    ).all()
    if taken:
        raise CohortError(_("Nothing was imported: already in another cohort of this course: %(names)s.",
                            names=", ".join(taken)))  # fmt: skip
