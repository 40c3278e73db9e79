"""Recording security-relevant and grade-changing actions in the audit log.

`record` adds the event to the current transaction, so it is kept exactly when the action is.
"""

from __future__ import annotations

from typing import Any

from flask import has_request_context, request

from lms.extensions import db
from lms.models import AuditEvent
from lms.models.types import utcnow


def record(
    action: str, actor_id: int | None = None, target: Any = None, **details: Any
) -> AuditEvent:
    """Add an audit event for `action` on `target` (a model instance, or None) to the session."""
    event = AuditEvent(
        at=utcnow(),
        actor_id=actor_id,
        action=action,
        target_type=type(target).__name__ if target is not None else "",
        target_id=str(getattr(target, "id", "") or "") if target is not None else "",
        ip=(request.remote_addr or "")[:64] if has_request_context() else "",
        details={k: v for k, v in details.items() if v is not None},
    )
    db.session.add(event)
    return event
