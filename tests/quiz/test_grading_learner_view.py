"""What the browser sees before submission gives nothing away."""

from __future__ import annotations

import json
import random

import pytest

from lms.quiz import learner_view, parse_gift

SECRET = "RAHASIA"  # Written into every answer, weight and feedback that must not leak.

QUESTIONS = {
    "multichoice": f"Pilih.{{=Jakarta#{SECRET}1 ~Bandung#{SECRET}2 ~%50%Bogor####{SECRET}3}}",
    "multiresponse": f"Pilih.{{~%50%Asia#{SECRET} ~%50%Afrika ~%-100%Cina####{SECRET}}}",
    "truefalse": f"Bumi bulat.{{TRUE#{SECRET}1#{SECRET}2####{SECRET}3}}",
    "shortanswer": f"Hewan?{{={SECRET}#{SECRET}1 =%50%{SECRET}x}}",
    "numerical": f"Tahun?{{#=1945:0.5#{SECRET} =%50%1944..1946 ~#{SECRET}2}}",
    "matching": f"Cocokkan.{{=Kanada -> Ottawa =Italia -> Roma = -> Paris####{SECRET}}}",
    "essay": f"Ceritakan.{{####{SECRET}}}",
    "description": "Bacaan.",
}
FORBIDDEN = (
    SECRET,
    "fraction",
    "feedback",
    "tolerance",
    "1945",
    '"answer',
    "weight",
    "right",
)


def one(source: str) -> dict:
    [question] = parse_gift(source, "kuis.gift")
    return question


@pytest.mark.parametrize("kind", QUESTIONS)
@pytest.mark.parametrize("shuffle", [False, True])
def test_learner_view_leaks_no_answer(kind: str, shuffle: bool) -> None:
    question = one(QUESTIONS[kind])
    assert question["type"] == kind
    view = learner_view(question, random.Random(1), shuffle)
    dumped = json.dumps(view)
    for word in FORBIDDEN:
        assert word not in dumped, (kind, word, dumped)
    assert view["key"] == question["key"]
    assert view["text_html"] == question["text_html"]


def test_truefalse_shortanswer_and_numerical_show_only_the_text() -> None:
    for kind in ("truefalse", "shortanswer", "numerical", "essay", "description"):
        view = learner_view(one(QUESTIONS[kind]), None, False)
        assert set(view) == {"key", "type", "text_html", "missing_word"}


def test_choices_keep_their_ids_and_shuffle_with_the_given_rng() -> None:
    source = "Pilih.{=a ~b ~c ~d ~e ~f ~g ~h}"
    question = one(source)
    plain = learner_view(question, None, False)["choices"]
    assert [c["id"] for c in plain] == [c["id"] for c in question["choices"]]
    first = learner_view(question, random.Random(7), True)["choices"]
    again = learner_view(question, random.Random(7), True)["choices"]
    assert first == again
    assert first != plain
    assert sorted(c["id"] for c in first) == sorted(c["id"] for c in plain)
    assert set(first[0]) == {"id", "text_html"}


def test_matching_options_are_unique_and_never_in_pair_order() -> None:
    question = one("Cocokkan.{=A -> zeta =B -> alfa =C -> alfa = -> beta}")
    view = learner_view(question, None, False)
    assert [p["id"] for p in view["pairs"]] == ["p1", "p2", "p3"]
    assert [o["text"] for o in view["options"]] == ["alfa", "beta", "zeta"]
    shuffled = learner_view(question, random.Random(3), True)
    assert sorted(o["text"] for o in shuffled["options"]) == ["alfa", "beta", "zeta"]
    assert sorted(p["id"] for p in shuffled["pairs"]) == ["p1", "p2", "p3"]


def test_shuffling_without_an_rng_still_works() -> None:
    view = learner_view(one("Pilih.{=a ~b ~c}"), None, True)
    assert len(view["choices"]) == 3
