"""Writing GIFT: `parse_gift(to_gift(questions))` gives the same questions back."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lms.quiz import parse_gift, to_gift
from lms.quiz.text import BLANK, FORMATS, choice_ids, render, render_with_blank, rich

GIFT = Path(__file__).resolve().parents[3] / "shared" / "testdata" / "gift"
CORPUS = sorted(GIFT.glob("*.txt")) + sorted(
    GIFT.glob("gift-pegjs/tests/questions/*.gift")
)


def comparable(questions: list[dict]) -> list[dict]:
    return [{k: v for k, v in q.items() if k != "line"} for q in questions]


def round_trip(questions: list[dict]) -> list[dict]:
    return parse_gift(to_gift(questions), "kembali.gift")


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name)
def test_corpus_files_survive_export_and_import(path: Path) -> None:
    questions = parse_gift(path.read_text(encoding="utf-8"), path.name)
    assert comparable(round_trip(questions)) == comparable(questions)


def test_export_escapes_control_characters() -> None:
    [q] = parse_gift(
        "::a\\:b::Simbol \\~ \\= \\# \\{ \\} \\\\ \\n?{=x\\#y ~z}", "k.gift"
    )
    written = to_gift([q])
    assert (
        written
        == "::a\\:b::[markdown]Simbol \\~ \\= \\# \\{ \\} \\\\ \\n?{\n\t=x\\#y\n\t~z\n}\n"
    )


def test_export_refuses_what_gift_cannot_say() -> None:
    [matching] = parse_gift("Q{=a -> 1 =b -> 2}", "k.gift")
    matching["pairs"][0]["text"] = "a -> c"
    with pytest.raises(ValueError, match="->"):
        to_gift([matching])
    [short] = parse_gift("Q{=a}", "k.gift")
    short["answers"][0]["text"] = "x->y"
    with pytest.raises(ValueError, match="->"):
        to_gift([short])


# Awkward text: every GIFT control character, backslashes, Markdown and Indonesian words.
_PIECES = st.one_of(
    st.sampled_from(list("~=#{}:\\%[]-*>_/$!\n\t aZ09éñŋ—😀")),
    st.sampled_from(
        ["Pegawai", "Negeri", "Sipil", "jawaban", "benar", "::", "####", "->"]
    ),
)


_FENCE = re.compile(r"(?m)^[ \t]*(```|~~~)")


def texts(min_size: int = 1, arrow: bool = True) -> st.SearchStrategy[str]:
    """Stripped text (non-empty unless min_size is 0), optionally without '->'."""
    raw = st.lists(_PIECES, max_size=12).map("".join).map(str.strip)
    raw = raw if arrow else raw.filter(lambda t: "->" not in t)
    # A line opening a code fence is refused by the Markdown check before any quiz exists.
    raw = raw.filter(lambda t: not _FENCE.search(t))
    return raw.filter(lambda t: len(t) >= min_size)


formats = st.sampled_from(FORMATS)
fractions = st.integers(-(10**7), 10**7).map(lambda k: round(k / 10**7, 7))
numbers = st.floats(
    allow_nan=False, allow_infinity=False, min_value=-1e20, max_value=1e20
)


@st.composite
def feedback(draw, prefix: str = "feedback", arrow: bool = True) -> dict:
    return rich(prefix, draw(texts(0, arrow)), draw(formats))


@st.composite
def choices(draw, kind: str) -> list[dict]:
    if kind == "multichoice":
        weights = [1.0] + draw(st.lists(fractions, min_size=1, max_size=4))
    else:
        shares = draw(st.integers(1, 3))
        wrong = st.lists(
            fractions.filter(lambda f: f <= 0), min_size=max(0, 2 - shares), max_size=3
        )
        weights = [round(1 / shares, 7)] * shares + draw(wrong)
    weights = draw(st.permutations(weights))
    items = [
        {**rich("text", draw(texts()), draw(formats)), "fraction": w} for w in weights
    ]
    ids = choice_ids([c["text"] for c in items])
    return [{"id": i, **c, **draw(feedback())} for i, c in zip(ids, items, strict=True)]


@st.composite
def numerical_answers(draw) -> list[dict]:
    specs = []
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["value", "range", "any"]))
        if kind == "value":
            tolerance = abs(draw(numbers))
            specs.append({"kind": kind, "value": draw(numbers), "tolerance": tolerance})
        elif kind == "range":
            low, high = sorted([draw(numbers), draw(numbers)])
            specs.append({"kind": kind, "min": low, "max": high})
        else:
            specs.append({"kind": kind})
    weights = [1.0] + [draw(fractions) for _ in specs[1:]]
    return [
        {"id": f"a{n}", **spec, "fraction": w, **draw(feedback())}
        for n, (spec, w) in enumerate(zip(specs, weights, strict=True), start=1)
    ]


@st.composite
def type_fields(draw, kind: str) -> dict:
    if kind in ("multichoice", "multiresponse"):
        return {"choices": draw(choices(kind))}
    if kind == "truefalse":
        return {
            "answer": draw(st.booleans()),
            **draw(feedback("wrong_feedback")),
            **draw(feedback("right_feedback")),
        }
    if kind == "shortanswer":
        weights = [1.0] + draw(st.lists(fractions, max_size=2))
        return {
            "answers": [
                {
                    "id": f"a{n}",
                    **(value := {"text": draw(texts(arrow=False))}),
                    "text_html": render(value["text"], "plain"),
                    "fraction": w,
                    **draw(feedback(arrow=False)),
                }
                for n, w in enumerate(weights, start=1)
            ]
        }
    if kind == "numerical":
        return {"answers": draw(numerical_answers())}
    if kind == "matching":
        answers = st.lists(texts(), min_size=2, max_size=4)
        pairs = [
            {
                "id": f"p{n}",
                **rich("text", draw(texts(arrow=False)), draw(formats)),
                "answer": a,
            }
            for n, a in enumerate(draw(answers), start=1)
        ]
        extra = [{"answer": a} for a in draw(st.lists(texts(), max_size=2))]
        for item in pairs + extra:
            item["answer_html"] = render(item["answer"], "plain")
        return {"pairs": pairs, "distractors": extra}
    return {}


@st.composite
def question(draw, category: str | None) -> dict:
    kind = draw(st.sampled_from(list(_KINDS)))
    fmt = draw(formats)
    text, blank_at = draw(texts()), None
    if kind != "description" and draw(st.booleans()):
        before, after = draw(texts(0)), draw(texts())
        text, blank_at = (before + " " + BLANK + " " + after).strip(), len(before) + 1
        blank_at = text.index(BLANK) if not before else blank_at
    general = draw(feedback("general_feedback")) if kind != "description" else None
    return {
        "type": kind,
        "name": draw(st.one_of(st.just(""), texts())),
        "category": category,
        **rich("text", text, fmt),
        "text_html": render_with_blank(text, fmt, blank_at),
        "missing_word": blank_at is not None,
        "blank_at": blank_at,
        **(general or rich("general_feedback", "", fmt)),
        **draw(type_fields(kind)),
    }


_KINDS = (
    "multichoice",
    "multiresponse",
    "truefalse",
    "shortanswer",
    "numerical",
    "matching",
)
_KINDS += ("essay", "description")


@st.composite
def quizzes(draw) -> list[dict]:
    categories = st.one_of(st.none(), texts())
    return [draw(question(draw(categories))) for _ in range(draw(st.integers(1, 4)))]


@settings(max_examples=300, deadline=None)
@given(quizzes())
def test_any_questions_survive_export_and_import(questions: list[dict]) -> None:
    back = round_trip(questions)
    without_keys = [
        {k: v for k, v in q.items() if k not in ("key", "line")} for q in back
    ]
    assert without_keys == questions
    assert comparable(round_trip(back)) == comparable(back)
