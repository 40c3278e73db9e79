"""Reading and writing a learner's JP records, and totals for many learners at once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import delete, func, select

from lms.extensions import db
from lms.models import JpRecord
from lms.models.types import utcnow

#: A record's states: only approved records count; external training starts pending.
APPROVED, PENDING, REJECTED = "approved", "pending", "rejected"
#: The most JP one external training may carry (a national leadership course is about 900).
MAX_EXTERNAL_JP = Decimal(1000)


def local_today(now: datetime | None = None) -> date:
    """Return today's date in the platform's timezone (the JP year follows it)."""
    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    return (now or utcnow()).astimezone(zone).date()


@dataclass
class Ledger:
    """One learner's JP records of one year, their total and the yearly target."""

    year: int
    records: list[JpRecord]
    target: int
    minutes_per_jp: int

    @property
    def total(self) -> Decimal:
        """Return the JP earned in the year: approved records only."""
        return sum((r.hours for r in self.records if r.status == APPROVED), Decimal(0))

    @property
    def pending(self) -> Decimal:
        """Return the JP of external training still waiting for approval."""
        return sum((r.hours for r in self.records if r.status == PENDING), Decimal(0))

    @property
    def remaining(self) -> Decimal:
        """Return the JP still missing to reach the target (never negative)."""
        return max(Decimal(self.target) - self.total, Decimal(0))

    @property
    def percent(self) -> int:
        """Return how far the total is towards the target, capped at 100."""
        if not self.target:
            return 100
        return min(100, int(self.total * 100 / self.target))


def ledger_for(user_id: int, year: int) -> Ledger:
    """Return the learner's ledger for `year`, in the order the training ended."""
    records = db.session.scalars(
        select(JpRecord)
        .where(JpRecord.user_id == user_id, JpRecord.year == year)
        .order_by(JpRecord.earned_on, JpRecord.id)
    )
    return Ledger(
        year=year,
        records=list(records),
        target=current_app.config["LMS_YEARLY_JP_TARGET"],
        minutes_per_jp=current_app.config["LMS_MINUTES_PER_JP"],
    )


def ledger_years(user_id: int, current: int) -> list[int]:
    """Return the years the learner has records in, and the current one, newest first."""
    years = set(
        db.session.scalars(
            select(JpRecord.year).where(JpRecord.user_id == user_id).distinct()
        )
    )
    return sorted(years | {current}, reverse=True)


def jp_totals(user_ids: list[int], year: int) -> dict[int, Decimal]:
    """Return each user's JP in `year` (0 for those without records), in one query."""
    if not user_ids:
        return {}
    totals = {user_id: Decimal(0) for user_id in user_ids}
    rows = db.session.execute(
        select(JpRecord.user_id, func.sum(JpRecord.hours))
        .where(
            JpRecord.user_id.in_(user_ids),
            JpRecord.year == year,
            JpRecord.status == APPROVED,
        )
        .group_by(JpRecord.user_id)
    )
    for user_id, total in rows:
        totals[user_id] = Decimal(total)
    return totals


def add_external(
    user_id: int,
    *,
    kind: str,
    title: str,
    provider: str,
    starts_on: date,
    ends_on: date,
    hours: Decimal,
    proof_path: str | None,
) -> JpRecord:
    """Record external training; it counts in the year it ended."""
    hours = Decimal(hours).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    if not Decimal(0) < hours <= MAX_EXTERNAL_JP:
        raise ValueError(f"JP must be more than 0 and at most {MAX_EXTERNAL_JP}")
    if ends_on < starts_on:
        raise ValueError("training cannot end before it starts")
    record = JpRecord(
        user_id=user_id,
        course_id=None,
        year=ends_on.year,
        hours=hours,
        earned_on=ends_on,
        source="external",
        kind=kind,
        title=title.strip(),
        provider=provider.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        proof_path=proof_path,
        created_at=utcnow(),
        status=PENDING,
    )
    db.session.add(record)
    db.session.commit()
    return record


def own_external_record(user_id: int, record_id: int) -> JpRecord | None:
    """Return the learner's own external record with this id, if there is one."""
    return db.session.scalar(
        select(JpRecord).where(
            JpRecord.id == record_id,
            JpRecord.user_id == user_id,
            JpRecord.source == "external",
        )
    )


def delete_external(record: JpRecord) -> None:
    """Delete an external record (its proof file is the caller's to remove after)."""
    db.session.execute(
        delete(JpRecord).where(JpRecord.id == record.id, JpRecord.source == "external")
    )
    db.session.commit()
