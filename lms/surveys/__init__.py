"""Surveys: evaluation questionnaires, their answers (anonymous or not) and their reports."""
