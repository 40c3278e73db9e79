"""Grading each question type, Moodle style, with fractions clamped to 0..1."""

from __future__ import annotations

import pytest

from lms.quiz import grade, parse_gift, parse_number
from lms.quiz.learner import correct_answer_summary


def one(source: str) -> dict:
    [question] = parse_gift(source, "kuis.gift")
    return question


def choice_id(question: dict, text: str) -> str:
    return next(c["id"] for c in question["choices"] if c["text"] == text)


def test_multichoice_right_wrong_partial_and_feedback() -> None:
    q = one(
        "Ibu kota?{=Jakarta#Benar ~%50%Batavia#Nama lama ~Bandung#Bukan ~%-50%Bogor}"
    )
    right = grade(q, choice_id(q, "Jakarta"))
    assert (right["fraction"], right["correct"], right["feedback_html"]) == (
        1.0,
        True,
        ["<p>Benar</p>"],
    )
    assert grade(q, choice_id(q, "Batavia"))["fraction"] == 0.5
    assert grade(q, choice_id(q, "Bandung"))["correct"] is False
    assert (
        grade(q, choice_id(q, "Bogor"))["fraction"] == 0.0
    )  # Negative marks clamp at 0.
    assert grade(q, "tidak-ada")["fraction"] == 0.0
    assert grade(q, None) == grade(q, "tidak-ada")


def test_multiresponse_adds_weights_and_clamps() -> None:
    q = one("Benua?{~%50%Asia#ya ~%50%Afrika#ya ~%-100%Cina#bukan ~Jawa}")
    asia, afrika, cina, jawa = (
        choice_id(q, t) for t in ("Asia", "Afrika", "Cina", "Jawa")
    )
    assert grade(q, [asia, afrika]) | {"feedback_html": []} == {
        "fraction": 1.0,
        "correct": True,
        "feedback_html": [],
        "general_feedback_html": "",
    }
    assert grade(q, [asia])["fraction"] == 0.5
    assert grade(q, [asia, jawa])["correct"] is False
    assert grade(q, [asia, cina])["fraction"] == 0.0  # 0.5 - 1.0 clamps at 0.
    assert grade(q, [asia, afrika, cina])["fraction"] == 0.0
    assert grade(q, [asia, afrika])["feedback_html"] == ["<p>ya</p>", "<p>ya</p>"]
    assert grade(q, "bukan-daftar")["fraction"] == 0.0


def test_multiresponse_with_thirds_counts_as_fully_right() -> None:
    q = one("Benua?{~%33.33333%A ~%33.33333%B ~%33.33333%C ~%-100%D}")
    result = grade(q, [choice_id(q, t) for t in "ABC"])
    assert result["correct"] is True
    assert result["fraction"] == pytest.approx(1.0, abs=1e-6)


def test_truefalse_feedback_depends_on_being_right() -> None:
    q = one("Bumi bulat.{TRUE#Coba lagi.#Betul.####Umum.}")
    assert grade(q, True) == {
        "fraction": 1.0,
        "correct": True,
        "feedback_html": ["<p>Betul.</p>"],
        "general_feedback_html": "<p>Umum.</p>",
    }
    assert grade(q, False)["feedback_html"] == ["<p>Coba lagi.</p>"]
    assert grade(q, "false")["fraction"] == 0.0
    assert grade(q, "true")["fraction"] == 1.0
    assert grade(q, None)["feedback_html"] == []


def test_shortanswer_trims_ignores_case_and_takes_the_first_match() -> None:
    q = one("Hewan?{=Kucing#Ya =%50%Kucing*#Hampir =%0%*#Bukan}")
    assert grade(q, "  kUCING ")["fraction"] == 1.0
    assert grade(q, "kucing anggora") | {} == {
        "fraction": 0.5,
        "correct": False,
        "feedback_html": ["<p>Hampir</p>"],
        "general_feedback_html": "",
    }
    assert grade(q, "anjing")["feedback_html"] == ["<p>Bukan</p>"]
    assert grade(q, "")["fraction"] == 0.0


def test_shortanswer_wildcards_and_literal_stars() -> None:
    q = one("Q?{=Badan * Nasional =5\\\\*3}")
    assert grade(q, "Badan Siber Nasional")["correct"] is True
    assert grade(q, "badan  kepegawaian  nasional")["correct"] is True
    assert grade(q, "Badan Nasional X")["correct"] is False
    assert grade(q, "5*3")["correct"] is True
    assert grade(q, "513")["correct"] is False
    assert grade(q, "(regex")["fraction"] == 0.0


@pytest.mark.parametrize(
    ("response", "fraction"),
    [
        ("3.14", 1.0),
        ("3,14", 1.0),
        (3.149, 1.0),
        ("3.2", 0.5),
        ("4", 0.0),
        ("tiga", 0.0),
    ],
)
def test_numerical_tolerance_best_answer_and_comma_decimals(
    response, fraction: float
) -> None:
    q = one("Pi?{#=%50%3.14:0.1 =3.14:0.01}")
    assert grade(q, response)["fraction"] == fraction


def test_numerical_range_and_feedback_for_other_answers() -> None:
    q = one("Angka 1 sampai 5?{#=1..5#Ya ~#Di luar rentang}")
    assert grade(q, "1")["correct"] is True
    assert grade(q, "5,0")["correct"] is True
    assert grade(q, "6") | {} == {
        "fraction": 0.0,
        "correct": False,
        "feedback_html": ["<p>Di luar rentang</p>"],
        "general_feedback_html": "",
    }


def test_numerical_edges_of_the_tolerance_count() -> None:
    q = one("Pi?{#3.1415:0.0005}")
    assert grade(q, "3.141")["correct"] is True
    assert grade(q, "3.142")["correct"] is True
    assert grade(q, "3.1425")["correct"] is False


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("3,14", 3.14),
        ("3.14", 3.14),
        ("1.234,5", 1234.5),
        ("1,234.5", 1234.5),
        (" -2 ", -2.0),
        ("1e3", 1000.0),
        (7, 7.0),
        ("1,2,3", None),
        ("", None),
        ("inf", None),
        (True, None),
        (float("nan"), None),
    ],
)
def test_parse_number(text, number) -> None:
    assert parse_number(text) == number


def test_matching_scores_each_pair() -> None:
    q = one("Cocokkan.{=Kanada -> Ottawa =Italia -> Roma =Jepang -> Tokyo = -> Paris}")
    all_right = {"p1": "Ottawa", "p2": "Roma", "p3": "Tokyo"}
    assert grade(q, all_right)["correct"] is True
    partial = grade(q, {"p1": "Ottawa", "p2": "Paris"})
    assert (partial["fraction"], partial["correct"]) == (pytest.approx(1 / 3), False)
    assert grade(q, "Ottawa")["fraction"] == 0.0


def test_essay_needs_a_teacher_and_description_is_not_graded() -> None:
    essay = grade(one("Ceritakan.{####Dinilai fasilitator.}"), "Jawaban saya")
    assert essay == {
        "fraction": None,
        "correct": False,
        "feedback_html": [],
        "general_feedback_html": "<p>Dinilai fasilitator.</p>",
    }
    with pytest.raises(ValueError, match="description"):
        grade(one("Bacaan saja."), "x")


@pytest.mark.parametrize(
    ("source", "summary"),
    [
        ("Q?{=**Jakarta** ~Bandung}", "Jakarta"),
        ("Q?{~%50%Asia ~%50%Afrika ~%-100%Cina}", "Asia; Afrika"),
        ("Q{T}", "True"),
        ("Q{FALSE}", "False"),
        ("Q?{=Kucing =kucing* =%50%anjing}", "Kucing / kucing*"),
        ("Q?{#3.1415:0.0005}", "3.1415 ± 0.0005"),
        ("Q?{#1..5}", "1 – 5"),
        ("Q?{#1945 ~#salah}", "1945"),
        ("Q?{=a -> 1 =*b* -> 2}", "a → 1; b → 2"),
        ("Q?{}", ""),
    ],
)
def test_correct_answer_summary_is_plain_text(source: str, summary: str) -> None:
    assert correct_answer_summary(one(source)) == summary
