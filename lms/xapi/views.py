"""The JSON export of learning records: everyone's for admins, one's own for each learner."""

from __future__ import annotations

from flask import Blueprint, abort, jsonify, request, url_for
from flask_login import current_user, login_required

from lms.permissions import require
from lms.xapi.export import MAX_PAGE, parse_since, statement_page

bp = Blueprint("xapi", __name__)


def _page(endpoint: str, user_id: int | None):
    try:
        since = parse_since(request.args.get("since"))
        after = int(request.args.get("after", 0))
        limit = min(MAX_PAGE, max(1, int(request.args.get("limit", 100))))
    except ValueError:
        abort(400)
    rows, cursor = statement_page(user_id, since, after, limit)
    more = ""
    if cursor is not None:
        args = {"after": cursor, "limit": limit}
        if request.args.get("since"):
            args["since"] = request.args["since"]
        more = url_for(endpoint, **args)
    response = jsonify(statements=[row.payload for row in rows], more=more)
    response.headers["X-Experience-API-Version"] = "1.0.3"
    return response


@bp.get("/admin/xapi/statements.json")
@login_required
def all_statements():
    """Export every learner's statements, oldest first, page by page (?since=&after=&limit=)."""
    require("xapi.export")
    return _page("xapi.all_statements", None)


@bp.get("/my/xapi/statements.json")
@login_required
def my_statements():
    """Export the signed-in learner's own statements, page by page."""
    return _page("xapi.my_statements", current_user.id)
