"""Arbitrary Unicode through the loaders, the splitter and the claim finder.

Whatever the text (right-to-left scripts, combining marks, emoji, NUL, CR/LF mixes, very long
lines, no punctuation at all), these functions either return spans that are exact, ordered,
non-overlapping slices of the text, or raise a WorkbenchError: never another exception.
The "ci" profile (conftest.py) runs a few dozen examples each; HYPOTHESIS_PROFILE=slow runs
2,000, and the @slow tests add longer documents.
"""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from workbench.core.article.load import Article, article_from_html, article_from_text
from workbench.core.article.segment import sentence_spans
from workbench.core.claims.finder import find_claims
from workbench.core.errors import WorkbenchError

# Characters that have broken text tools before: line and paragraph separators of every kind,
# NUL and other controls, bidi controls, combining marks, zero-width joiners, surrogates'
# neighbours, emoji with modifiers, and sentence marks of several scripts.
AWKWARD = [
    "\x00", "\r", "\n", "\r\n", "\x0b", "\x0c", "\x1c", "\x85", "\u2028", "\u2029", "\t",
    "\u200b", "\u200d", "\u200e", "\u200f", "\u202e", "\u2066", "\ufeff", "\ufffd",
    "\u0301", "\u0327", "\u05b7", "\u0651", "e\u0301", "👍🏽", "👩‍👩‍👧", "🇺🇦", "\U0010fffd",
    ".", "...", "…", "?!", "。", "؟", "۔", "।", "«", "»", "“", "”", "‘", "’", '"', "'",
    "(", ")", "[", "]", "Mr.", "U.S.", "3.5", "No.", "e.g.", "http://example.org/a?b=1.",
    "https://", "<", ">", "&amp;", ";", ":", " - ", " — ", "*  *  *", "•", "1.", "a)",
]  # fmt: skip
WORDS = [
    "Russia", "said", "sixty", "targets", "were", "hit", "on", "Friday", "the", "minister",
    "said", "according", "to", "police", "42%", "1,200", "2015", "“aiding extremists”",
    "مرحبا", "بالعالم", "שלום", "עולם", "Привет", "мир", "你好", "世界", "नमस्ते", "Ελλάδα",
]  # fmt: skip

pieces = st.one_of(
    st.sampled_from(AWKWARD),
    st.sampled_from(WORDS),
    st.just(" "),
    st.text(min_size=1, max_size=8),  # anything at all, including unassigned code points
)


@st.composite
def documents(draw: st.DrawFn, max_pieces: int = 80) -> str:
    """Text from awkward pieces, sometimes with one piece repeated into a very long line."""
    parts: list[str] = draw(st.lists(pieces, max_size=max_pieces))
    if parts and draw(st.booleans()):
        at = draw(st.integers(0, len(parts) - 1))
        parts[at] = parts[at] * draw(st.integers(50, 2_000))
    return "".join(parts)


any_text = st.one_of(documents(), st.text(max_size=300))


def assert_spans_exact(text: str, spans: Sequence[tuple[int, int]]) -> None:
    previous_end = 0
    for start, end in spans:
        assert 0 <= previous_end <= start < end <= len(text), (start, end, previous_end)
        previous_end = end


def assert_article_consistent(article: Article) -> None:
    assert isinstance(article.text, str) and isinstance(article.title, str)
    for link in article.links:
        assert 0 <= link.start < link.end <= len(article.text), link
        assert article.text[link.start : link.end] == link.text, link


@given(any_text)
def test_sentence_spans_are_exact_ordered_and_trimmed(text: str) -> None:
    spans = sentence_spans(text)
    assert_spans_exact(text, spans)
    for start, end in spans:
        assert not text[start].isspace() and not text[end - 1].isspace(), (start, end)


@given(any_text)
def test_find_claims_pins_every_claim_to_its_exact_text(text: str) -> None:
    claims = find_claims(text)
    assert_spans_exact(text, [(c.start, c.end) for c in claims])
    for claim in claims:
        assert text[claim.start : claim.end] == claim.text
        assert 0.0 <= claim.score <= 1.0
        for quote in claim.quotes:
            assert 0 <= quote.start <= quote.end <= len(text), quote


@given(any_text, st.sampled_from([None, "https://example.org/story"]))
def test_article_from_text_loads_or_says_why(text: str, url: str | None) -> None:
    try:
        article = article_from_text(text, url=url)
    except WorkbenchError as exc:
        assert str(exc) and "\n" not in str(exc)
        return
    assert_article_consistent(article)
    assert article.text.strip()


html_pieces = st.one_of(
    pieces,
    st.sampled_from(
        [
            "<p>", "</p>", "<div>", "</div>", "<br>", "<h1>", "</h1>", "<b>", "</b>",
            '<a href="https://example.org/x">', '<a href="/rel?q=1&amp;r=2">', "</a>",
            "<script>var x = 1 < 2;</script>", "<style>p{}</style>", "<!-- c -->", "<![CDATA[x]]>",
            '<meta charset="utf-8">', "<title>T</title>", "<table><tr><td>", "</td></tr></table>",
            "<article>", "</article>", "<nav>", "</nav>", "&nbsp;", "&#0;", "&#x1F600;", "<",
        ]
    ),
)  # fmt: skip


@st.composite
def html_documents(draw: st.DrawFn) -> str:
    body = "".join(draw(st.lists(html_pieces, max_size=60)))
    if draw(st.booleans()):
        return f"<!DOCTYPE html><html><head><title>T</title></head><body>{body}</body></html>"
    return body


@given(st.one_of(html_documents(), st.text(max_size=200)), st.booleans())
# Found by the slow profile: a control character after a dropped <script> made lxml raise.
@example("<html><body><script>var x = 1 < 2;</script>\x1f</body></html>", False)
@example("<p>Form\x0cfeed and NUL\x00 inside a sentence of text.</p>", True)
# Found by the ci profile: nested links with no text yet closed the wrong mark.
@example('<a href="https://example.org/x"><p><a href="https://example.org/x">\u200b', False)
def test_article_from_html_loads_or_says_why(html: str, as_bytes: bool) -> None:
    try:
        article = article_from_html(html.encode("utf-8", "surrogatepass") if as_bytes else html)
    except WorkbenchError as exc:
        assert str(exc) and "\n" not in str(exc)
        return
    assert_article_consistent(article)


@pytest.mark.slow
@given(documents(max_pieces=2_000))
def test_long_documents_split_exactly(text: str) -> None:
    assert_spans_exact(text, sentence_spans(text))
    claims = find_claims(text)
    assert all(text[c.start : c.end] == c.text for c in claims)
