"""Each GIFT question type reads into the dict the rest of the app relies on."""

from __future__ import annotations

import json

import pytest

from lms.quiz import QUESTION_TYPES, parse_gift

ONE_OF_EACH = (
    "A?{=a ~b}",
    "B?{~%50%a ~%50%b}",
    "C{T}",
    "D?{=x}",
    "E?{#1}",
    "F{=a->1 =b->2}",
    "G{}",
    "H",
)


def one(source: str, **kwargs) -> dict:
    [question] = parse_gift(source, "kuis.gift", **kwargs)
    return question


def test_multiple_choice_has_one_right_choice_with_feedback() -> None:
    q = one("Ibu kota Indonesia?{=Jakarta#Benar! ~Bandung#Bukan. ~Surabaya}")
    assert q["type"] == "multichoice"
    assert [c["text"] for c in q["choices"]] == ["Jakarta", "Bandung", "Surabaya"]
    assert [c["fraction"] for c in q["choices"]] == [1.0, 0.0, 0.0]
    assert q["choices"][0]["feedback"] == "Benar!"
    assert q["choices"][0]["feedback_html"] == "<p>Benar!</p>"
    assert q["choices"][2]["feedback"] == ""


def test_choice_ids_are_stable_and_do_not_follow_position() -> None:
    first = one("Q?{=a ~b ~c}")["choices"]
    reordered = one("Q?{~c =a ~b}")["choices"]
    assert {c["text"]: c["id"] for c in first} == {
        c["text"]: c["id"] for c in reordered
    }
    assert len({c["id"] for c in first}) == 3


def test_duplicate_choice_texts_still_get_distinct_ids() -> None:
    ids = [c["id"] for c in one("Q?{=a ~a}")["choices"]]
    assert len(set(ids)) == 2


def test_multiple_choice_may_give_partial_credit() -> None:
    q = one("Sulit.{~salah ~%50%setengah =benar}")
    assert q["type"] == "multichoice"
    assert [c["fraction"] for c in q["choices"]] == [0.0, 0.5, 1.0]


def test_weights_without_a_right_answer_make_a_multiple_response_question() -> None:
    q = one(
        "Pilih benua:{~%33.33333%Afrika ~%33.33333%Asia ~%-100%Cina ~%33.33333%Antartika}"
    )
    assert q["type"] == "multiresponse"
    assert [c["fraction"] for c in q["choices"]] == [
        0.3333333,
        0.3333333,
        -1.0,
        0.3333333,
    ]


@pytest.mark.parametrize(
    ("block", "answer"),
    [("{T}", True), ("{TRUE}", True), ("{F}", False), ("{FALSE}", False)],
)
def test_true_false_spellings(block: str, answer: bool) -> None:
    q = one(f"Matahari terbit di timur.{block}")
    assert (q["type"], q["answer"]) == ("truefalse", answer)


def test_true_false_feedback_is_wrong_then_right_then_general() -> None:
    q = one(
        "42 adalah jawabannya.{FALSE#Salah, 42 itu benar.#Tepat.####Referensi Douglas Adams.}"
    )
    assert q["answer"] is False
    assert q["wrong_feedback"] == "Salah, 42 itu benar."
    assert q["right_feedback"] == "Tepat."
    assert q["general_feedback"] == "Referensi Douglas Adams."
    assert q["general_feedback_html"] == "<p>Referensi Douglas Adams.</p>"


def test_short_answer_with_weights_and_a_wildcard() -> None:
    q = one("Hewan terbaik?{=Kucing#Ya! =%50%Anjing#Hampir. =%0%*#Bukan.}")
    assert q["type"] == "shortanswer"
    assert [(a["id"], a["text"], a["fraction"]) for a in q["answers"]] == [
        ("a1", "Kucing", 1.0),
        ("a2", "Anjing", 0.5),
        ("a3", "*", 0.0),
    ]


def test_a_lone_short_answer_needs_no_equals_sign() -> None:
    assert one("Tulis angka 1 dalam kata. {Satu}")["answers"][0]["text"] == "Satu"


def test_short_answer_drops_the_format_tag_of_an_answer() -> None:
    assert one("Q?{=[html]<b>x</b>}")["answers"][0]["text"] == "<b>x</b>"


def test_numerical_value_with_tolerance() -> None:
    [answer] = one("Nilai pi?{#3.14:0.01}")["answers"]
    assert answer == answer | {
        "kind": "value",
        "value": 3.14,
        "tolerance": 0.01,
        "fraction": 1.0,
    }


def test_numerical_exact_and_range() -> None:
    assert (
        one("Tahun?{#1945}")["answers"][0] | {} == one("Tahun?{#1945:0}")["answers"][0]
    )
    [answer] = one("Angka 1 sampai 5?{#1..5}")["answers"]
    assert (answer["kind"], answer["min"], answer["max"]) == ("range", 1.0, 5.0)
    [negative] = one("Q?{#-3.142..-3.141}")["answers"]
    assert (negative["min"], negative["max"]) == (-3.142, -3.141)


def test_numerical_with_several_weighted_answers_and_other_answer_feedback() -> None:
    q = one("Lahir?{# =%100%1822:0#Tepat =%50%1822:2#Dekat ~#Jauh sekali}")
    kinds = [(a["kind"], a["fraction"], a["feedback"]) for a in q["answers"]]
    assert kinds == [
        ("value", 1.0, "Tepat"),
        ("value", 0.5, "Dekat"),
        ("any", 0.0, "Jauh sekali"),
    ]


def test_matching_pairs_and_an_extra_wrong_answer() -> None:
    q = one("Cocokkan.{=Kanada -> Ottawa =Italia -> Roma =Jepang -> Tokyo = -> Paris}")
    assert q["type"] == "matching"
    assert [(p["id"], p["text"], p["answer"]) for p in q["pairs"]] == [
        ("p1", "Kanada", "Ottawa"),
        ("p2", "Italia", "Roma"),
        ("p3", "Jepang", "Tokyo"),
    ]
    assert [d["answer"] for d in q["distractors"]] == ["Paris"]


def test_matching_without_spaces_around_the_arrow() -> None:
    q = one("Cocokkan.{=Kanada->Ottawa =Italia->Roma}")
    assert [p["answer"] for p in q["pairs"]] == ["Ottawa", "Roma"]


def test_essay_and_description() -> None:
    essay = one("Tulis riwayat hidup singkat. {}")
    assert (essay["type"], essay["text"]) == ("essay", "Tulis riwayat hidup singkat.")
    essay_feedback = one("Esai?{####Dinilai oleh fasilitator.}")
    assert essay_feedback["general_feedback"] == "Dinilai oleh fasilitator."
    description = one("::Petunjuk::Gunakan kertas dan pensil.")
    assert description["type"] == "description"
    assert description["name"] == "Petunjuk"


def test_every_question_has_the_common_keys_and_is_json() -> None:
    source = "\n\n".join(ONE_OF_EACH)
    questions = parse_gift(source, "kuis.gift")
    assert [q["type"] for q in questions] == list(QUESTION_TYPES)
    common = {"key", "type", "name", "line", "category", "format", "text", "text_html"}
    common |= {"general_feedback", "general_feedback_html", "missing_word"}
    for question in questions:
        assert common <= question.keys()
        assert json.loads(json.dumps(question)) == question
