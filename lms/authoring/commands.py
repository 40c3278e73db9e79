"""`flask --app wsgi lms export-quiz` and `import-moodle-xml`: quiz exchange with Moodle."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask

from lms.authoring import quiz_exchange
from lms.content.errors import ContentError


@click.command("export-quiz")
@click.argument("slug")
@click.argument("activity")
@click.option("--format", "fmt", type=click.Choice(sorted(quiz_exchange.EXPORT_FORMATS)),
              default="gift", show_default=True)  # fmt: skip
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Write here instead of printing.")  # fmt: skip
def export_quiz_command(slug: str, activity: str, fmt: str, output: str | None) -> None:
    """Print (or write) the quiz ACTIVITY (`module/quiz` key) of course SLUG as GIFT or Moodle XML."""
    from sqlalchemy import select

    from lms.extensions import db
    from lms.models import Activity, Course

    found = db.session.scalar(
        select(Activity).join(Course, Activity.course_id == Course.id)
        .where(Course.slug == slug, Activity.key == activity, Activity.type == "quiz"))  # fmt: skip
    if found is None:
        raise click.ClickException(f"course {slug!r} has no quiz {activity!r}")
    try:
        text = quiz_exchange.export_quiz(found, fmt)
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    if output is None:
        click.echo(text, nl=False)
        return
    Path(output).write_text(text, encoding="utf-8")
    click.echo(f"{slug} {activity}: written to {output}", err=True)


@click.command("import-moodle-xml")
@click.argument("source", type=click.Path(exists=True, dir_okay=False))
@click.argument("dest", type=click.Path(dir_okay=False))
@click.option("--title", required=True, help="The quiz's title.")
@click.option("--replace", is_flag=True, help="Overwrite DEST if it exists.")
def import_moodle_xml_command(
    source: str, dest: str, title: str, replace: bool
) -> None:
    """Write a Moodle XML question file as a quiz file DEST (.gift) for a course folder."""
    if not dest.endswith(".gift"):
        raise click.ClickException(
            "DEST must be a .gift file, e.g. courses/x/01-m/03-kuis.gift"
        )
    if Path(dest).exists() and not replace:
        raise click.ClickException(
            f"{dest} already exists (use --replace to overwrite it)"
        )
    try:
        converted = quiz_exchange.gift_from_moodle_xml(
            Path(source).read_bytes(), source
        )
    except ContentError as error:
        for problem in error.problems:
            click.echo(f"error: {problem}", err=True)
        raise click.ClickException("nothing was written") from None
    for note in converted.notes:
        click.echo(f"not carried over: {note.question}: {note.what}", err=True)
    Path(dest).write_text(
        quiz_exchange.quiz_source(title, converted.gift), encoding="utf-8"
    )
    click.echo(
        f"{converted.questions} questions written to {dest}; {len(converted.notes)} note(s)"
    )


def init_app(app: Flask) -> None:
    """Add the quiz exchange commands to the `lms` group."""
    from lms.cli import lms_cli

    lms_cli.add_command(export_quiz_command)
    lms_cli.add_command(import_moodle_xml_command)
