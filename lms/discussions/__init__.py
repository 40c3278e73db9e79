"""Discussions: questions on each lesson and quiz review, and a forum for each cohort."""

from __future__ import annotations

import os

from flask import Flask


def init_app(app: Flask) -> None:
    """Set the discussions' defaults and add the `lms send-digests` command."""
    from lms.discussions import commands

    app.config.setdefault(
        "LMS_DISCUSSION_EDIT_MINUTES",
        int(os.environ.get("LMS_DISCUSSION_EDIT_MINUTES", "30")),
    )
    #: Posts (questions, answers, comments) a member may write, per Flask-Limiter's syntax.
    app.config.setdefault(
        "LMS_DISCUSSION_RATE_LIMIT",
        os.environ.get("LMS_DISCUSSION_RATE_LIMIT", "10 per minute;100 per day"),
    )
    commands.init_app(app)
