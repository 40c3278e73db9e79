"""Moodle's own GIFT examples go through the course pipeline with every question of the right type."""

import json
from collections import Counter
from pathlib import Path

import pytest

SHARED_GIFT = Path(__file__).resolve().parents[2] / "shared" / "testdata" / "gift"


def test_moodle_documentation_examples_import_through_check_courses(runner, tmp_path):
    source = SHARED_GIFT / "moodle_examples.gift.txt"
    if not source.exists():
        pytest.skip("shared/testdata/gift not present beside the project")
    course = tmp_path / "contoh-moodle"
    (course / "01-bank").mkdir(parents=True)
    (course / "course.md").write_text(
        "---\ntitle: Bank Soal Moodle\nsummary: Contoh Moodle.\njp: 1\n---\n"
    )
    (course / "01-bank" / "module.md").write_text("---\ntitle: Bank\n---\n")
    front = "---\ntitle: Contoh dokumentasi Moodle\n---\n"
    (course / "01-bank" / "01-contoh.gift").write_text(
        front + source.read_text(encoding="utf-8")
    )
    result = runner.invoke(args=["lms", "check-courses", str(course), "--json"])
    assert result.exit_code == 0, result.output
    (activity,) = json.loads(result.output)["courses"][0]["modules"][0]["activities"]
    types = Counter(q["type"] for q in activity["questions"])
    assert len(activity["questions"]) == 43
    assert types["multichoice"] + types["multiresponse"] == 18
    assert (
        types["truefalse"],
        types["shortanswer"],
        types["numerical"],
        types["matching"],
    ) == (5, 9, 8, 3)
    first_line = activity["questions"][0]["line"]
    assert first_line > 3  # lines are counted in the file, after the front matter


def test_malformed_question_is_reported_with_file_and_line(
    runner, tmp_path, course_dir
):
    quiz = course_dir / "contoh-kursus" / "02-praktik" / "02-kuis.gift"
    quiz.write_text(
        "---\ntitle: Kuis\n---\n::a:: Baik {=ya ~tidak}\n\n::b:: Rusak {=ya ~tidak\n"
    )
    result = runner.invoke(args=["lms", "check-courses", str(course_dir)])
    assert result.exit_code == 1
    assert f"{quiz}:6:" in result.output
