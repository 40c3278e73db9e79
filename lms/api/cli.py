"""`flask --app wsgi lms create-token EMAIL`: a personal API token from the command line."""

from __future__ import annotations

import sys
from datetime import timedelta

import click
from flask import Flask
from sqlalchemy import func, select

from lms.api.tokens import create_token
from lms.cli import lms_cli
from lms.extensions import db
from lms.models import TOKEN_SCOPES, User
from lms.models.types import utcnow


@lms_cli.command("create-token")
@click.argument("email")
@click.option(
    "--scope", type=click.Choice(TOKEN_SCOPES), default="read", show_default=True
)
@click.option("--name", default="CLI", show_default=True, help="What the token is for.")
@click.option("--days", type=click.IntRange(min=1), help="Expire after this many days.")
def create_token_command(email: str, scope: str, name: str, days: int | None) -> None:
    """Create a personal API token for the user and print its secret (shown only once)."""
    user = db.session.scalar(
        select(User).where(func.lower(User.email) == email.strip().lower())
    )
    if user is None:
        click.echo(f"error: no user with the email {email}", err=True)
        sys.exit(1)
    expires = utcnow() + timedelta(days=days) if days else None
    token, secret = create_token(user, name, scope, expires)
    click.echo(
        f"Created {scope} token {token.prefix}… for {user.email}; it is shown only once:",
        err=True,
    )
    click.echo(secret)


def init_app(app: Flask) -> None:
    """The command is on the `lms` group, which lms.cli adds to the app."""
