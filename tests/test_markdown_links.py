"""The bounded link readers read every link as Python-Markdown does, in bounded time."""

from __future__ import annotations

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown.inlinepatterns import LINK_RE, LinkInlineProcessor

from lms.content.markdown_links import BoundedLinks, _Link
from lms.content.render import render_markdown
from tests.deadline import finishes_within

MD = markdown.Markdown()
MD.convert("x")  # unescaping an address needs the state of a conversion
ORIGINAL = LinkInlineProcessor(LINK_RE, MD)
BOUNDED = _Link(LINK_RE, MD)
LINKISH = st.text(alphabet="[]()\"' a\\<>\n", max_size=30)


@settings(max_examples=2000, deadline=None)
@given(LINKISH)
def test_link_text_ends_where_python_markdown_ends_it(data: str) -> None:
    for index in range(1, len(data) + 1):
        if data[index - 1] != "[":
            continue
        text, end, handled = BOUNDED.getText(data, index)
        expected_text, expected_end, expected_handled = ORIGINAL.getText(data, index)
        assert handled is expected_handled
        if handled:
            assert (text, end) == (expected_text, expected_end)


@settings(max_examples=2000, deadline=None)
@given(LINKISH)
def test_link_address_and_title_are_read_as_python_markdown_reads_them(
    data: str,
) -> None:
    for index, char in enumerate(data):
        if char != "(":
            continue
        href, title, end, handled = BOUNDED.getLink(data, index)
        expected = ORIGINAL.getLink(data, index)
        if expected[2] == -1:  # Python-Markdown's "link" ending at -1 drops the text
            assert not handled
        elif expected[3]:
            assert (href, title, end, handled) == expected
        else:
            assert not handled


@pytest.mark.parametrize(
    ("source", "html"),
    [
        ("[a](b)", '<p><a href="b">a</a></p>'),
        ('[a](b "judul")', '<p><a href="b" title="judul">a</a></p>'),
        ("[a](<b c>)", '<p><a href="b c">a</a></p>'),
        ("[a [b]](c(d))", '<p><a href="c(d)">a [b]</a></p>'),
        (
            "![gbr](a.png)",
            '<p><img alt="gbr" src="a.png" loading="lazy" decoding="async"></p>',
        ),
        ("[a][r]\n\n[r]: https://x.id", '<p><a href="https://x.id">a</a></p>'),
        ("[a](b", "<p>[a](b</p>"),
    ],
)
def test_links_render_as_before(source: str, html: str) -> None:
    assert render_markdown(source) == html
    plain = markdown.Markdown(extensions=["abbr"]).convert(source)
    bounded = markdown.Markdown(extensions=["abbr", BoundedLinks()]).convert(source)
    assert bounded == plain


@pytest.mark.parametrize(
    "piece", ["[a](", "[a](b) ", '[a]("', '[a](x"y) ', "[", "[[]", "[a][r] "]
)
def test_a_paragraph_of_links_reads_in_bounded_time(piece: str) -> None:
    # A 30,000-character paragraph of these took from 10 s to several minutes.
    paragraph = "[r]: /x\n\n" + piece * (30_000 // len(piece))
    with finishes_within(4.0):
        render_markdown(paragraph)
