"""Every reader refuses text past a named limit, quickly, naming the limit and the line."""

from __future__ import annotations

import pytest

from lms.activities.lesson import LessonType
from lms.activities.quiz import QuizType
from lms.content import limits
from lms.content.errors import ContentError
from lms.content.frontmatter import split_front_matter, validate_meta
from lms.content.limits import LimitError
from lms.content.render import render_markdown, render_text, sanitize_html
from lms.quiz import parse_gift
from tests.deadline import finishes_within

FRONT = "---\ntitle: Vektor\nminutes: 5\n---\n"  # the body starts on line 5


def lesson_problem(body: str) -> str:
    """Parse a lesson as an import would; return its one problem as `file:line: message`."""
    with finishes_within(2.0), pytest.raises(ContentError) as info:
        LessonType().parse("materi.md", FRONT + body)
    return str(info.value)


def quiz_problem(body: str, name: str = "kuis.gift") -> str:
    with finishes_within(2.0), pytest.raises(ContentError) as info:
        QuizType().parse(name, FRONT + body)
    return str(info.value)


def refusal(markdown_text: str) -> LimitError:
    with finishes_within(2.0), pytest.raises(LimitError) as info:
        render_markdown(markdown_text)
    return info.value


# The vectors of issue 18: each took 10 s to minutes (or gigabytes), now each is refused at once.


def test_a_list_nested_3000_deep_is_refused_by_size_and_by_depth() -> None:
    deep = "".join("  " * i + "- x\n" for i in range(3000))  # 9 MB: 3.4 GB of memory
    problem = lesson_problem(deep)
    assert problem.startswith("materi.md:1: The text is 8798 KB")
    assert "(MAX_TEXT_BYTES)" in problem
    small = "".join("    " * i + "- x\n" for i in range(40))
    assert "materi.md:37: Nested 33 levels deep" in lesson_problem(small)
    assert "(MAX_NESTING)" in lesson_problem(small)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("[a](" * 50_000, "(MAX_TEXT_BYTES)"),
        ("[a](" * 8_001, "materi.md:5: The paragraph starting here is longer"),
        ("<b>" * 100_000, "(MAX_TEXT_BYTES)"),
        ("<b>" * 10_000, "materi.md:5: Nested 33 levels deep"),
        ("<div>" * 50_000, "(MAX_TEXT_BYTES)"),
        ("<div>\n" * 40, "materi.md:37: Nested 33 levels deep"),
        ("> " * 3_000 + "x", "(MAX_NESTING)"),
        ("- " * 3_000 + "x", "(MAX_NESTING)"),
        ("".join(f"[r{n}]: /x/{n}\n" for n in range(1_001)), "materi.md:1005:"),
        ("".join(f"*[A{n}]: a\n" for n in range(101)), "(MAX_ABBREVIATIONS)"),
        ("# a\n\n" * 501, "(MAX_HEADINGS)"),
        ("```\nx\n```\n" * 201, "(MAX_CODE_BLOCKS)"),
        ("```\nx\n", "materi.md:5: The code block opened with ``` is not closed"),
        ("a <b c\nd", "materi.md:5: The HTML tag “<b” is not closed by “>”"),
        ('<a title="x>\n"', "materi.md:5: A quoted value in the HTML tag “<a”"),
        ("<http://" * 30_000, "(MAX_TEXT_BYTES)"),
        ("<http://\n" * 10_000, "is not closed by “>” on its line"),
    ],
)
def test_issue_vectors_are_refused_at_once_naming_the_limit(
    body: str, expected: str
) -> None:
    assert expected in lesson_problem(body)


def test_each_count_names_its_limit() -> None:
    references = "".join(f"[r{n}]: /x/{n}\n" for n in range(1_001))
    assert "(MAX_LINK_REFERENCES)" in str(refusal(references))
    assert refusal(references).line == 1_001
    assert "(MAX_BLOCK_CHARS)" in str(refusal("a" * 32_001))


def test_gift_limits_are_counted_before_anything_is_rendered() -> None:
    many_choices = "Q {=b " + "~a " * 100_000 + "}\n"  # 100k choices: 30 s and more
    assert "(MAX_TEXT_BYTES)" in quiz_problem(many_choices)
    assert "kuis.gift:5: Choices or answers of one question: 51" in quiz_problem(
        "Q {=b " + "~a " * 50 + "}\n"
    )
    questions = "S{T}\n\n" * 20_000  # 20k questions: 12.8 s
    assert "kuis.gift:1005: Questions: 20000" in quiz_problem(questions)
    assert "(MAX_QUESTIONS)" in quiz_problem(questions)
    bank = "".join(f"S{n} {{=a ~b ~c ~d ~e}}\n\n" for n in range(401))
    assert "kuis.gift:805: Choices, answers and pairs of the whole quiz: 2005" in (
        quiz_problem(bank)
    )
    aiken = "".join(f"Soal {n}\nA) a\nB) b\nANSWER: A\n" for n in range(501))
    assert "kuis.aiken:2005: Questions: 501" in quiz_problem(aiken, "kuis.aiken")


def test_a_limit_passed_in_one_question_text_is_reported_at_its_line() -> None:
    source = (
        "Q1 {T}\n\nQ2 [html]" + "<i>" * 40 + " {T}\n\n::q3:: Q3 {=a ~" + ("<b>" * 40)
    )
    with pytest.raises(ContentError) as info:
        parse_gift(source + "}\n", "kuis.gift")
    assert [str(p) for p in info.value.problems] == [
        "kuis.gift:3: Nested 33 levels deep; the limit is 32 levels (MAX_NESTING).",
        "kuis.gift:5: Nested 33 levels deep; the limit is 32 levels (MAX_NESTING).",
    ]


def test_front_matter_nesting_and_many_keys_read_in_bounded_time() -> None:
    deep = "---\ntitle: a\nobjectives: " + "[" * 5_000 + "]" * 5_000 + "\n---\n"
    with finishes_within(2.0), pytest.raises(ContentError, match="MAX_NESTING"):
        split_front_matter(deep, "materi.md")  # PyYAML: seconds, then RecursionError
    keys = "".join(f"k{n}: 1\n" for n in range(15_000))
    text = f"---\n{keys}---\n"
    meta, _, _ = split_front_matter(text, "materi.md")
    with finishes_within(2.0), pytest.raises(ContentError) as info:
        validate_meta(meta, {}, "materi.md", text)
    assert info.value.problems[-1].line == 15_001


def test_html_and_moodle_texts_have_the_same_limits() -> None:
    for fmt in ("html", "moodle"):
        with pytest.raises(LimitError, match="MAX_NESTING"):
            render_text("<span>" * 33, fmt)
        with pytest.raises(LimitError, match="MAX_TEXT_BYTES"):
            render_text("a" * (limits.MAX_TEXT_BYTES + 1), fmt)
    assert render_text("<span>" * 32, "html").count("<span>") == 32


# What real authors write still renders.


def test_ordinary_markdown_within_the_limits_renders() -> None:
    autolinks = "\n".join(
        f"<https://x.id/{n}> dan <nama{n}@bkn.go.id>" for n in range(50)
    )
    assert render_markdown(autolinks).count("<a ") == 100
    code = 'Tulis `<div>` atau ``<span class="a">` ``.\n\n' * 40
    assert "&lt;div&gt;" in render_markdown(code)
    assert "<b>x</b>" in render_markdown("<!-- catatan\nbeberapa baris -->\n<b>x</b>")
    nested = "".join("    " * i + f"- {i}\n" for i in range(32))
    assert render_markdown(nested).count("<ul>") == 32
    assert "<pre><code" in render_markdown("```python\nif a < b:\n    pass\n```\n")
    assert "<h1" in render_markdown("# a\n\n" * 500)


# The readers stay fast where a text is large but within every limit.


@pytest.mark.parametrize(
    "piece", ["**a** ", "\\\\", "&amp; ", "<span>a</span> ", "<b><i></b></i>"]
)
def test_a_longest_paragraph_renders_in_bounded_time(piece: str) -> None:
    paragraph = piece * (limits.MAX_BLOCK_CHARS // len(piece) - 1)
    with finishes_within(4.0):
        render_markdown(paragraph)


def test_a_long_run_of_siblings_is_sanitized_in_linear_time() -> None:
    # html5lib's walker looked each element's place up among its siblings: 10 s for this.
    rows = "<ul>" + "<li><b>x</b></li>" * 10_000 + "</ul>"
    with finishes_within(5.0):
        clean = sanitize_html(rows)
    assert clean.count("<li><b>x</b></li>") == 10_000


def test_the_linear_walker_gives_the_stock_walkers_output() -> None:
    from bleach import html5lib_shim

    from lms.content import render
    from tests.test_sanitize import _shared_payloads

    stock = render._cleaner()
    stock.walker = html5lib_shim.getTreeWalker("etree")
    samples = _shared_payloads() + [
        "<table><tr><td><b>a</b></td></tr><tr><td>b<i>c</i></td></tr></table>",
        "<ul><li><p>a</p><ul><li><em>b</em></li></ul></li><li>c</li></ul>",
        "<div><p>a<br>b</p><!-- x --><p><a href='javascript:1'>c</a></p></div>x",
    ]
    for sample in samples:
        assert sanitize_html(sample) == stock.clean(sample), sample
