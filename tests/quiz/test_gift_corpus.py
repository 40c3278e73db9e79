"""GIFT conformance: the gift-pegjs oracle files and Moodle's own examples and fixtures."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from lms.quiz import parse_gift

TESTDATA = Path(__file__).resolve().parents[3] / "shared" / "testdata"
PEGJS = TESTDATA / "gift" / "gift-pegjs" / "tests" / "questions"
PEGJS_FILES = sorted(PEGJS.glob("*.gift")) if PEGJS.is_dir() else []

PEGJS_TYPES = {
    "MC": {"multichoice", "multiresponse"},
    "TF": {"truefalse"},
    "Short": {"shortanswer"},
    "Numerical": {"numerical"},
    "Matching": {"matching"},
    "Essay": {"essay"},
    "Description": {"description"},
}


def squash(text: str | None) -> str:
    """Drop all whitespace: gift-pegjs folds line breaks, Moodle (and we) keep them."""
    return "".join((text or "").split())


def read(name: str) -> str:
    path = TESTDATA / "gift" / name
    if not path.is_file():
        pytest.skip(f"{path} is not available")
    return path.read_text(encoding="utf-8")


def same_text(mine: str, mine_format: str, theirs: dict | None) -> None:
    assert squash(mine) == squash((theirs or {}).get("text"))
    if theirs:
        assert mine_format == theirs["format"]


def fraction(choice: dict) -> float:
    if choice["weight"] is not None:
        return choice["weight"] / 100
    return 1.0 if choice["isCorrect"] else 0.0


def check_numerical(answer: dict, spec: dict) -> None:
    if spec.get("text") == "*":
        assert answer["kind"] == "any"
    elif spec["type"] == "high-low":
        assert (answer["min"], answer["max"]) == (spec["numberLow"], spec["numberHigh"])
    else:
        assert answer["value"] == spec["number"]
        assert answer["tolerance"] == spec.get("range", 0)


def check_question(q: dict, e: dict) -> None:
    assert q["type"] in PEGJS_TYPES[e["type"]]
    assert q["name"] == (e["title"] or "")
    same_text(q["text"], q["format"], e["stem"])
    assert q["missing_word"] == e["hasEmbeddedAnswers"]
    if "globalFeedback" in e:
        same_text(
            q["general_feedback"], q["general_feedback_format"], e["globalFeedback"]
        )
    if e["type"] == "MC":
        assert len(q["choices"]) == len(e["choices"])
        for mine, theirs in zip(q["choices"], e["choices"], strict=True):
            same_text(mine["text"], mine["format"], theirs["text"])
            same_text(mine["feedback"], mine["feedback_format"], theirs["feedback"])
            assert mine["fraction"] == pytest.approx(fraction(theirs))
    elif e["type"] == "TF":
        assert q["answer"] is e["isTrue"]
        # gift-pegjs names the two feedbacks positionally (trueFeedback = the first one);
        # Moodle's meaning, which we keep, is "#shown if wrong#shown if right".
        assert squash(q["wrong_feedback"]) == squash(
            (e["trueFeedback"] or {}).get("text")
        )
        assert squash(q["right_feedback"]) == squash(
            (e["falseFeedback"] or {}).get("text")
        )
    elif e["type"] == "Short":
        assert len(q["answers"]) == len(e["choices"])
        for mine, theirs in zip(q["answers"], e["choices"], strict=True):
            assert squash(mine["text"]) == squash(theirs["text"]["text"])
            same_text(mine["feedback"], mine["feedback_format"], theirs["feedback"])
            assert mine["fraction"] == pytest.approx(fraction(theirs))
    elif e["type"] == "Numerical":
        choices = e["choices"]
        if isinstance(choices, dict):  # One answer worth 100%, written without '='.
            choices = [
                {"isCorrect": True, "weight": None, "text": choices, "feedback": None}
            ]
        assert len(q["answers"]) == len(choices)
        for mine, theirs in zip(q["answers"], choices, strict=True):
            check_numerical(mine, theirs["text"])
            same_text(mine["feedback"], mine["feedback_format"], theirs["feedback"])
            assert mine["fraction"] == pytest.approx(fraction(theirs))
    elif e["type"] == "Matching":
        pairs = [p for p in e["matchPairs"] if p["subquestion"]["text"]]
        extra = [
            p["subanswer"] for p in e["matchPairs"] if not p["subquestion"]["text"]
        ]
        assert [d["answer"] for d in q["distractors"]] == extra
        assert len(q["pairs"]) == len(pairs)
        for mine, theirs in zip(q["pairs"], pairs, strict=True):
            same_text(mine["text"], mine["format"], theirs["subquestion"])
            assert mine["answer"] == theirs["subanswer"]


@pytest.mark.parametrize("path", PEGJS_FILES, ids=lambda p: p.stem)
def test_gift_pegjs_oracle(path: Path) -> None:
    expected = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    questions = parse_gift(
        path.read_text(encoding="utf-8"), str(path), default_format="moodle"
    )
    category = None
    wanted = []
    for entry in expected:
        if entry["type"] == "Category":
            category = entry["title"]
        else:
            wanted.append((entry, category))
    assert len(questions) == len(wanted)
    for question, (entry, category) in zip(questions, wanted, strict=True):
        check_question(question, entry)
        assert question["category"] == category


def test_gift_pegjs_corpus_is_complete() -> None:
    if not PEGJS_FILES:
        pytest.skip("shared/testdata is not available")
    assert len(PEGJS_FILES) == 51


def test_moodle_examples_give_43_questions_of_the_expected_types() -> None:
    questions = parse_gift(read("moodle_examples.gift.txt"), "examples.txt")
    types = Counter(q["type"] for q in questions)
    assert len(questions) == 43
    assert types["multichoice"] + types["multiresponse"] == 18
    assert (types["truefalse"], types["shortanswer"]) == (5, 9)
    assert (types["numerical"], types["matching"]) == (8, 3)
