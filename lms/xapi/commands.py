"""`flask --app wsgi lms send-xapi`: the worker that delivers statements to the LRS."""

from __future__ import annotations

import click
from flask import Flask

from lms.cli import lms_cli


@click.command("send-xapi")
@click.option(
    "--loop", is_flag=True, help="Keep running, sending new statements as they come."
)
@click.option("--interval", type=float, default=30.0, show_default=True,
              help="Seconds between rounds with --loop.")  # fmt: skip
@click.option("--limit", type=click.IntRange(1, 1000), default=50, show_default=True)
def send_xapi_command(loop: bool, interval: float, limit: int) -> None:
    """Send the xAPI statements waiting in the outbox to the LRS (LMS_XAPI_ENDPOINT)."""
    from flask import current_app

    from lms.xapi.outbox import run_forever, send_pending

    if not current_app.config.get("LMS_XAPI_ENDPOINT"):
        raise click.ClickException(
            "LMS_XAPI_ENDPOINT is not set; statements stay in the outbox."
        )
    if loop:
        run_forever(interval, limit)
    sent, failed = send_pending(limit)
    click.echo(f"{sent} sent, {failed} failed")


def init_app(app: Flask) -> None:
    """Add the xAPI commands to the `lms` group."""
    lms_cli.add_command(send_xapi_command)
