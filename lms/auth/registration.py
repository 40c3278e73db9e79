"""Self-registration that never tells a visitor who has an account: the mailbox is told instead.

Whatever was entered, the page says "check your email". A new account waits for its owner to
open the confirmation link; an address or NIP already registered gets an email saying so.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from lms.audit import record
from lms.auth.accounts import AccountError, create_user, normalize_email
from lms.auth.tokens import issue_password_token
from lms.extensions import db
from lms.mail import absolute_url, queue_email
from lms.mail_format import recipient_language
from lms.models import User, WorkUnit


def register_learner(
    email: str,
    name: str,
    password: str,
    nip: str | None,
    work_unit: WorkUnit,
    position: str | None,
) -> None:
    """Create an unconfirmed learner and email the link, or email why no account was made."""
    email = normalize_email(email)
    existing = db.session.scalar(select(User).where(User.email == email))
    if existing is not None:
        _tell_already_registered(existing)
        return
    if nip and db.session.scalar(select(User.id).where(User.nip == nip)):
        queue_email(email, _("Your Kelas ASN registration"),
                    _("Hello %(name)s,\n\nno account was made: the NIP %(nip)s is already registered to "
                      "another account. If it is yours, sign in with that account's email, or set a new "
                      "password: %(link)s\nIf it is not yours, contact your BKPSDM administrator.\n",
                      name=name, nip=nip, link=absolute_url("auth.forgot_password")))  # fmt: skip
        record("auth.register_nip_taken", None, None, email=email)
        db.session.commit()
        return
    try:
        user = create_user(email, name, password, nip=nip, work_unit=work_unit,
                           position=position, confirmed=False)  # fmt: skip
    except (
        AccountError
    ):  # registered at the same moment by someone else: say nothing more
        return
    send_confirmation(user)


def send_confirmation(user: User) -> None:
    """Email the link that confirms the address and signs the new learner in."""
    token = issue_password_token(user, "confirm", commit=False)
    queue_email(user.email, _("Confirm your Kelas ASN account"),
                _("Hello %(name)s,\n\nopen this link to confirm your email and start learning "
                  "(it works once, for 3 days): %(link)s\n\n"
                  "If you did not register, ignore this message: no account is used without it.\n",
                  name=user.name, link=absolute_url("auth.confirm_email", token=token)))  # fmt: skip
    db.session.commit()


def _tell_already_registered(user: User) -> None:
    with recipient_language(user.locale):
        _queue_already_registered(user)
    record("auth.register_email_taken", None, user)
    db.session.commit()


def _queue_already_registered(user: User) -> None:
    queue_email(user.email, _("Your Kelas ASN registration"),
                _("Hello %(name)s,\n\nsomeone (perhaps you) tried to register with this email, but it "
                  "already has an account. Sign in: %(login)s\nForgot the password? Set a new one: "
                  "%(reset)s\nIf it was not you, you need do nothing.\n", name=user.name,
                  login=absolute_url("auth.login"), reset=absolute_url("auth.forgot_password")))  # fmt: skip
