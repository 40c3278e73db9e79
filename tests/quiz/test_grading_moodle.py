"""Moodle's grading edge cases: partial marks, thirds, wildcards, blanks and pairs."""

from __future__ import annotations

import pytest

from lms.quiz import grade, parse_gift
from lms.quiz.grading import RIGHT, number_matches, shortanswer_matches


def one(source: str) -> dict:
    [question] = parse_gift(source, "kuis.gift")
    return question


def choice_id(question: dict, text: str) -> str:
    return next(c["id"] for c in question["choices"] if c["text"] == text)


def test_a_90_percent_choice_earns_90_percent_and_is_not_correct() -> None:
    q = one("Ibu kota?{=Jakarta ~%90%DKI Jakarta ~%99.99%Jakarta Raya}")
    partial = grade(q, choice_id(q, "DKI Jakarta"))
    assert (partial["fraction"], partial["correct"]) == (0.9, False)
    almost = grade(q, choice_id(q, "Jakarta Raya"))
    assert almost["correct"] is False
    assert grade(q, choice_id(q, "Jakarta"))["correct"] is True


def test_the_right_threshold_allows_only_moodles_rounding() -> None:
    assert 1 - RIGHT == pytest.approx(1e-6)
    thirds = one("Q?{=%100%ABC =%33.33333%A =%33.33333%B =%33.33333%C}")
    assert grade(thirds, "a")["correct"] is False


def test_three_thirds_with_a_zero_choice_chosen_count_as_right() -> None:
    # Choosing a 0% option as well: not the exact set of right options, but full marks.
    q = one("Benua?{~%33.33333%A ~%33.33333%B ~%33.33333%C ~%0%D}")
    result = grade(q, [choice_id(q, t) for t in "ABCD"])
    assert result["fraction"] == pytest.approx(0.9999999)
    assert result["correct"] is True
    two = grade(q, [choice_id(q, t) for t in "AB"])
    assert (two["fraction"], two["correct"]) == (pytest.approx(0.6666666), False)


def test_multiresponse_weights_over_100_percent_clamp_to_full_marks() -> None:
    q = one("Q?{~%50%A ~%50%B ~%-50%C}")
    a, b, c = (choice_id(q, t) for t in "ABC")
    q["choices"][0]["fraction"] = q["choices"][1]["fraction"] = (
        1.0  # as Moodle XML may say
    )
    assert grade(q, [a, b])["fraction"] == 1.0
    assert grade(q, [a, b, c])["fraction"] == 1.0
    assert grade(q, [a, c])["fraction"] == 0.5
    assert grade(q, (a, b))["correct"] is True
    assert grade(q, {a})["correct"] is True
    assert grade(q, a)["fraction"] == 0.0  # not a list: nothing chosen


def test_multiresponse_feedback_lists_only_the_chosen_options() -> None:
    q = one("Q?{~%50%A#fa ~%50%B#fb ~%-100%C#fc}")
    a, c = choice_id(q, "A"), choice_id(q, "C")
    assert grade(q, [a, c])["feedback_html"] == ["<p>fa</p>", "<p>fc</p>"]
    assert grade(q, [])["feedback_html"] == []


def test_a_multichoice_weight_over_100_percent_is_clamped() -> None:
    q = one("Q?{=A ~%-100%B}")
    q["choices"][0]["fraction"] = 1.5  # as an imported Moodle XML might say
    assert grade(q, choice_id(q, "A"))["fraction"] == 1.0
    assert grade(q, choice_id(q, "B"))["fraction"] == 0.0


@pytest.mark.parametrize(
    ("response", "right"),
    [("True", True), ("TRUE", True), ("true", True), ("False", False), (True, True)],
)
def test_truefalse_accepts_true_and_false_as_strings(response, right) -> None:
    q = one("Bumi bulat.{TRUE}")
    assert grade(q, response)["correct"] is right
    assert grade(q, response)["fraction"] == (1.0 if right else 0.0)


@pytest.mark.parametrize("response", ["yes", "1", 1, "", None, "benar"])
def test_truefalse_refuses_anything_but_true_and_false(response) -> None:
    q = one("Bumi datar.{FALSE#Salah#Betul}")
    result = grade(q, response)
    assert (result["fraction"], result["correct"], result["feedback_html"]) == (
        0.0,
        False,
        [],
    )


def test_truefalse_false_statement_is_right_when_answered_false() -> None:
    q = one("Bumi datar.{FALSE#Salah#Betul}")
    assert grade(q, "false")["correct"] is True
    assert grade(q, "false")["feedback_html"] == ["<p>Betul</p>"]
    assert grade(q, "true")["feedback_html"] == ["<p>Salah</p>"]


def test_a_key_ending_in_a_star_accepts_the_bare_key() -> None:
    q = one("Q?{=abc*}")
    assert grade(q, "abc")["correct"] is True
    assert grade(q, "abcdef")["correct"] is True
    assert grade(q, "ab")["correct"] is False
    assert shortanswer_matches("abc*", "abc") is True


def test_a_double_space_still_matches_an_exact_short_answer() -> None:
    q = one("Q?{=Badan Kepegawaian Negara}")
    assert grade(q, "badan  kepegawaian   negara")["correct"] is True
    assert grade(q, "badankepegawaian negara")["correct"] is False


def test_three_thirds_short_answers_each_give_a_third() -> None:
    q = one("Q?{=%33.33333%satu =%33.33333%dua =%33.33333%tiga =%100%semua}")
    assert grade(q, "dua")["fraction"] == pytest.approx(1 / 3, abs=1e-6)
    assert grade(q, "semua")["correct"] is True


def test_a_blank_answer_matches_no_catch_all() -> None:
    q = one("Q?{=Jakarta =%0%*#Bukan}")
    for blank in ("", "   ", "\n"):
        assert grade(q, blank) == {
            "fraction": 0.0,
            "correct": False,
            "feedback_html": [],
            "general_feedback_html": "",
        }
    assert grade(q, None)["fraction"] == 0.0
    assert grade(q, "Bandung")["feedback_html"] == ["<p>Bukan</p>"]


def test_negative_short_answer_weights_give_zero_not_less() -> None:
    q = one("Q?{=Jakarta =%-50%Bandung#Bukan ibu kota =%100%*}")
    q["answers"][2]["fraction"] = 1.5  # as an imported Moodle XML might say
    wrong = grade(q, "Bandung")
    assert (wrong["fraction"], wrong["correct"]) == (0.0, False)
    assert wrong["feedback_html"] == ["<p>Bukan ibu kota</p>"]
    over = grade(q, "lainnya")
    assert (over["fraction"], over["correct"]) == (1.0, True)


@pytest.mark.parametrize(
    ("key", "response", "matches"),
    [
        ("a*", "a", True),
        ("*a", "a", True),
        ("a*b*c", "abc", True),
        ("a*b*c", "acb", False),
        ("a*b*c", "ab", False),
        ("ab*ba", "aba", False),
        ("x*y", "xy", True),
        ("x*y", "y", False),
        ("x*y", "x", False),
        ("x*y*", "xzy", True),
        ("*y*z", "yz", True),
        ("*y*z", "zy", False),
        ("a*b*b", "ab", False),
        ("a*b*b", "abb", True),
        ("abc", "abcd", False),
        ("*ab*ab*", "zzzzabzz", False),  # one "ab" cannot serve twice
        ("*ab*ab*", "zzabzzab", True),
        ("abc", "ab", False),
    ],
)
def test_wildcards_at_their_edges(key, response, matches) -> None:
    assert shortanswer_matches(key, response) is matches


def test_matching_with_one_wrong_pair_is_not_correct() -> None:
    q = one("Cocokkan.{=Kanada -> Ottawa =Italia -> Roma =Jepang -> Tokyo}")
    one_wrong = grade(q, {"p1": "Ottawa", "p2": "Roma", "p3": "Osaka"})
    assert (one_wrong["fraction"], one_wrong["correct"]) == (
        pytest.approx(2 / 3),
        False,
    )
    right = grade(q, {"p1": " Ottawa ", "p2": "Roma", "p3": "Tokyo"})
    assert (right["fraction"], right["correct"]) == (1.0, True)
    assert grade(q, {"p1": 1, "p2": "Roma", "p3": "Tokyo"})["correct"] is False


@pytest.mark.parametrize(
    ("answer", "value", "matches"),
    [
        ({"kind": "any"}, 123.0, True),
        ({"kind": "range", "min": 1, "max": 5}, 0.99, False),
        ({"kind": "range", "min": 1, "max": 5}, 5.01, False),
        ({"kind": "range", "min": -5, "max": -1}, -3, True),
        ({"kind": "exact", "value": 100, "tolerance": 2}, 102, True),
        ({"kind": "exact", "value": 100, "tolerance": 2}, 98, True),
        ({"kind": "exact", "value": 100, "tolerance": 2}, 102.01, False),
        ({"kind": "exact", "value": 100, "tolerance": 2}, 97.99, False),
        ({"kind": "exact", "value": 0.1, "tolerance": 0}, 0.1 + 0.2 - 0.2, True),
        ({"kind": "exact", "value": 1e12, "tolerance": 0}, 1e12 + 100, True),
        ({"kind": "exact", "value": 1e12, "tolerance": 0}, 1e12 + 10000, False),
        ({"kind": "exact", "value": 5, "tolerance": 0}, 5.5, False),
    ],
)
def test_number_tolerances_and_ranges(answer, value, matches) -> None:
    assert number_matches(answer, value) is matches


def test_numerical_takes_the_best_matching_answer_and_its_feedback() -> None:
    q = one("Q?{#=%50%10:5#Dekat =%100%10:1#Tepat =%-50%10:10#Jauh}")
    best = grade(q, "10.5")
    assert (best["fraction"], best["feedback_html"]) == (1.0, ["<p>Tepat</p>"])
    near = grade(q, "13")
    assert (near["fraction"], near["correct"]) == (0.5, False)
    far = grade(q, "19")
    assert (far["fraction"], far["feedback_html"]) == (0.0, ["<p>Jauh</p>"])
    assert grade(q, "25") == {
        "fraction": 0.0,
        "correct": False,
        "feedback_html": [],
        "general_feedback_html": "",
    }


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("1.234.567,5", 1234567.5),
        ("1,234,567.5", 1234567.5),
        ("12,5", 12.5),
        ("3.5", 3.5),
        (".5", 0.5),
        ("-.5", -0.5),
        ("2.", 2.0),
        ("1e400", None),
        (float("inf"), None),
        ("1,5e2", 150.0),
    ],
)
def test_parse_number_separators(text, number) -> None:
    from lms.quiz import parse_number

    assert parse_number(text) == number


def test_an_unknown_question_type_is_refused() -> None:
    with pytest.raises(ValueError, match="cloze"):
        grade({"type": "cloze"}, "x")


def test_blank_feedback_is_left_out() -> None:
    q = one("Q?{=A ~B}")
    assert grade(q, choice_id(q, "A"))["feedback_html"] == []


def test_a_fraction_exactly_at_the_threshold_is_right() -> None:
    q = one("Q?{=A ~B}")
    q["choices"][1]["fraction"] = RIGHT  # 99.9999%: Moodle's rounding of a full mark
    assert grade(q, choice_id(q, "B"))["correct"] is True


@pytest.mark.parametrize("response", [None, 7, {"A": True}])
def test_multiresponse_answers_that_are_not_lists_choose_nothing(response) -> None:
    q = one("Q?{~%50%A ~%50%B ~%-100%C}")
    assert grade(q, response) | {"general_feedback_html": ""} == {
        "fraction": 0.0,
        "correct": False,
        "feedback_html": [],
        "general_feedback_html": "",
    }


def test_the_float_slack_edges_are_inclusive() -> None:
    answer = {"kind": "range", "min": 1.0, "max": 5.0}
    slack = 1e-9 * 5.0
    assert number_matches(answer, 1.0 - slack) is True
    assert number_matches(answer, 5.0 + slack) is True
    assert number_matches(answer, 5.0 + 2 * slack) is False


def test_choosing_exactly_the_right_options_is_correct_whatever_their_weights() -> None:
    q = one("Q?{~%50%A ~%50%B ~%-100%C ~%0%D}")
    q["choices"][1]["fraction"] = 0.4  # weights from Moodle XML that add up to 90%
    result = grade(q, [choice_id(q, "A"), choice_id(q, "B")])
    assert (result["fraction"], result["correct"]) == (0.9, True)
    assert grade(q, [choice_id(q, "A")])["correct"] is False


def test_a_numerical_weight_over_100_percent_is_clamped() -> None:
    q = one("Q?{#=10:1 =%50%10:5}")
    q["answers"][0]["fraction"] = 1.5
    assert grade(q, "10")["fraction"] == 1.0


def test_an_unknown_choice_is_not_correct() -> None:
    q = one("Q?{=A ~B}")
    assert grade(q, "tidak-ada") == {
        "fraction": 0.0,
        "correct": False,
        "feedback_html": [],
        "general_feedback_html": "",
    }


def test_the_slack_near_zero_is_one_billionth() -> None:
    zero = {"kind": "exact", "value": 0, "tolerance": 0}
    assert number_matches(zero, 0.5e-9) is True
    assert number_matches(zero, 1.5e-9) is False


@pytest.mark.parametrize("response", ["tiga", "", None, "1,2,3"])
def test_a_numerical_answer_that_is_not_a_number_is_not_correct(response) -> None:
    q = one("Q?{#3}")
    result = grade(q, response)
    assert (result["fraction"], result["correct"], result["feedback_html"]) == (
        0.0,
        False,
        [],
    )
