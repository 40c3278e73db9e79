"""`flask --app wsgi lms send-xapi`: deliver the statements waiting for the LRS once."""

from __future__ import annotations

import click
from flask import Flask

from lms.cli import lms_cli


@click.command("send-xapi")
@click.option("--limit", type=click.IntRange(1, 1000), default=50, show_default=True)
def send_xapi_command(limit: int) -> None:
    """Send the xAPI statements waiting in the outbox once (`lms worker` keeps sending them)."""
    from flask import current_app

    from lms.xapi.outbox import send_pending

    if not current_app.config.get("LMS_XAPI_ENDPOINT"):
        raise click.ClickException(
            "LMS_XAPI_ENDPOINT is not set; statements stay in the outbox."
        )
    sent, failed = send_pending(limit)
    click.echo(f"{sent} sent, {failed} failed")


def init_app(app: Flask) -> None:
    """Add the xAPI commands to the `lms` group."""
    lms_cli.add_command(send_xapi_command)
