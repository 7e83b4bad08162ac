"""Evidence: passages of a source ranked against a claim, and quotations checked against it."""

from __future__ import annotations

import random
import re
import time
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from workbench.core.errors import InvalidInputError
from workbench.core.sources.evidence import (
    check_quote,
    rank_passages,
    split_passages,
    term_spans,
)
from workbench.core.sources.warc import read_warc

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data"


def _text(html: bytes, selector: str | None) -> str:
    soup = BeautifulSoup(html, "lxml")
    node = soup.select_one(selector) if selector else soup
    assert node is not None
    return node.get_text("\n")


@pytest.fixture(scope="module")
def pages() -> dict[str, str]:
    """The sample sources as plain text of their main content, as an extractor would give."""
    snapshots = read_warc(SAMPLE / "cited-pages.warc.gz")
    return {s.original_url: _text(s.body, "main") for s in snapshots}


@pytest.fixture(scope="module")
def whole_pages() -> dict[str, str]:
    """The sample sources with menus, cookie banners and footers left in (a rough extraction)."""
    snapshots = read_warc(SAMPLE / "cited-pages.warc.gz")
    return {s.original_url: _text(s.body, None) for s in snapshots}


MINUTES = "http://council.example.org/meetings/2026-03-03/minutes"
STUDY = "http://www.example.com/ridgeway-engineering/reports/millbrook-bridge-feasibility"
INTERVIEW = "http://news.example.net/coastal-courier/2026/03/06/mayor-reyes-interview"
STATS = "http://stats.example.org/regional-statistics/harbour-town/population"
ESTUARY = "http://www.example.org/friends-of-millbrook-estuary/news/bridge-statement"
FUND = "http://www.example.com/regional-transport-fund/awards/2026"


# --- passages -----------------------------------------------------------------------------------


def test_passages_are_lines_with_offsets_into_the_text():
    text = "  First paragraph is long enough to stand on its own, surely.\nSecond one is also quite long enough to stand alone.\n"
    passages = split_passages(text)
    assert [p.text for p in passages] == [
        "First paragraph is long enough to stand on its own, surely.",
        "Second one is also quite long enough to stand alone.",
    ]
    for p in passages:
        assert text[p.start : p.end] == p.text


def test_blank_lines_separate_paragraphs_in_hard_wrapped_text():
    text = "A hard-wrapped paragraph that goes on\nto a second line of the same thought.\n\nAnother paragraph, wrapped\nover two lines as well, to be sure.\n"
    passages = split_passages(text)
    assert len(passages) == 2
    assert passages[0].text.endswith("same thought.")


def test_short_lines_join_the_paragraph_after_them():
    text = "Traffic\nAutomatic counts recorded an average of 9,800 vehicles a day on the detour."
    (passage,) = split_passages(text)
    assert passage.text == text


def test_long_paragraphs_become_overlapping_sentence_windows():
    sentences = [f"Sentence number {i} says something about the bridge budget." for i in range(12)]
    sentences[3] = "Cllr. Oduya asked for a deferral, which Mr. Reyes refused."
    text = " ".join(sentences)
    passages = split_passages(text)
    assert len(passages) > 1
    assert all(len(p.text) <= 600 for p in passages)
    assert all(text[p.start : p.end] == p.text for p in passages)
    # windows of three sentences sharing one: every sentence is in some window
    assert all(any(s in p.text for p in passages) for s in sentences)
    assert passages[0].end > passages[1].start  # overlap
    # abbreviations do not end a sentence
    assert not any(p.text.startswith("Oduya") or p.text.startswith("Reyes") for p in passages)


# --- ranking ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "claim", "expected"),
    [
        (
            MINUTES,
            "The budget was passed by seven votes to two.",
            "carried, with 7 votes in favour and 2 against",
        ),
        (  # the article's whole sentence: "3. Date of next meeting … 7 April" came first
            MINUTES,
            "The budget was passed by seven votes to two at a full council meeting on 3 March, "
            "according to the published minutes of the meeting.",
            "carried, with 7 votes in favour and 2 against",
        ),
        (
            STUDY,
            "An engineering study found that the new bridge would carry 14,000 vehicles a day.",
            "12,400 vehicles a day in its opening year",
        ),
        (STUDY, "It would have a design life of 60-70 years.", "design life of 60-70 years"),
        (
            STATS,
            "Harbour Town’s population has risen by 4.2 per cent since 2020, to 31,250.",
            "grown by 4.2% since mid-2020",
        ),
        (
            ESTUARY,
            "The Friends of Millbrook Estuary said that “the current design would destroy the "
            "oystercatcher nesting grounds at Salt Point for years to come.”",
            "could damage the oystercatcher",
        ),
        (
            FUND,
            "The Regional Transport Fund has confirmed a grant of £12 million towards the project.",
            "awarded a grant of £12 million towards",
        ),
        (
            INTERVIEW,
            "“We will not be borrowing a single pound more than we can repay from the harbour "
            "levy,” he said.",
            "repay from the harbour levy over thirty years",
        ),
    ],
)
def test_the_passage_a_claim_rests_on_ranks_first(pages, url, claim, expected):
    ranked = rank_passages(claim, pages[url])
    assert ranked, "no passage matched"
    top = ranked[0]
    assert expected in " ".join(top.text.split())
    assert pages[url][top.start : top.end] == top.text
    assert len(ranked) <= 5
    assert [r.score for r in ranked] == sorted((r.score for r in ranked), reverse=True)


@pytest.mark.parametrize(
    ("url", "claim", "expected"),
    [
        (MINUTES, "The budget was passed by seven votes to two.", "7 votes in favour"),
        (STUDY, "The new bridge would carry 14,000 vehicles a day.", "12,400 vehicles a day"),
        (STATS, "The population has risen by 4.2 per cent since 2020.", "grown by 4.2%"),
        (ESTUARY, "The current design would destroy the nesting grounds.", "could damage"),
    ],
)
def test_page_boilerplate_does_not_outrank_the_passage(whole_pages, url, claim, expected):
    assert expected in rank_passages(claim, whole_pages[url])[0].text


def test_matched_terms_can_be_highlighted(pages):
    top = rank_passages("the new bridge would carry 14,000 vehicles a day", pages[STUDY])[0]
    assert {"vehicl", "day", "bridg", "carry"} <= set(top.terms)
    words = {top.text[s:e].lower() for s, e in term_spans(top.text, top.terms)}
    assert {"vehicles", "day", "bridge", "carry"} <= words
    assert "the" not in words and "a" not in words


def test_numbers_are_terms_in_their_usual_spellings():
    source = (
        "The hall seats 1,000 people on most nights of the year.\n"
        "Its roof should last 60–70 years, the surveyor thinks.\n"
        "Costs rose by 12 per cent last year, said the finance officer.\n"
        "The council spent £4.2m on the swimming pool in the park.\n"
    )
    assert "1,000" in rank_passages("a hall for 1000 people", source, k=1)[0].text
    assert "60–70" in rank_passages("60-70 years", source, k=1)[0].text
    assert "12 per cent" in rank_passages("a 12% rise", source, k=1)[0].text
    top = rank_passages("4.2 million", source, k=1)[0]
    assert "£4.2m" in top.text
    assert set(top.terms) == {"4.2", "million"}
    assert term_spans("£4.2m and 60–70", ["60-70", "million"]) == [(4, 5), (10, 15)]


def test_dates_are_one_term_and_list_numbers_are_not_figures():
    source = (
        "1. Minutes of the last meeting\n\n"
        "The minutes of the meeting were agreed without comment by all members present.\n\n"
        "3. Date of next meeting\n\n"
        "The next full meeting of the council will be held on Tuesday 7 April 2026.\n\n"
        "4. Budget\n\n"
        "At the meeting on 3rd of March the budget passed after a debate of two hours.\n"
    )
    top = rank_passages("The budget passed at a full meeting on 3 March.", source)[0]
    assert "3rd of March" in top.text
    assert "03-03" in top.terms
    spans = [top.text[a:b] for a, b in term_spans(top.text, top.terms)]
    assert "3rd of March" in spans
    assert rank_passages("March 3", source, k=1)[0].text == top.text  # either order
    # A claim about the number 3 does not meet the 3 of a date or of a heading.
    assert rank_passages("3 councillors", "3. Section\n\nHeld on 3 May.\n") == []
    # ... nor does "seven" meet "7 April".
    assert all("7 April" not in r.text for r in rank_passages("seven members met", source))


def test_a_name_shared_with_the_claim_outweighs_common_words():
    source = (
        "The council said the bridge budget had been scrutinised.\n\n"
        "Ada Pennington told members it had been carefully scrutinised.\n"
    )
    claim = (
        "In the debate, Ada Pennington said the council's bridge budget was carefully scrutinised."
    )
    assert rank_passages(claim, source)[0].text.startswith("Ada Pennington")


def test_word_forms_meet_and_stopwords_do_not_count():
    first = (
        "Councillors voted on the budget after a long debate in which every member of the "
        "finance committee spoke at least once."
    )
    second = (
        "The weather was fine and sunny all week long here, and the beaches were busier than "
        "they have been at any time since last summer."
    )
    top = rank_passages("the council is voting on budgets", f"{first}\n{second}\n")
    assert len(top) == 1 and top[0].text == first
    assert set(top[0].terms) == {"vot", "budget"}  # "council" is not "councillors"
    assert rank_passages("the and of to with", first) == []
    assert rank_passages("", first) == []


def test_ranking_is_deterministic_and_ties_go_to_the_earlier_passage():
    source = "\n".join(["A note about the harbour bridge and its repairs."] * 4)
    first = rank_passages("harbour bridge", source, k=3)
    assert first == rank_passages("harbour bridge", source, k=3)
    assert [r.start for r in first] == sorted(r.start for r in first)
    assert len({r.score for r in first}) == 1


# --- quotations ---------------------------------------------------------------------------------


def test_verbatim_quote_with_curly_quotes_dashes_case_and_spacing(pages):
    quote = "“This is the largest single investment the council has made in a generation, and every penny of it has been scrutinised.”"
    check = check_quote(quote, pages[MINUTES])
    assert check.status == "verbatim"
    assert check.similarity == 1.0
    found = pages[MINUTES][check.start : check.end]
    assert found.startswith("This is the largest") and found.endswith("scrutinised")
    source = "He said: \"It's a  once-in-a-generation\nchance - don't waste it.\""
    check = check_quote("‘IT’S A ONCE–IN–A–GENERATION CHANCE — DON’T WASTE IT’", source)
    assert check.status == "verbatim"
    assert (
        source[check.start : check.end] == "It's a  once-in-a-generation\nchance - don't waste it"
    )


def test_misquote_differs_with_a_word_level_diff(pages):
    quote = "the current design would destroy the oystercatcher nesting grounds at Salt Point for years to come."
    check = check_quote(quote, pages[ESTUARY])
    assert check.status == "differs"
    assert 0.6 <= check.similarity < 1.0
    changes = [d for d in check.diff if d[0] != "equal"]
    assert changes == [("replace", "would destroy", "could damage")]
    assert " ".join(pages[ESTUARY][check.start : check.end].split()) == (
        "the current design could damage the oystercatcher nesting grounds at Salt Point for "
        "years to come"
    )
    # the diff rebuilds both texts
    assert " ".join(d[1] for d in check.diff) == quote.rstrip(".")


def test_quote_that_is_not_in_the_source_is_not_found(pages):
    check = check_quote("Anything that brings the buses back is good news for us.", pages[MINUTES])
    assert check.status == "not_found"
    assert check.start is None and check.end is None
    assert check.similarity < 0.6
    assert check.diff == ()


@pytest.mark.parametrize("ellipsis", ["…", "...", "[...]", "[…]", ". . ."])
def test_an_ellipsis_matches_the_words_left_out(pages, ellipsis):
    quote = f"We will not be borrowing a single pound more than we can repay from the harbour levy {ellipsis} and I have said so from the first day"
    check = check_quote(quote, pages[INTERVIEW])
    assert check.status == "verbatim"
    gaps = [d for d in check.diff if d[0] == "gap"]
    assert len(gaps) == 1 and " ".join(gaps[0][2].split()) == "over thirty years,"
    assert pages[INTERVIEW][check.start : check.end].endswith("from the\nfirst day")


def test_ellipsis_quote_with_a_changed_word_differs_and_keeps_the_gap(pages):
    quote = "We will not be borrowing a single penny more than we can repay … and I have said so from the first day"
    check = check_quote(quote, pages[INTERVIEW])
    assert check.status == "differs"
    ops = [d[0] for d in check.diff]
    assert "gap" in ops
    assert ("replace", "penny", "pound") in check.diff


def test_quoted_words_are_matched_whole():
    source = "The levying of fees was paused. Nobody objected to the levy."
    check = check_quote("the levy", source)
    assert check.status == "verbatim"
    assert source[check.start : check.end] == "the levy"
    assert check_quote("levy … fees", source).status != "verbatim"


def test_editorial_insertions_are_allowed():
    source = "Asked about the vote, she said it was a mistake that the town would regret."
    assert (
        check_quote("[The vote] was a mistake that the town would regret", source).status
        == "verbatim"
    )
    assert check_quote("[T]he town would regret [it]", source).status == "verbatim"
    assert (
        check_quote("It was a mistake [sic] that the town would regret", source).status
        == "verbatim"
    )


def test_quote_that_is_only_punctuation_is_refused():
    with pytest.raises(InvalidInputError):
        check_quote(" “…” ", "Some source text.")


def test_quote_check_stays_fast_on_a_200_kb_source():
    rng = random.Random(20260312)
    vocabulary = re.findall(
        r"\w+",
        "the council bridge harbour town budget said would could million year vote design new "
        "old street river estuary people meeting plan money levy road traffic report study",
    )
    paragraphs: list[str] = []
    while sum(len(p) + 2 for p in paragraphs) < 205_000:
        words = (rng.choice(vocabulary) for _ in range(rng.randint(20, 120)))
        paragraphs.append(" ".join(words).capitalize() + ".")
    statement = (
        "We are not against a new crossing, but the current design could damage the "
        "oystercatcher nesting grounds at Salt Point for years to come."
    )
    paragraphs.insert(len(paragraphs) * 2 // 3, statement)
    source = "\n\n".join(paragraphs)
    assert len(source) > 200_000
    timings = {}
    started = time.perf_counter()
    exact = check_quote(statement, source)
    timings["verbatim"] = time.perf_counter() - started
    started = time.perf_counter()
    changed = check_quote(statement.replace("could damage", "would destroy"), source)
    timings["differs"] = time.perf_counter() - started
    started = time.perf_counter()
    missing = check_quote("the mayor denied every word of the report on the harbour", source)
    timings["not_found"] = time.perf_counter() - started
    started = time.perf_counter()
    ranked = rank_passages("the current design would destroy the nesting grounds", source)
    timings["rank"] = time.perf_counter() - started
    print(
        f"200 KB source ({len(source)} chars): "
        + ", ".join(f"{name} {seconds * 1000:.0f} ms" for name, seconds in timings.items())
    )
    assert exact.status == "verbatim"
    assert changed.status == "differs"
    assert source[changed.start : changed.end] == statement.rstrip(".")
    assert missing.status == "not_found"
    assert ranked[0].text == statement


def test_quotations_checked_one_after_another_against_one_page_agree_with_fresh_checks(pages):
    """The page's word index is kept between quotations (a page is checked for every quotation
    of every claim citing it); reusing it must give exactly what a fresh index gives."""
    from workbench.core.sources import evidence

    source = next(iter(pages.values()))
    words = re.findall(r"\w+", source)
    rng = random.Random(7)
    quotes = []
    for _ in range(12):
        at = rng.randrange(0, len(words) - 20)
        quote = words[at : at + 16]
        quote[rng.randrange(16)] = "zebra"  # not verbatim: the approximate search runs
        quotes.append(" ".join(quote))
    reused = [check_quote(q, source) for q in quotes]
    fresh = []
    for q in quotes:
        evidence._source_tokens.cache_clear()
        fresh.append(check_quote(q, source))
    assert reused == fresh
    assert {r.status for r in reused} <= {"differs", "not_found"} and "differs" in {
        r.status for r in reused
    }
