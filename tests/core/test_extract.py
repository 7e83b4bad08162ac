"""Readable text, link offsets and metadata from HTML pages."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from workbench.core.article import extract
from workbench.core.article.extract import Page, extract_page, parse_date, render_body

DATA = Path(__file__).resolve().parent.parent / "data" / "articles"
PAGE_URL = "https://gazette.example.org/2016/03/ceasefire-talks-stall/"

BODY_PARAGRAPHS = (
    "Negotiators in Geneva suspended the second round of talks on Monday",
    "The envoy said both delegations had agreed to return within ten days",
    "Local monitors counted at least forty-two strikes",
    "“We are not going to negotiate while our neighbourhoods are being bombed,”",
    "Diplomats expect the talks to resume before the end of the month",
)
BOILERPLATE = (
    "The Example Gazette",  # site header and footer
    "Politics",  # navigation
    "Subscribe",
    "Share on Twitter",  # share buttons
    "Email this story",
    "Related stories",  # related-story list
    "Truce holds in the south",
    "Most read",  # sidebar
    "Newsletter",
    "Sign up for our daily briefing",
    "thoughts on",  # comment section
    "Great reporting",
    "Pingback",
    "Weekly roundup",
    "Leave a Reply",
    "Your email address will not be published",
    "Privacy policy",  # footer
    "All rights reserved",
    "By Maria Lopez",  # the byline is metadata, not body
)


@pytest.fixture(autouse=True)
def no_internet(monkeypatch: pytest.MonkeyPatch) -> None:
    """Extraction must never fetch: any outgoing connection fails the test."""

    def refuse(self: socket.socket, address: object) -> None:
        raise AssertionError(f"extraction tried to connect to {address!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)


def boilerplate_page() -> str:
    return (DATA / "boilerplate.html").read_text(encoding="utf-8")


def assert_links_point_into_text(page: Page) -> None:
    for link in page.links:
        assert 0 <= link.start < link.end <= len(page.text)
        assert page.text[link.start : link.end] == link.text
        assert link.text == link.text.strip()


def assert_only_the_body(page: Page) -> None:
    for paragraph in BODY_PARAGRAPHS:
        assert paragraph in page.text
    for junk in BOILERPLATE:
        assert junk not in page.text, junk
    # One block per paragraph, separated by exactly one blank line.
    assert len(page.text.split("\n\n")) == len(BODY_PARAGRAPHS)
    assert "\n\n\n" not in page.text
    assert page.text == page.text.strip()


def assert_body_links(page: Page) -> None:
    assert_links_point_into_text(page)
    assert [(link.text, link.href) for link in page.links] == [
        (
            "a statement from the United Nations",
            "https://press.example.org/en/2016/sc12284.doc.htm",
        ),
        ("convoys were blocked", "https://gazette.example.org/2016/02/aid-convoys-blocked/"),
    ]


def test_trafilatura_keeps_only_the_body() -> None:
    page = extract_page(boilerplate_page(), url=PAGE_URL)
    assert page.how == "trafilatura"
    assert_only_the_body(page)
    assert_body_links(page)


def test_metadata_of_the_boilerplate_page() -> None:
    page = extract_page(boilerplate_page(), url=PAGE_URL)
    assert page.title == "Ceasefire Talks Stall as Shelling Resumes"
    assert page.author == "Maria Lopez"
    assert page.published == "2016-03-14"
    assert page.url == PAGE_URL
    # The headline is the title, not the first paragraph of the body.
    assert not page.text.startswith("Ceasefire Talks Stall")


def test_fallback_removes_boilerplate_when_trafilatura_finds_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(extract, "_run_trafilatura", lambda *args, **kwargs: None)
    page = extract_page(boilerplate_page(), url=PAGE_URL)
    assert page.how == "fallback"
    assert_only_the_body(page)
    assert_body_links(page)
    # Metadata comes from og:title, JSON-LD and article:published_time instead.
    assert page.title == "Ceasefire Talks Stall as Shelling Resumes"
    assert page.author == "Maria Lopez"
    assert page.published == "2016-03-14"


def test_fallback_metadata_order(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(extract, "_run_trafilatura", lambda *args, **kwargs: None)
    body = "<p>The council voted on Tuesday to close the old library.</p>"
    only_title = f"<html><head><title>Library Closes | Town News</title></head><body>{body}"
    with_h1 = only_title.replace("<p>", "<h1>Library To Close</h1><p>")
    with_og = with_h1.replace("<head>", '<head><meta property="og:title" content="OG Title">')
    assert extract_page(only_title).title == "Library Closes"
    assert extract_page(with_h1).title == "Library To Close"
    assert extract_page(with_og).title == "OG Title"

    dated = (
        '<html><head><meta name="author" content="Sam Reed"></head><body><article>'
        '<time datetime="2019-05-02T10:00:00Z">2 May</time>' + body + "</article></body></html>"
    )
    page = extract_page(dated)
    assert (page.author, page.published) == ("Sam Reed", "2019-05-02")
    assert page.text == "2 May\n\nThe council voted on Tuesday to close the old library."


def test_publication_date_after_the_capture_is_refused() -> None:
    html = boilerplate_page()
    assert extract_page(html, max_date="2016-03-20").published == "2016-03-14"
    # Captured on 1 March, the page cannot have been published on the 14th; htmldate may still
    # offer a coarser date (the month), but never one after the capture.
    bounded = extract_page(html, max_date="2016-03-01").published
    assert bounded is None or bounded <= "2016-03-01"


def test_a_year_in_the_text_is_not_the_publication_date() -> None:
    body = (
        "<article><h1>Harbour budget</h1><p>The council approved the harbour budget in 2024 after "
        "a long debate. Several councillors objected to the plan, which raises the levy on every "
        "household in the town.</p><p>Residents will see the change on their next bill.</p>"
        "<footer>© 1998-2024 Example Gazette</footer></article>"
    )
    undated = f"<html><head><title>Harbour budget</title></head><body>{body}</body></html>"
    assert extract_page(undated).published is None
    # A page that says it came out on New Year's Day keeps the date.
    dated = undated.replace(
        "<head>", '<head><meta property="article:published_time" content="2024-01-01T09:00:00Z">'
    )
    assert extract_page(dated).published == "2024-01-01"
    # So does one whose address gives the day.
    assert extract_page(undated, url="https://example.org/2024/01/01/budget").published == (
        "2024-01-01"
    )


def test_page_of_only_navigation_has_no_body() -> None:
    html = (
        "<html><head><title>Menu</title></head><body><header><a href='/'>Home</a></header>"
        "<nav><a href='/a'>About</a> <a href='/b'>Contact</a></nav>"
        "<footer>© 2020 Example</footer></body></html>"
    )
    page = extract_page(html)
    assert (page.text, page.links, page.how) == ("", (), "none")


@pytest.mark.parametrize("html", ["", "   ", "<html></html>", "<html><body> </body></html>"])
def test_empty_input_gives_no_body(html: str) -> None:
    page = extract_page(html)
    assert (page.text, page.how) == ("", "none")


def test_a_url_string_is_treated_as_text_never_fetched() -> None:
    # htmldate fetches strings that look like URLs; extract_page must hand it a tree instead.
    assert extract_page("https://example.com/article").text == "https://example.com/article"


def test_xml_declaration_with_encoding_is_accepted() -> None:
    html = (
        "<?xml version='1.0' encoding='iso-8859-1'?><html><body><p>Café au lait.</p></body></html>"
    )
    assert extract_page(html).text == "Café au lait."


def test_render_body_collapses_whitespace_and_records_link_offsets() -> None:
    root = extract._parse(
        "<html><body><div><h1>Title</h1><p>  One  <a href='/x'> linked\n <b>words</b> </a>"
        "and <a href='javascript:void(0)'>script</a> <a href='#top'>anchor</a>.<br>Next"
        " line.</p><ul><li>first <a href='http://b.example/'>b</a></li><li>second</li></ul>"
        "</div></body></html>"
    )
    assert root is not None
    text, links = render_body(root, base_url="https://site.example/dir/page", skip_title="Title")
    assert text == "One linked words and script anchor.\nNext line.\n\nfirst b\n\nsecond"
    assert [(link.text, link.href) for link in links] == [
        ("linked words", "https://site.example/x"),
        ("b", "http://b.example/"),
    ]
    for link in links:
        assert text[link.start : link.end] == link.text


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2015-10-11", "2015-10-11"),
        ("2015-10-11T08:30:00+02:00", "2015-10-11"),
        ("October 11, 2015", "2015-10-11"),
        ("Oct. 11, 2015", "2015-10-11"),
        ("Sunday, October 11th, 2015", "2015-10-11"),
        ("11 October 2015", "2015-10-11"),
        ("1 Sept 2016", "2016-09-01"),
        ("February 30, 2015", None),
        ("Smarch 3, 2015", None),
        ("yesterday", None),
    ],
)
def test_parse_date(value: str, expected: str | None) -> None:
    assert parse_date(value) == expected


_LONG_PARAGRAPHS = "".join(
    f"<p>Paragraph {i}: the council voted on the harbour budget and the bridge loan, "
    f"and the treasurer explained the levy in detail to the residents present.</p>"
    for i in range(1, 7)
)


def test_a_body_wrapped_in_one_form_is_read_not_refused() -> None:
    # ASP.NET pages put the whole page, article included, inside <form id="aspnetForm">.
    html = (
        "<html><head><title>Budget vote</title></head><body><form id='aspnetForm' method='post'>"
        "<nav><a href='/'>Home</a><a href='/news'>News</a></nav>"
        f"<div id='content'><h1>Budget vote</h1>{_LONG_PARAGRAPHS}</div>"
        "<footer>Copyright</footer></form></body></html>"
    )
    page = extract_page(html, url=PAGE_URL)
    assert page.how != "none"
    assert "Paragraph 1: the council voted" in page.text
    assert "Paragraph 6: the council voted" in page.text


def test_a_small_form_is_still_boilerplate() -> None:
    html = (
        "<html><body><form><input name='q'><button>Search</button></form>"
        "<nav><a href='/'>Home</a></nav></body></html>"
    )
    assert extract_page(html, url=PAGE_URL).how == "none"


def test_react_comment_markers_do_not_drop_text() -> None:
    # React server rendering puts "<!-- -->" between adjacent text nodes (nytimes-3 of the
    # extraction set lost "water and sewer mains." and a dozen other sentence ends this way).
    filler = "".join(
        f"<p class='css-1ygdjhk'>\n  Paragraph {i} of the report describes the water mains of "
        "the city, which date from the last century and leak in the winter months, the "
        "officials said.\n</p>\n"
        for i in range(1, 9)
    )
    marked = (
        "<p class='css-1ygdjhk'>\n  The city is also replacing older, leak-prone "
        "<!-- -->water and sewer mains.\n</p>\n"
    )
    html = (
        "<html><head><title>Water mains</title></head><body><div id='app'><header><nav>"
        "<a href='/'>Home</a></nav></header><main><article><h1>Water mains</h1>"
        f"<section name='articleBody'><div class='css-53u6y8'>{filler}{marked}{filler}</div>"
        "</section></article></main><footer>Footer</footer></div></body></html>"
    )
    page = extract_page(html, url=PAGE_URL)
    assert "The city is also replacing older, leak-prone water and sewer mains." in page.text


def _blog_post(link: str) -> str:
    """A blog post body as Blogger writes it (text and <br>s straight in a div), where
    trafilatura, keeping links, trims the text after each link."""
    fill = (
        "They have a mixed signal fabric with an ADC, DACs, comparators and voltage references, "
        "plus a digital fabric and some typical digital peripherals like counters. "
    )
    return f"""<html><head><title>Open Verilog flow for GreenPak4</title></head><body>
<div class='post-body entry-content'>
I wrote posts for <a href="http://blog.example.com/work">the blog at work</a> so I am late.<br />
<br />
<h2>So what's a GreenPak?</h2>
<br /> Silego Technology is a fabless semiconductor company. Their {link} just announced.<br />
<br /> {fill * 3}<br />
<br /> {fill * 3}<br />
</div></body></html>"""


def test_the_space_after_a_link_is_kept() -> None:
    page = extract_page(_blog_post('<a href="http://www.example.com/g5">new parts</a> were'))
    assert "the blog at work so I am late" in page.text
    assert "new parts were just announced" in page.text
    link = next(link for link in page.links if link.text == "new parts")
    assert page.text[link.start : link.end] == "new parts"


def test_a_word_glued_to_a_link_in_the_page_stays_glued() -> None:
    page = extract_page(_blog_post('<a href="http://www.example.com/g5">new part</a>s were'))
    assert "new parts were just announced" in page.text


def _section_page(headline_tag: str) -> str:
    body = " ".join(
        f"Paragraph {i}: children who ate peanut foods early were far less likely to develop "
        "an allergy by the age of five, the researchers reported in the journal."
        for i in range(8)
    )
    return f"""<html><head><title>Babies Who Eat Peanuts Early May Avoid Allergy | WebMD</title>
</head><body><h1>Allergies Health Center</h1><div class="article">
<{headline_tag}>Babies Who Eat Peanuts Early May Avoid Allergy</{headline_tag}>
<p>{body}</p></div></body></html>"""


def test_the_headline_wins_over_a_section_name_in_h1() -> None:
    page = extract_page(_section_page("h2"))
    assert page.title == "Babies Who Eat Peanuts Early May Avoid Allergy"
    assert not page.text.startswith("Babies Who Eat")  # the title stays out of the body


def test_a_title_no_heading_repeats_does_not_replace_the_h1() -> None:
    page = extract_page(_section_page("p"))
    assert page.title == "Allergies Health Center"
