"""Who the token belongs to, their JP ledger, and public certificate verification."""

from __future__ import annotations

from flask import current_app, g
from flask.views import MethodView
from flask_smorest import Blueprint

from lms.api.auth import api_user, public
from lms.api.docs_helpers import problems_documented
from lms.api.pagination import page_of
from lms.api.problems import ApiProblem
from lms.api.schemas import CertificateVerification, LedgerArgs, LedgerOut, Me
from lms.certificates.issue import certificate_by_code
from lms.extensions import db
from lms.ledger.records import ledger_for, local_today
from lms.models import Course
from lms.permissions import can

bp = Blueprint(
    "api_records",
    __name__,
    url_prefix="/api/v1",
    description="You, your JP (learning hours) ledger, and certificate verification.",
)


@bp.route("/me")
class MeView(MethodView):
    @bp.response(200, Me)
    @problems_documented(bp, 401, 429)
    @bp.doc(operationId="getMe")
    def get(self):
        """Show whose token this is and what it may do.

        Any valid token: the account and the token's scope (`read` or `write`).
        """
        user = api_user()
        return {
            "id": user.id,
            "name": user.name,
            "email": user.email,
            "nip": user.nip,
            "roles": sorted(user.role_names),
            "token_scope": g.api_token.scope,
        }


@bp.route("/me/jp")
class LedgerView(MethodView):
    @bp.arguments(LedgerArgs, location="query")
    @bp.response(200, LedgerOut)
    @problems_documented(bp, 401, 422, 429)
    @bp.doc(operationId="getMyJp")
    def get(self, args):
        """Show your JP records of a year (this year by default), the total and the target.

        Needs a token. JP from completed courses and from the training you recorded yourself,
        with what remains of the yearly target.
        """
        user = api_user()
        ledger = ledger_for(user.id, args.get("year") or local_today().year)
        records = [r for r in ledger.records if can(user, "jp_record.view", r)]
        slugs = dict(
            db.session.execute(
                db.select(Course.id, Course.slug).where(
                    Course.id.in_({r.course_id for r in records if r.course_id})
                )
            ).all()
        )
        page = page_of(records, args)
        page["items"] = [
            {
                "id": r.id,
                "source": r.source,
                "course": slugs.get(r.course_id),
                "kind": r.kind,
                "title": r.title,
                "provider": r.provider,
                "hours": r.hours,
                "earned_on": r.earned_on,
                "status": r.status,
            }
            for r in page["items"]
        ]
        page.update(
            year=ledger.year,
            jp_total=ledger.total,
            target=ledger.target,
            remaining=ledger.remaining,
            percent=ledger.percent,
        )
        return page


@bp.route("/certificates/<code>")
class CertificateView(MethodView):
    @public
    @bp.doc(security=[{}, {"bearerToken": []}])
    @bp.response(200, CertificateVerification)
    @problems_documented(bp, 401, 404, 429)
    @bp.doc(operationId="verifyCertificate")
    def get(self, code):
        """Verify a certificate by its code: what it certifies and whether it is still valid.

        Public: no token needed. 404 for a code no certificate has.
        """
        certificate = certificate_by_code(code[:100])
        if certificate is None:
            raise ApiProblem("not-found", "No certificate has this code.")
        return {
            "code": certificate.code,
            "valid": certificate.revoked_at is None,
            "issuer": current_app.config.get("LMS_PROVIDER_NAME", "Kelas ASN"),
            "learner_name": certificate.learner_name,
            "nip": certificate.nip,
            "course_title": certificate.course_title,
            "jp": certificate.jp,
            "completed_on": certificate.completed_on,
            "revoked_at": certificate.revoked_at,
        }
