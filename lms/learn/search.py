"""Searching the catalogue: words in titles and summaries, a category, a JP range, one's own courses.

Everything is filtered in SQL (one statement for the courses, one for the categories when a
filter is on). Each word is matched as plain text anywhere in the title or summary, case-insensitively
(ILIKE with escaping): on PostgreSQL a trigram index (pg_trgm, migration 0023_catalog_trgm) answers it,
on SQLite the same query scans. Indonesian has no stemmer in PostgreSQL; a part of a word matches
("arsip" finds "kearsipan"), which serves its affixes better than whole-word search would.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, or_, select

from lms.extensions import db
from lms.learn.outline import _CATALOG, CatalogEntry
from lms.models import Course, Enrollment

#: Words beyond these are ignored, and each is cut to MAX_WORD characters (a bounded query);
#: the page says so when it happens.
MAX_WORDS, MAX_WORD = 8, 60


@dataclass(frozen=True)
class CatalogSearch:
    """What the visitor asked the catalogue for (all optional)."""

    words: tuple[str, ...] = ()
    category: str = ""
    jp_min: int | None = None
    jp_max: int | None = None
    mine: bool = False
    #: True when words were dropped or shortened to fit MAX_WORDS and MAX_WORD.
    cut: bool = False

    @classmethod
    def from_args(cls, args) -> CatalogSearch:
        """Read the search from a query string, ignoring what does not parse."""
        asked = args.get("q", "").split()
        words = tuple(w[:MAX_WORD].lower() for w in asked[:MAX_WORDS])
        return cls(
            words=words,
            cut=len(asked) > MAX_WORDS or any(len(w) > MAX_WORD for w in asked),
            category=args.get("category", "").strip()[:100],
            jp_min=_number(args.get("jp_min")),
            jp_max=_number(args.get("jp_max")),
            mine=args.get("mine") == "1",
        )

    @property
    def active(self) -> bool:
        """Tell whether anything narrows the list."""
        return bool(self.words or self.category or self.mine) or (
            self.jp_min is not None or self.jp_max is not None
        )


def _number(raw: str | None) -> int | None:
    return int(raw) if raw and raw.isdigit() and len(raw) < 6 else None


def _escaped(word: str) -> str:
    """Return `word` with LIKE's wildcards (and the escape character) taken literally."""
    return word.replace("/", "//").replace("%", "/%").replace("_", "/_")


def search_catalog(user_id: int | None, search: CatalogSearch) -> list[CatalogEntry]:
    """Return the published courses matching the search, with the learner's enrollments (1 query)."""
    return [
        CatalogEntry(course, activities, enrollment)
        for course, activities, enrollment in db.session.execute(
            catalog_query(search), {"user_id": user_id}
        )
    ]


def catalog_query(search: CatalogSearch) -> Select:
    """Return the catalogue's statement narrowed by the search (its `user_id` still to bind)."""
    query = _CATALOG
    for word in search.words:
        pattern = "%" + _escaped(word) + "%"
        query = query.where(
            or_(
                Course.title.ilike(pattern, escape="/"),
                Course.summary.ilike(pattern, escape="/"),
            )
        )
    if search.category:
        query = query.where(Course.category == search.category)
    if search.jp_min is not None:
        query = query.where(Course.jp >= search.jp_min)
    if search.jp_max is not None:
        query = query.where(Course.jp <= search.jp_max)
    if search.mine:
        query = query.where(Enrollment.id.is_not(None))
    return query


def categories(entries: list[CatalogEntry], search: CatalogSearch) -> list[str]:
    """Return the categories to choose from: read from the list itself when it is unfiltered."""
    if not search.active:
        return sorted({e.course.category for e in entries if e.course.category})
    return list(
        db.session.scalars(
            select(Course.category)
            .where(
                Course.published.is_(True),
                Course.archived_at.is_(None),
                Course.category != "",
            )
            .distinct()
            .order_by(Course.category)
        )
    )
