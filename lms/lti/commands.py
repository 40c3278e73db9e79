"""`flask --app wsgi lms lti-register`, `lti-link`, `send-lti-scores` and `lti-import-members`:
setting up platforms, linking a platform's user to an account, posting grades, and bringing a
platform course's learners into a cohort."""

from __future__ import annotations

import json

import click
from flask import Flask, current_app

from lms.cli import lms_cli


@click.command("lti-register")
@click.option(
    "--issuer", required=True, help="The platform's issuer (for Moodle: its URL)."
)
@click.option(
    "--client-id", required=True, help="The client id the platform gave this tool."
)
@click.option("--deployment-id", required=True)
@click.option(
    "--auth-login-url", required=True, help="The platform's OIDC authentication URL."
)
@click.option("--token-url", required=True, help="The platform's access token URL.")
@click.option("--jwks-url", default="", help="The platform's public keyset URL.")
@click.option("--jwks-file", type=click.File(), default=None,
              help="A file with the platform's public JWKS (instead of --jwks-url).")  # fmt: skip
@click.option("--name", default="", help="A name for people (default: the issuer).")
def lti_register_command(
    issuer,
    client_id,
    deployment_id,
    auth_login_url,
    token_url,
    jwks_url,
    jwks_file,
    name,
) -> None:
    """Register (or update) an LTI 1.3 platform and print what to enter on its side."""
    from lms.lti.keys import signing_key
    from lms.lti.platforms import PlatformError, register_platform

    jwks = json.load(jwks_file) if jwks_file else None
    try:
        platform = register_platform(issuer, client_id, deployment_id, auth_login_url,
                                     token_url, jwks_url, jwks, name)  # fmt: skip
    except PlatformError as exc:
        raise click.ClickException(str(exc)) from None
    signing_key()
    base = (
        current_app.config.get("LMS_BASE_URL", "").rstrip("/")
        or "https://<LMS_BASE_URL>"
    )
    click.echo(f"Registered platform {platform.id}: {platform.name}")
    click.echo(f"  Tool URL / redirection URI: {base}/lti/launch")
    click.echo(f"  Initiate login URL:         {base}/lti/login")
    click.echo(f"  Public keyset URL:          {base}/lti/jwks.json")
    click.echo(
        "  Custom parameters:          course=<slug> (and activity=<module>/<activity>)"
    )


@click.command("lti-link")
@click.option("--issuer", required=True, help="The platform's issuer.")
@click.option(
    "--client-id", default=None, help="When the issuer has several registrations."
)
@click.option(
    "--sub", required=True, help="The platform's id of its user (the launch's sub)."
)
@click.option(
    "--user", "login", required=True, help="The account here: its email or NIP."
)
@click.option("--move", is_flag=True,
              help="Move the platform user's link from the account it has now.")  # fmt: skip
def lti_link_command(issuer, client_id, sub, login, move) -> None:
    """Link a platform's user to an account here, so their launches sign in to it (audited).

    For staff accounts, which never link themselves at a launch, and to move a link a learner
    made by mistake. An administrator's account is never linked.
    """
    from sqlalchemy import select

    from lms.extensions import db
    from lms.lti.identities import link_by_administrator
    from lms.lti.launch import LaunchError
    from lms.lti.platforms import find_platform
    from lms.models import User

    platform = find_platform(issuer, client_id)
    if platform is None:
        raise click.ClickException(f"no platform is registered with issuer {issuer}")
    column = User.nip if login.strip().isdigit() else User.email
    user = db.session.scalar(select(User).where(column == login.strip().lower()))
    if user is None:
        raise click.ClickException(f"there is no account {login}")
    try:
        previous = link_by_administrator(platform, sub, user, move=move)
    except LaunchError as exc:
        raise click.ClickException(str(exc)) from None
    moved = f" (moved from account {previous})" if previous else ""
    click.echo(
        f"{sub} at {platform.name or platform.issuer} signs in to {user.email}{moved}"
    )


@click.command("send-lti-scores")
def send_lti_scores_command() -> None:
    """Post queued quiz scores to the platforms' line items once (`lms worker` keeps posting)."""
    from lms.lti.scores import send_pending_scores

    sent, failed = send_pending_scores()
    click.echo(f"{sent} sent, {failed} failed")


@click.command("lti-import-members")
@click.argument("cohort_id", type=int)
@click.option("--context", "context_id", type=int, default=None,
              help="The platform course to import from (without it: list them).")  # fmt: skip
@click.option("--remove-departed", is_flag=True,
              help="Also take out members from the platform who are no longer active in its course.")  # fmt: skip
def lti_import_members_command(
    cohort_id: int, context_id: int | None, remove_departed: bool
) -> None:
    """Add a platform course's active learners to a cohort (NRPS), all or none; run it nightly
    to keep the cohort in step with the platform."""
    from lms.cohorts.members import CohortError
    from lms.extensions import db
    from lms.lti.roster import contexts_for, import_roster
    from lms.models import Cohort, LtiContext

    cohort = db.session.get(Cohort, cohort_id)
    if cohort is None:
        raise click.ClickException(f"there is no cohort {cohort_id}")
    if context_id is None:
        contexts = contexts_for(cohort.course_id)
        if not contexts:
            raise click.ClickException(
                "no platform course has launched this cohort's course yet"
            )
        for context in contexts:
            platform = context.platform.name or context.platform.issuer
            click.echo(
                f"{context.id}\t{context.title or context.context_id}\t{platform}"
            )
        return
    context = db.session.get(LtiContext, context_id)
    if context is None or context.course_id != cohort.course_id:
        raise click.ClickException(
            f"platform course {context_id} does not launch this cohort's course"
        )
    try:
        done = import_roster(cohort, context, None, remove_departed=remove_departed)
    except CohortError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(
        f"{done.added} added, {done.created} accounts made, {done.left_out} left out, "
        f"{done.removed} removed"
    )


def init_app(app: Flask) -> None:
    """Add the LTI commands to the `lms` group."""
    lms_cli.add_command(lti_register_command)
    lms_cli.add_command(lti_link_command)
    lms_cli.add_command(send_lti_scores_command)
    lms_cli.add_command(lti_import_members_command)
