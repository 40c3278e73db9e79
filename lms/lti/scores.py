"""Assignment and Grade Services: quiz scores queued with the grading, posted to the platform's line item.

Scores wait in the `lti_scores` outbox (written in the grading's transaction) until the worker
(`flask --app wsgi lms worker`) posts them through the shared outbox loop (`lms.jobs.outbox`).
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
import uuid
from datetime import datetime, timedelta
from email.message import Message

import jwt
from sqlalchemy import select

from lms.extensions import db
from lms.jobs.outbox import Outbox, drain
from lms.lti.keys import private_key, signing_key
from lms.models import LtiGradeLink, LtiPlatform, LtiScore, QuizAttempt
from lms.models.types import utcnow

AGS_SCORE_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"
SCORE_TYPE = "application/vnd.ims.lis.v1.score+json"
TIMEOUT_SECONDS = 10


class PlatformCallError(Exception):
    """The platform refused or did not answer; the message says what happened."""


def queue_quiz_score(attempt: QuizAttempt, now: datetime) -> None:
    """Queue the learner's counted quiz score for each platform line item it belongs to."""
    from lms.assessment.attempts import counted_score, settings

    links = list(
        db.session.scalars(
            select(LtiGradeLink).where(
                LtiGradeLink.user_id == attempt.user_id,
                LtiGradeLink.activity_id == attempt.activity_id,
            )
        )
    )
    if not links:
        return
    activity = attempt.activity
    score = counted_score(attempt.user_id, activity.id, settings(activity)["grading"])
    if score is None:
        return
    for link in links:
        payload = {
            "userId": link.sub,
            "scoreGiven": float(score),
            "scoreMaximum": 100.0,
            "activityProgress": "Completed",
            "gradingProgress": "FullyGraded",
            "timestamp": now.isoformat(),
        }
        db.session.add(LtiScore(link_id=link.id, payload=payload, created_at=now,
                                next_attempt_at=now, attempts=0, last_error=""))  # fmt: skip


def client_assertion(platform: LtiPlatform, now: datetime) -> str:
    """Return the JWT by which we authenticate to the platform's token endpoint."""
    key = signing_key()
    claims = {
        "iss": platform.client_id,
        "sub": platform.client_id,
        "aud": platform.auth_token_url,
        "iat": int(now.timestamp()),
        "exp": int((now + timedelta(minutes=5)).timestamp()),
        "jti": str(uuid.uuid4()),
    }
    return jwt.encode(
        claims, private_key(key), algorithm="RS256", headers={"kid": key.kid}
    )


def _call(req: urllib.request.Request) -> bytes:
    return call(req)[0]


def call(req: urllib.request.Request) -> tuple[bytes, Message]:
    """Send a request to a platform; return the answer's body and headers (or PlatformCallError)."""
    try:
        with urllib.request.urlopen(req, timeout=TIMEOUT_SECONDS) as response:
            return response.read(), response.headers
    except urllib.error.HTTPError as exc:
        detail = exc.read(300).decode("utf-8", "replace")
        raise PlatformCallError(f"HTTP {exc.code}: {detail}") from None
    except (OSError, ValueError) as exc:
        raise PlatformCallError(f"{type(exc).__name__}: {exc}") from None


def access_token(
    platform: LtiPlatform, now: datetime, scope: str = AGS_SCORE_SCOPE
) -> str:
    """Get an access token for `scope` (OAuth 2 client credentials with a JWT assertion)."""
    form = urllib.parse.urlencode(
        {
            "grant_type": "client_credentials",
            "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            "client_assertion": client_assertion(platform, now),
            "scope": scope,
        }
    ).encode()
    req = urllib.request.Request(
        platform.auth_token_url,
        data=form,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        method="POST",
    )
    try:
        return json.loads(_call(req))["access_token"]
    except (KeyError, TypeError, json.JSONDecodeError) as exc:
        raise PlatformCallError(f"no access token in the answer: {exc}") from None


def scores_url(lineitem: str) -> str:
    """Return the line item's scores endpoint (`<lineitem>/scores`, keeping its query)."""
    parts = urllib.parse.urlsplit(lineitem)
    return urllib.parse.urlunsplit(
        parts._replace(path=parts.path.rstrip("/") + "/scores")
    )


def post_score(token: str, lineitem: str, payload: dict) -> None:
    """POST one score to the line item."""
    req = urllib.request.Request(
        scores_url(lineitem),
        data=json.dumps(payload).encode(),
        headers={"Content-Type": SCORE_TYPE, "Authorization": f"Bearer {token}"},
        method="POST",
    )
    _call(req)


def _deliver(score: LtiScore, context: dict) -> str:
    """Post one score; a platform's access token is asked for once per round."""
    platform = score.link.platform
    if platform.id not in context:
        try:
            context[platform.id] = access_token(platform, utcnow())
        except PlatformCallError as exc:
            context[platform.id] = exc
    token = context[platform.id]
    if isinstance(token, PlatformCallError):
        raise token
    post_score(token, score.link.lineitem, score.payload)
    return ""


#: The LTI score outbox: retried for ever; a failing platform waits, the others go on.
OUTBOX = Outbox(
    name="lti-scores",
    model=LtiScore,
    deliver=_deliver,
    errors=(PlatformCallError,),
    stop_on_failure=False,
)


def send_pending_scores(
    limit: int = 50, now: datetime | None = None
) -> tuple[int, int]:
    """Post due scores; return (sent, failed). A failing platform waits; the others go on."""
    return drain(OUTBOX, limit, now)
