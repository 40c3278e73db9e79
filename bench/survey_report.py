"""Time a survey report over many anonymous responses, as a ratio to one bare GROUP BY of the answers.

.venv/bin/python bench/survey_report.py [--responses 5000] [--runs 5] [--database-url URL]

The two are run side by side, `--runs` times each in turn, and the best of each is compared (the
machine is shared: the best run is the one least disturbed).
"""

from __future__ import annotations

import argparse
import secrets
import shutil
import tempfile
import time
from pathlib import Path

from sqlalchemy import func, insert, select, text

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--responses", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp())
    url = args.database_url or f"sqlite:///{folder / 'bench.sqlite3'}"
    from flask_migrate import upgrade

    from lms import create_app
    from lms.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
        from lms.activities.registry import activity_types
        from lms.content.reader import read_courses
        from lms.content.sync import apply_import
        from lms.models import Activity, SurveyAnswer, SurveyResponse
        from lms.surveys.format import ENDS, questions
        from lms.surveys.results import survey_results

        shutil.copytree(
            ROOT / "courses/kepemimpinan-pengawas", folder / "c/kepemimpinan-pengawas"
        )
        apply_import(read_courses(folder / "c", activity_types()))
        survey = db.session.scalar(select(Activity).where(Activity.type == "survey"))
        responses, answers = [], []
        for n in range(args.responses):
            rid = secrets.token_hex(16)
            responses.append({"id": rid, "activity_id": survey.id})
            for seq, q in enumerate(questions(survey.spec)):
                low, high = ENDS.get(q["type"], (0, max(len(q["choices"]) - 1, 0)))
                words = (
                    f"Saran nomor {n % 50}"
                    if q["type"] in ("text", "longtext")
                    else None
                )
                answers.append({"response_id": rid, "seq": seq, "question_key": q["key"],
                                "number": None if words else low + n % (high - low + 1), "text": words})  # fmt: skip
        db.session.execute(insert(SurveyResponse), responses)
        db.session.execute(insert(SurveyAnswer), answers)
        db.session.commit()
        # As a live database's statistics would be (PostgreSQL otherwise plans for an empty table).
        for table in ("survey_responses", "survey_answers"):
            db.session.execute(text(f"ANALYZE {table}"))
        db.session.commit()
        bare_query = select(
            SurveyAnswer.question_key, SurveyAnswer.number, func.count()
        )
        bare_query = bare_query.group_by(SurveyAnswer.question_key, SurveyAnswer.number)
        from sqlalchemy import event

        timings = []

        @event.listens_for(db.engine, "before_cursor_execute")
        def before(conn, cursor, statement, *a):
            conn.info["t"] = time.perf_counter()

        @event.listens_for(db.engine, "after_cursor_execute")
        def after(conn, cursor, statement, *a):
            timings.append(
                (time.perf_counter() - conn.info["t"], statement.split("FROM")[0][:60])
            )

        bare = report = float("inf")
        for _run in range(args.runs):
            start = time.perf_counter()  # the floor: one pass over the answers, grouped
            db.session.execute(bare_query).all()
            bare = min(bare, time.perf_counter() - start)
            timings.clear()
            start = time.perf_counter()
            results = survey_results(survey)
            took = time.perf_counter() - start
            if took < report:
                report, best = took, list(timings)
        for seconds, what in best:
            print(f"  {seconds * 1000:7.1f} ms  {what}")
        print(f"{args.responses} responses, {len(answers)} answers on {db.engine.dialect.name}: "
              f"best of {args.runs}: report {report * 1000:.0f} ms, bare GROUP BY {bare * 1000:.1f} ms, ratio {report / bare:.1f}; "
              f"respondents {results.respondents}")  # fmt: skip


if __name__ == "__main__":
    main()
