"""Issuing, finding and revoking certificates, without any request in sight."""

from __future__ import annotations

import secrets
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import select, update

from lms.audit import record
from lms.certificates.settings import current_settings
from lms.extensions import db
from lms.models import Certificate, Course, User
from lms.models.types import utcnow
from lms.models.upsert import insert_if_absent
from lms.xapi import statements as xapi

#: Letters and digits that cannot be mistaken for one another when read aloud or typed (no 0/O, 1/I/L, U).
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTVWXYZ23456789"
#: 20 characters of a 30-letter alphabet: about 98 bits, far beyond guessing.
CODE_LENGTH = 20


def new_code() -> str:
    """Return a fresh unguessable certificate code."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalize_code(code: str) -> str:
    """Return the code as stored: upper case, without the spaces or dashes people type."""
    return code.replace("-", "").replace(" ", "").upper()


def issue_certificate(user_id: int, course_id: int, completed_on: date) -> None:
    """Issue the learner's certificate for the course, once; a second call changes nothing."""
    name, nip = db.session.execute(
        select(User.name, User.nip).where(User.id == user_id)
    ).one()
    course = db.session.get(Course, course_id)
    office = current_settings()
    code, now = new_code(), utcnow()
    issued = insert_if_absent(
        Certificate,
        {
            "code": code,
            "user_id": user_id,
            "course_id": course_id,
            "learner_name": name,
            "nip": nip,
            "course_title": course.title,
            "jp": Decimal(course.jp),
            "completed_on": completed_on,
            "issued_at": now,
            "revoke_reason": "",
            "language": course.language or "id",
            "issuer": office.issuer if office else "",
            "signatory_name": office.signatory_name if office else "",
            "signatory_title": office.signatory_title if office else "",
            "signatory_nip": office.signatory_nip if office else None,
            "logo_path": office.logo_path if office else None,
        },
        conflict=["user_id", "course_id"],
    )
    if issued:
        xapi.certificate_issued(user_id, course, code, Decimal(course.jp), now)


def certificate_by_code(code: str) -> Certificate | None:
    """Return the certificate with this code, if there is one."""
    return db.session.scalar(
        select(Certificate).where(Certificate.code == normalize_code(code))
    )


def certificate_for_course(user_id: int, course_id: int) -> Certificate | None:
    """Return the learner's certificate for the course, if issued."""
    return db.session.scalar(
        select(Certificate).where(
            Certificate.user_id == user_id, Certificate.course_id == course_id
        )
    )


def certificates_of(user_id: int) -> list[Certificate]:
    """Return the learner's certificates, most recent completion first."""
    return list(
        db.session.scalars(
            select(Certificate)
            .where(Certificate.user_id == user_id)
            .order_by(Certificate.completed_on.desc(), Certificate.id.desc())
        )
    )


def revoke_certificate(
    certificate: Certificate, by_user_id: int, reason: str, now: datetime | None = None
) -> bool:
    """Revoke the certificate with a reason; return False if it was already revoked."""
    result = db.session.execute(
        update(Certificate)
        .where(Certificate.id == certificate.id, Certificate.revoked_at.is_(None))
        .values(
            revoked_at=now or utcnow(),
            revoke_reason=reason.strip(),
            revoked_by_id=by_user_id,
        )
    )
    if result.rowcount == 1:
        record("certificate.revoke", by_user_id, certificate, reason=reason.strip())
    db.session.commit()
    db.session.refresh(certificate)
    return result.rowcount == 1


def masked_nip(nip: str | None) -> str:
    """Return the NIP with all but its last three digits hidden (the rest holds a birth date and sex)."""
    if not nip:
        return ""
    return "•" * (len(nip) - 3) + nip[-3:]
