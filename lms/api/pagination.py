"""One page of a list, the same way for every list the API returns."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, func, select

from lms.extensions import db


def page_of(items: list, args: dict) -> dict[str, Any]:
    """Return one page of an already loaded list, with the page facts."""
    page, per_page = args["page"], args["per_page"]
    start = (page - 1) * per_page
    return _page(items[start : start + per_page], page, per_page, len(items))


def page_of_query(query: Select, args: dict, *, scalars: bool = True) -> dict[str, Any]:
    """Return one page of a query's rows (two queries: a count and the page).

    The items are the first column's objects, or with `scalars=False` whole rows.
    """
    page, per_page = args["page"], args["per_page"]
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    result = db.session.execute(query.limit(per_page).offset((page - 1) * per_page))
    rows = list(result.scalars() if scalars else result.all())
    return _page(rows, page, per_page, total)


def _page(items: list, page: int, per_page: int, total: int) -> dict[str, Any]:
    return {
        "items": items,
        "page": page,
        "per_page": per_page,
        "total": total,
        "pages": (total + per_page - 1) // per_page,
    }
