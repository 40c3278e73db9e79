"""GIFT syntax: names, keys, comments, categories, formats, escapes and missing words."""

from __future__ import annotations

import pytest

from lms.quiz import parse_gift


def one(source: str, **kwargs) -> dict:
    [question] = parse_gift(source, "kuis.gift", **kwargs)
    return question


def test_keys_come_from_unique_names_or_from_position() -> None:
    source = "::Apa itu SPBE?::Q{T}\n\nTanpa nama{T}\n\n::Sama::A{T}\n\n::Sama::B{T}"
    keys = [q["key"] for q in parse_gift(source, "kuis.gift")]
    assert keys == ["apa-itu-spbe", "q2", "q3", "q4"]


def test_a_name_that_looks_positional_gives_way_to_that_position() -> None:
    source = "::Q3::A{T}\n\n::Q2::B{T}\n\nC{T}"
    assert [q["key"] for q in parse_gift(source, "kuis.gift")] == ["q1", "q2", "q3"]


def test_comments_are_ignored_including_id_and_tag_comments() -> None:
    source = "// [id:12] [tag:spbe]\n// komentar\nPertanyaan?{T}\n// di akhir"
    q = one(source)
    assert (q["text"], q["line"]) == ("Pertanyaan?", 3)


def test_a_comment_inside_a_question_does_not_break_it() -> None:
    q = one("Pertanyaan\n// catatan penulis\nlanjutan?{T}")
    assert q["text"] == "Pertanyaan\nlanjutan?"


def test_category_applies_to_following_questions() -> None:
    source = "A{T}\n\n$CATEGORY: $course$/Modul 1: Dasar\n\nB{T}\n\nC{T}\n\n$CATEGORY:\n\nD{T}"
    categories = [q["category"] for q in parse_gift(source, "kuis.gift")]
    assert categories == [
        None,
        "$course$/Modul 1: Dasar",
        "$course$/Modul 1: Dasar",
        None,
    ]


def test_category_line_directly_followed_by_a_question() -> None:
    [q] = parse_gift("$CATEGORY: Bab 2\nB{T}", "kuis.gift")
    assert (q["category"], q["text"], q["line"]) == ("Bab 2", "B", 2)


def test_default_format_is_markdown_and_can_be_changed() -> None:
    q = one("Apa itu **SPBE**?{T}")
    assert (q["format"], q["text_html"]) == (
        "markdown",
        "<p>Apa itu <strong>SPBE</strong>?</p>",
    )
    assert one("Apa itu **SPBE**?{T}", default_format="moodle")["format"] == "moodle"


@pytest.mark.parametrize(
    ("tag", "html"),
    [
        ("[markdown]", "<p><em>a</em> &lt; b</p>"),
        ("[html]", "<em>a</em> &lt; b"),
        ("[plain]", "<p>&lt;em&gt;a&lt;/em&gt; &lt; b</p>"),
        ("[moodle]", "<em>a</em> &lt; b"),
    ],
)
def test_format_tags(tag: str, html: str) -> None:
    text = "*a* < b" if tag == "[markdown]" else "<em>a</em> < b"
    assert one(f"{tag}{text}{{T}}")["text_html"] == html


def test_answers_and_feedback_inherit_or_override_the_format() -> None:
    q = one(
        "[html]<p>Arah?</p>{=<b>Timur</b>#<i>Ya</i> ~[plain]<b>Barat</b>#[markdown]*Bukan*}"
    )
    right, wrong = q["choices"]
    assert (right["format"], right["text_html"]) == ("html", "<b>Timur</b>")
    assert right["feedback_html"] == "<i>Ya</i>"
    assert (wrong["format"], wrong["text_html"]) == (
        "plain",
        "<p>&lt;b&gt;Barat&lt;/b&gt;</p>",
    )
    assert (wrong["feedback_format"], wrong["feedback_html"]) == (
        "markdown",
        "<p><em>Bukan</em></p>",
    )


def test_a_markdown_link_at_the_start_is_not_a_format_tag() -> None:
    assert one("[SPBE](https://spbe.go.id) adalah?{T}")["text"].startswith("[SPBE](")


@pytest.mark.parametrize(
    ("escaped", "literal"),
    [
        ("\\~", "~"),
        ("\\=", "="),
        ("\\#", "#"),
        ("\\{", "{"),
        ("\\}", "}"),
        ("\\:", ":"),
    ],
)
def test_escapes_give_literal_characters(escaped: str, literal: str) -> None:
    q = one(
        f"Simbol {escaped} ini?{{=a{escaped}b#c{escaped}d ~x}}", default_format="plain"
    )
    assert q["text"] == f"Simbol {literal} ini?"
    assert q["choices"][0]["text"] == f"a{literal}b"
    assert q["choices"][0]["feedback"] == f"c{literal}d"


def test_newline_and_backslash_escapes() -> None:
    q = one("Baris satu\\nbaris dua, $ 1 \\\\neq 0 $ dan \\d{}")
    assert q["text"] == "Baris satu\nbaris dua, $ 1 \\neq 0 $ dan \\d"


def test_a_single_colon_is_literal_and_escaped_colons_fit_in_names() -> None:
    q = one("::Waktu\\: pagi::Pukul 08:00 atau 09:00?{=08:00 ~09:00}")
    assert q["name"] == "Waktu: pagi"
    assert q["text"] == "Pukul 08:00 atau 09:00?"
    assert [c["text"] for c in q["choices"]] == ["08:00", "09:00"]


def test_missing_word_shows_a_blank_where_the_answers_were() -> None:
    q = one("Presiden pertama RI adalah {=Soekarno ~Soeharto} dari Blitar.")
    assert q["missing_word"] is True
    assert q["text"] == "Presiden pertama RI adalah _____ dari Blitar."
    assert q["text_html"] == "<p>Presiden pertama RI adalah _____ dari Blitar.</p>"
    assert q["text"][q["blank_at"] :].startswith("_____")


def test_missing_word_at_the_start_and_with_punctuation_after() -> None:
    assert (
        one("{=Asia} adalah benua terbesar.")["text"] == "_____ adalah benua terbesar."
    )
    q = one("Nilai pi? {#3.1415:0.0005}.")
    assert (q["type"], q["text"], q["missing_word"]) == (
        "numerical",
        "Nilai pi? _____.",
        True,
    )


def test_answers_at_the_end_are_not_a_missing_word() -> None:
    q = one("_____ adalah benua terbesar.{=Asia}")
    assert (q["missing_word"], q["blank_at"]) == (False, None)


def test_line_numbers_count_from_first_line() -> None:
    questions = parse_gift("// intro\n\nA{T}\n\n\nB\n{T}", "kuis.gift", first_line=5)
    assert [q["line"] for q in questions] == [7, 10]


def test_question_text_over_several_lines_keeps_markdown_indentation() -> None:
    # A blank line ends a question, so a paragraph break is written as \n\n.
    q = one("Daftar:\\n\\n- satu\n    - anak\n- dua{}")
    assert q["text"] == "Daftar:\n\n- satu\n    - anak\n- dua"
    assert "<li>anak</li>" in q["text_html"]
