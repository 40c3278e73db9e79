"""`flask --app wsgi lms send-digests`: the daily discussion digest, for a scheduler to run."""

from __future__ import annotations

import click
from flask import Flask

from lms.cli import lms_cli


@click.command("send-digests")
def send_digests_command() -> None:
    """Queue one email per member who chose a daily digest, with their waiting notices."""
    from lms.discussions.notify import send_digests

    click.echo(f"{send_digests()} digest email(s) queued")


def init_app(app: Flask) -> None:
    """Add `send-digests` to the `lms` group."""
    lms_cli.add_command(send_digests_command)
