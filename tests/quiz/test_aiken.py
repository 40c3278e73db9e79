"""Aiken questions read as Moodle reads them, with clear file:line errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from lms.content.errors import ContentError
from lms.quiz import parse_aiken, parse_gift, read_aiken

AIKEN = Path(__file__).resolve().parents[3] / "shared" / "testdata" / "aiken"


def corpus(name: str) -> str:
    path = AIKEN / name
    if not path.is_file():
        pytest.skip(f"{path} is not available")
    return path.read_text(encoding="utf-8")


def right(question: dict) -> list[str]:
    return [c["text"] for c in question["choices"] if c["fraction"] == 1]


def test_aiken_question_has_the_gift_multichoice_shape() -> None:
    [q] = parse_aiken(
        "Ibu kota Indonesia?\nA. Bandung\nB) Jakarta\nANSWER: B\n", "kuis.aiken"
    )
    [same] = parse_gift(
        "Ibu kota Indonesia?{~Bandung =Jakarta}", "kuis.gift", default_format="plain"
    )
    assert q == same


def test_moodle_errors_fixture_reports_each_problem_on_its_line() -> None:
    questions, problems = read_aiken(corpus("moodle_aiken_errors.txt"), "errors.txt")
    assert [(p.line, p.message.split(":")[0]) for p in problems] == [
        (3, "Question must have at least 2 answers"),
        (5, "Question not started"),
        (7, "Question not started"),
        (18, "Question not completed before next question start"),
    ]
    assert [q["text"] for q in questions] == [
        "A good question",
        "A second good question",
        "A third good question with HTML chars such as > < &",
    ]
    assert [c["text"] for c in questions[0]["choices"]] == ["Correct", "Incorrect"]
    assert right(questions[0]) == ["Correct"]
    assert right(questions[1]) == ["Correct (No space)"]
    assert questions[1]["choices"][0]["text"] == "Incorrect (No space)"
    assert "Correct (&lt; &gt; &amp;)" in questions[2]["choices"][0]["text_html"]
    assert right(questions[2]) == ["Correct (< > &)"]


def test_parse_aiken_raises_once_with_every_problem() -> None:
    with pytest.raises(ContentError) as caught:
        parse_aiken(corpus("moodle_aiken_errors.txt"), "errors.txt")
    assert [p.line for p in caught.value.problems] == [3, 5, 7, 18]
    assert str(caught.value).startswith(
        "errors.txt:3: Question must have at least 2 answers"
    )


def test_moodle_example_files() -> None:
    help_example = parse_aiken(
        corpus("moodle_help_formataiken_example.txt"), "help.txt"
    )
    assert [right(q) for q in help_example] == [["Must be this one!"], ["Moodle"]]
    assert [len(q["choices"]) for q in help_example] == [4, 6]
    fixture = parse_aiken(corpus("moodle_questions.aiken.txt"), "questions.txt")
    assert [right(q) for q in fixture] == [["Martin Dougiamas"], ["True"]]
    assert "&lt;html class=&quot;cool&quot;&gt; &amp; images" in fixture[1]["text_html"]


def test_line_numbers_follow_front_matter() -> None:
    with pytest.raises(ContentError) as caught:
        parse_aiken("Q?\nA) a\nB) b\nANSWER: C\n", "kuis.aiken", first_line=5)
    assert [p.line for p in caught.value.problems] == [8]


@pytest.mark.parametrize(
    ("source", "line", "words"),
    [
        ("Q?\nA) a\nB) b\n", 1, "needs an 'ANSWER: X' line"),
        ("Q?\nA) a\nC) b\nANSWER: A", 4, "lettered A, B in order"),
        ("Q?\nA) a\nB) b\nANSWER: a", 4, "must name one of the options"),
        ("Q?\nA) a\nB) b\nANSWER: A, B", 4, "must name one of the options"),
        ("Q?\nlanjutan\nA) a\nB) b\nANSWER: A", 2, "not completed"),
    ],
)
def test_malformed_aiken(source: str, line: int, words: str) -> None:
    _, problems = read_aiken(source, "kuis.aiken")
    assert any(p.line == line and words in p.message for p in problems), problems


def test_keys_are_positional_and_blank_lines_are_optional() -> None:
    questions = parse_aiken(
        "A?\nA. x\nB. y\nANSWER: A\nB?\nA. x\nB. y\nANSWER: B", "k.aiken"
    )
    assert [(q["key"], q["line"]) for q in questions] == [("q1", 1), ("q2", 5)]
