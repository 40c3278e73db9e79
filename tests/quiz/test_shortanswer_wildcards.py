"""Short-answer keys with `*` wildcards: Moodle's matching, in time linear in the answer."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lms.assessment.attempts import MAX_ANSWER_CHARS
from lms.quiz import grade, parse_gift
from lms.quiz.grading import shortanswer_matches
from tests.deadline import finishes_within


def reference_match(key: str, response: str) -> bool:
    """Match as Moodle does, with a (backtracking) regular expression: for small inputs only."""

    def fold(text: str) -> str:
        return " ".join(text.casefold().split())

    parts = re.split(r"(\\\*|\*)", fold(key))
    pattern = "".join(
        ".*" if part == "*" else re.escape("*" if part == "\\*" else part)
        for part in parts
    )
    return re.fullmatch(pattern, fold(response), re.DOTALL) is not None


@pytest.mark.parametrize(
    ("key", "response", "matches"),
    [
        ("abc*", "abc", True),
        ("abc*", "ABCdef", True),
        ("*abc", "xabc", True),
        ("*abc", "abcx", False),
        ("a*c", "ac", True),
        ("a*c", "abbbc", True),
        ("a*c", "abbbcd", False),
        ("aba*aba", "aba", False),
        ("aba*aba", "ababa", False),
        ("aba*aba", "abaaba", True),
        ("*", "", True),
        ("*", "apa saja", True),
        ("**", "x", True),
        ("a**b", "ab", True),
        ("5\\*3", "5*3", True),
        ("5\\*3", "513", False),
        ("5\\**", "5*apa", True),
        ("\\\\*", "\\*", True),
        ("Badan * Nasional", "badan   siber  nasional", True),
        ("Badan * Nasional", "Badan Nasional", False),
        ("  Satu  Data  ", "satu data", True),
        ("*satu*data*indonesia*", "ini satu data untuk indonesia raya", True),
        ("*satu*data*indonesia*", "indonesia data satu", False),
        ("Straße", "STRASSE", True),
        ("café", "cafe\u0301", True),  # Moodle compares NFC-normalized text
    ],
)
def test_wildcards_match_like_moodle(key: str, response: str, matches: bool) -> None:
    assert shortanswer_matches(key, response) is matches


KEY_ALPHABET = st.sampled_from(["a", "b", "A", " ", "*", "\\*", "ß", "ss", "."])
ANSWER_ALPHABET = st.sampled_from(["a", "b", "B", " ", "*", "\\", "ß", "s", "."])


@settings(max_examples=500, deadline=None)
@given(
    st.lists(KEY_ALPHABET, max_size=8).map("".join),
    st.lists(ANSWER_ALPHABET, max_size=12).map("".join),
)
def test_wildcards_agree_with_a_regular_expression(key: str, response: str) -> None:
    assert shortanswer_matches(key, response) is reference_match(key, response)


def test_a_blank_answer_does_not_match_a_catch_all_key() -> None:
    [question] = parse_gift("Hewan?{=Kucing =%0%*#Bukan}", "kuis.gift")
    assert grade(question, "   ")["feedback_html"] == []
    assert grade(question, "anjing")["feedback_html"] == ["<p>Bukan</p>"]


@pytest.mark.parametrize(
    ("key", "response"),
    [
        ("*satu*data*indonesia*raya*", "satu data " * 2000),
        ("*a*a*a*a*b", "a" * MAX_ANSWER_CHARS),
        ("*a*a*b*", "a" * MAX_ANSWER_CHARS),
        ("x*a*a*a*a*b*", "x" + "a" * (MAX_ANSWER_CHARS - 1)),
    ],
)
def test_a_longest_answer_grades_in_bounded_time(key: str, response: str) -> None:
    # A backtracking regular expression took over 30 s here (79 s for 3,000 characters).
    [question] = parse_gift(f"Kata kunci?{{={key}}}", "kuis.gift")
    assert len(response) == MAX_ANSWER_CHARS
    with finishes_within(0.05):
        result = grade(question, response)
    assert result["fraction"] == 0.0
