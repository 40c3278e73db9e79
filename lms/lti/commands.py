"""`flask --app wsgi lms lti-register` and `send-lti-scores`: setting up platforms, posting grades."""

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


@click.command("send-lti-scores")
@click.option(
    "--loop", is_flag=True, help="Keep running, posting new scores as they come."
)
@click.option("--interval", type=float, default=30.0, show_default=True)
def send_lti_scores_command(loop: bool, interval: float) -> None:
    """Post queued quiz scores to the platforms' line items (Assignment and Grade Services)."""
    from lms.lti.scores import run_forever, send_pending_scores

    if loop:
        run_forever(interval)
    sent, failed = send_pending_scores()
    click.echo(f"{sent} sent, {failed} failed")


def init_app(app: Flask) -> None:
    """Add the LTI commands to the `lms` group."""
    lms_cli.add_command(lti_register_command)
    lms_cli.add_command(send_lti_scores_command)
