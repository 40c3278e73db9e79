"""Moodle's GIFT fixtures read as Moodle's own tests expect (giftformat_test.php, EXPECTED.md)."""

from __future__ import annotations

from pathlib import Path

import pytest

from lms.quiz import parse_gift

GIFT = Path(__file__).resolve().parents[3] / "shared" / "testdata" / "gift"


def fixture(name: str) -> dict[str, dict]:
    path = GIFT / name
    if not path.is_file():
        pytest.skip(f"{path} is not available")
    questions = parse_gift(
        path.read_text(encoding="utf-8"), name, default_format="moodle"
    )
    return {
        q["name"] + (f"@{q['line']}" if q["name"] == "2-08 TSL" else ""): q
        for q in questions
    }


@pytest.fixture(scope="module")
def questions() -> dict[str, dict]:
    return fixture("moodle_tests_fixtures_questions.gift.txt")


def test_the_fixture_imports_nine_questions_like_moodle(questions: dict) -> None:
    assert len(questions) == 9


def test_essay(questions: dict) -> None:
    q = questions["Q8"]
    assert (q["type"], q["text"]) == ("essay", "How are you?")


def test_matching_keeps_each_subquestion_format_and_the_extra_answer(
    questions: dict,
) -> None:
    q = questions["Moodle activities"]
    assert [p["format"] for p in q["pairs"]] == ["html", "moodle", "plain", "markdown"]
    assert [p["answer"] for p in q["pairs"]] == ["Forum", "Choice", "Database", "Wiki"]
    assert [d["answer"] for d in q["distractors"]] == ["Chat"]


def test_single_answer_multichoice_with_trimmed_feedback(questions: dict) -> None:
    q = questions["Q2"]
    assert q["type"] == "multichoice"
    assert [c["fraction"] for c in q["choices"]] == [1, 0, 0]
    assert [c["feedback"] for c in q["choices"]] == [
        "right; good!",
        "wrong, it's yellow",
        "wrong, it's yellow",
    ]
    assert q["choices"][1]["feedback_format"] == "html"
    assert q["choices"][2]["format"] == "plain"


def test_multiple_answer_multichoice(questions: dict) -> None:
    q = questions["colours"]
    assert q["type"] == "multiresponse"
    assert [c["fraction"] for c in q["choices"]] == [0.5, -1, 0.5, -1]


def test_numerical_with_feedback_for_any_other_answer(questions: dict) -> None:
    # gift-pegjs 1.0.2 rejects this line; Moodle (and we) read it.
    q = questions["Q5"]
    assert q["type"] == "numerical"
    assert [(a["kind"], a["fraction"]) for a in q["answers"]] == [
        ("value", 1),
        ("any", 0),
    ]
    assert (q["answers"][0]["value"], q["answers"][0]["tolerance"]) == (3, 2)
    assert q["answers"][1]["feedback"] == "Completely wrong"


def test_shortanswer_weights_and_catch_all(questions: dict) -> None:
    q = questions["Shortanswer"]
    assert [(a["text"], a["fraction"]) for a in q["answers"]] == [
        ("Frog", 1),
        ("Cat", 0.5),
        ("*", 0),
    ]


def test_truefalse_feedbacks_and_general_feedback(questions: dict) -> None:
    q = questions["Q1"]
    assert q["answer"] is False
    assert q["wrong_feedback"] == "42 is the Ultimate Answer."
    assert q["right_feedback"] == "You gave the right answer."
    assert (
        q["general_feedback"]
        == "This is, of course, a Hitchiker's Guide to the Galaxy reference."
    )


def test_t_and_true_both_mean_true(questions: dict) -> None:
    assert [questions[f"2-08 TSL@{n}"]["answer"] for n in (46, 49)] == [True, True]


def test_category_switch_and_sanitized_html_from_escaped_markup() -> None:
    questions = fixture("moodle_tests_fixtures_questions_in_category.gift.txt")
    assert {q["category"] for q in questions.values()} == {
        "$course$/Default for New Features"
    }
    greeting = questions["Greeting"]
    assert greeting["text"].startswith(
        '<a href="http://demo.moodle.net/file.php/5/media/bonjour.mp3">Listen to this greeting:</a>'
    )
    assert (
        '<a href="http://demo.moodle.net/file.php/5/media/bonjour.mp3">'
        in greeting["text_html"]
    )
    acronym = questions["Moodle acronym"]
    assert 'style="font-style: italic;"' in acronym["text"]
    assert "style=" not in acronym["text_html"]
    assert (
        "<span>Modular Object-Oriented Dynamic Learning Environment</span>"
        in acronym["text_html"]
    )


@pytest.mark.parametrize(
    "payload",
    [
        "<script>alert(1)</script>Pertanyaan",
        '<img src="x" onerror="alert(1)">Pertanyaan',
        '<a href="javascript\\:alert(1)">klik</a>',
        "<iframe src\\=//evil.example></iframe>",
    ],
)
def test_html_question_text_answers_and_feedback_are_sanitized(payload: str) -> None:
    [q] = parse_gift(
        f"[html]{payload}{{=[html]{payload}#[html]{payload} ~b####[html]{payload}}}",
        "kuis.gift",
    )
    choice = q["choices"][0]
    for html in (q["text_html"], choice["text_html"], choice["feedback_html"]):
        lowered = html.lower()
        assert "<script" not in lowered
        assert "onerror" not in lowered
        assert "javascript:" not in lowered
        assert "<iframe" not in lowered
    assert "<script" not in q["general_feedback_html"]
