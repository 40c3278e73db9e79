"""Malformed GIFT fails loudly with the file, the line and the problem; Moodle's slack is kept."""

from __future__ import annotations

import pytest

from lms.content.errors import ContentError
from lms.quiz import parse_gift, read_gift


def problems(source: str, first_line: int = 1) -> list[tuple[int | None, str]]:
    with pytest.raises(ContentError) as caught:
        parse_gift(source, "modul/kuis.gift", first_line=first_line)
    assert all(p.path == "modul/kuis.gift" for p in caught.value.problems)
    return [(p.line, p.message) for p in caught.value.problems]


@pytest.mark.parametrize(
    ("source", "line", "words"),
    [
        ("A{T}\n\nPertanyaan {=a ~b\n", 3, "'{' is not closed"),
        ("Pertanyaan =a ~b}", 1, "'}' without an opening '{'"),
        ("Q {=a} lalu {=b}", 1, "only one answer block"),
        ("Q {=a\n\n~b}", 1, "blank line ends a question"),
        ("Q?{~a ~b ~c}", 1, "add up to 0%"),
        ("Q?{~%50%a ~%30%b}", 1, "add up to 80%"),
        ("Q?{=a}x{", 1, "only one answer block"),
        ("Q?{~a}", 1, "at least 2 choices"),
        ("Q?{=a ~}", 1, "has no text"),
        ("Q?{salah ~a =b}", 1, "must start with '=' (right) or '~' (wrong)"),
        ("Q?{=%50%a ~b}", 1, "right answer worth 100%"),
        ("Q?{~%150%a =b}", 1, "outside -100%..100%"),
        ("Q?{=a -> 1}", 1, "at least 2 pairs"),
        ("Q?{=a -> 1 =b 2 =c -> 3}", 1, "'=question -> answer'"),
        ("Q?{=a -> 1 = -> 2}", 1, "at least 2 pairs"),
        ("Q?{#abc}", 1, "'abc' is not a number"),
        ("Q?{#3,14}", 1, "write decimals with a dot"),
        ("Q?{#5..1}", 1, "write the smaller number first"),
        ("Q?{#3:-1}", 1, "negative"),
        ("Q?{#}", 1, "needs an answer"),
        ("Q?{#=%50%3}", 1, "worth 100%"),
        ("Q?{#3 ~salah#x}", 1, "only '#feedback'"),
        ("Q?{=%50%a}", 1, "answer worth 100%"),
        ("[latex]Q?{T}", 1, "unknown text format [latex]"),
        ("Q?{=[rtf]a ~b}", 1, "unknown text format [rtf]"),
        ("::Nama tanpa penutup Q?{T}", 1, "no closing '::'"),
        ("::Nama::{T}", 1, "no text"),
        ("Q?{=a ~b#\ufdd3}", 1, "noncharacters"),
    ],
)
def test_malformed_question_names_line_and_problem(
    source: str, line: int, words: str
) -> None:
    found = problems(source)
    assert any(
        found_line == line and words in message for found_line, message in found
    ), found


def test_line_is_the_file_line_when_front_matter_was_stripped() -> None:
    # A file with 4 lines of front matter: the GIFT body starts on line 5.
    body = "// kuis\n\n::Bagus::A?{T}\n\n::Rusak::\nPilih {=satu\n~dua"
    assert [line for line, _ in problems(body, first_line=5)] == [10]


def test_problem_line_points_into_a_multiline_question() -> None:
    body = "::Q::\nPilih:\n{\n  =satu\n  ~%%dua\n}"
    assert problems(body) == [(5, "answer weight %% is not a number")]


def test_every_broken_question_is_reported_at_once() -> None:
    body = "A{=a}}\n\nB{T}\n\nC{#x}\n\nD{~a}"
    assert [line for line, _ in problems(body)] == [1, 5, 7]


def test_read_gift_keeps_the_good_questions_next_to_the_problems() -> None:
    questions, found = read_gift("A{T}\n\nB{#x}\n\nC{F}", "kuis.gift")
    assert [q["text"] for q in questions] == ["A", "C"]
    assert [p.line for p in found] == [3]
    assert str(found[0]) == "kuis.gift:3: 'x' is not a number"


def test_stray_text_after_the_answer_block_is_read_as_moodle_does() -> None:
    # Moodle's own fixture has `";` after two questions; Moodle imports them as missing words.
    [q] = parse_gift('::Q5:: Angka 1 sampai 5? {#3:2~#Salah sekali}";', "kuis.gift")
    assert (q["type"], q["text"], q["missing_word"]) == (
        "numerical",
        'Angka 1 sampai 5? _____";',
        True,
    )


def test_lowercase_true_is_a_short_answer_as_in_moodle() -> None:
    [q] = parse_gift("Benar?{true}", "kuis.gift")
    assert q["type"] == "shortanswer"


def test_unknown_escape_and_percent_text_stay_literal() -> None:
    [q] = parse_gift("Diskon \\d?{=%diskon ~b}", "kuis.gift", default_format="plain")
    assert q["text"] == "Diskon \\d?"
    assert q["choices"][0]["text"] == "%diskon"


def test_line_of_a_malformed_question_after_four_lines_of_front_matter() -> None:
    file_text = "---\ntitle: Kuis\nminutes: 5\n---\nBaik?{T}\n\nRusak? {=a ~b\n"
    body = "".join(file_text.splitlines(keepends=True)[4:])
    assert problems(body, first_line=5) == [
        (
            7,
            "'{' is not closed by '}' (a blank line ends a question: write \\n for a new line)",
        )
    ]


def test_windows_line_endings_read_the_same() -> None:
    source = "// komentar\r\n::A::Q?{\r\n=a\r\n~b}\r\n\r\nR{T}\r\n"
    assert parse_gift(source, "k.gift") == parse_gift(
        source.replace("\r\n", "\n"), "k.gift"
    )
