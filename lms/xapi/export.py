"""Reading stored statements page by page, in the shape of an LRS's StatementResult."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from sqlalchemy import select

from lms.extensions import db
from lms.models import XapiStatement

#: The most statements one page returns.
MAX_PAGE = 500


def parse_since(value: str | None) -> datetime | None:
    """Read an ISO 8601 timestamp (a naive one is UTC); raise ValueError when malformed."""
    if not value:
        return None
    # An unencoded "+00:00" arrives as " 00:00" in a query string.
    moment = datetime.fromisoformat(re.sub(r" (\d\d:?\d\d)$", r"+\1", value.strip()))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def statement_page(
    user_id: int | None, since: datetime | None, after: int, limit: int
) -> tuple[list[XapiStatement], int | None]:
    """Return one page of statements (everyone's when `user_id` is None) and the next page's cursor."""
    query = select(XapiStatement).where(XapiStatement.id > after)
    if user_id is not None:
        query = query.where(XapiStatement.user_id == user_id)
    if since is not None:
        query = query.where(XapiStatement.created_at >= since)
    rows = list(db.session.scalars(query.order_by(XapiStatement.id).limit(limit + 1)))
    if len(rows) > limit:
        return rows[:limit], rows[limit - 1].id
    return rows, None
