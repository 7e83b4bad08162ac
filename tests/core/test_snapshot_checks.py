"""Copies that are not the evidence they seem: soft 404s, paywalls, consent walls, a deep link
that landed on the home page, pages with no text. Each flag is checked on a small realistic page,
and so is a page that looks similar but must not be flagged."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from workbench.core.article.model import Article
from workbench.core.claims.finder import find_claims
from workbench.core.project.store import Project
from workbench.core.sources.checks import FLAG_SENTENCES, check_snapshot
from workbench.core.sources.fetch import readable, store_snapshot, with_checks
from workbench.core.sources.snapshot import Snapshot
from workbench.gui.sources.review_model import warnings_for  # Qt-free, like core

CITED = "https://news.example.com/2024/03/01/ministry-denies-report"
WAYBACK = "https://web.archive.example.org/web/20240301120000/"

PARAGRAPHS = [
    "The ministry of health denied on Friday a report that hospital waiting lists had doubled "
    "since 2019, saying the figures quoted had mixed two different ways of counting patients.",
    "According to the ministry's own statistics, 412,000 people were waiting for planned "
    "treatment at the end of January, against 380,000 a year earlier, a rise of about 8 percent.",
    "The report, published by a patients' association, had put the number at 760,000. Its author "
    "said on Saturday that the association would publish the full method next week.",
    "Opposition politicians called for an independent review of how waiting times are measured, "
    "and the regional health boards said they would hand over their monthly data on request.",
    "A spokesperson for the association said the difference came from counting every referral, "
    "including patients who were waiting for a second appointment with the same specialist.",
    "Independent statisticians contacted by the newspaper said both numbers could be right, as "
    "long as readers were told which of the two measures each of them described.",
]


def page(
    body: str, *, title: str = "Ministry denies waiting list report | Example News", head: str = ""
) -> bytes:
    nav = "<nav><a href='/'>Home</a> <a href='/world'>World</a> <a href='/health'>Health</a></nav>"
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><title>{title}</title>{head}</head>"
        f"<body>{nav}{body}<footer>© Example News 2024</footer></body></html>"
    ).encode()


def article(paragraphs: list[str] = PARAGRAPHS, extra: str = "") -> str:
    ps = "".join(f"<p>{p}</p>" for p in paragraphs)
    return f"<article><h1>Ministry denies waiting list report</h1>{ps}{extra}</article>"


def snap(
    body: bytes,
    *,
    status: int = 200,
    archive_url: str | None = WAYBACK + CITED,
    content_type: str | None = "text/html",
    flags: tuple[str, ...] = (),
    note: str = "",
    archive: str = "wayback",
) -> Snapshot:
    return Snapshot(
        CITED,
        archive,
        archive_url,
        "2024-03-01T12:00:00Z",
        status,
        content_type,
        body,
        flags=flags,
        note=note,
    )


def flags_of(snapshot: Snapshot, cited: str = CITED) -> list[str]:
    found = readable(snapshot)
    checks = check_snapshot(snapshot, found.text, found.title, cited_url=cited)
    for _flag, sentence in checks:
        assert sentence and sentence[0].islower() and not sentence.endswith(".")  # a note clause
    return [flag for flag, _ in checks]


# ---- a real article stays unflagged ---------------------------------------------------------


def test_plain_article_has_no_flags() -> None:
    assert flags_of(snap(page(article()))) == []


def test_article_about_broken_links_mentions_404_without_being_one() -> None:
    text = [
        "When a newspaper moves its archive, old links answer 404 and readers see a page not "
        "found message instead of the story they were promised.",
        *PARAGRAPHS,
    ]
    body = page(article(text), title="Why '404 page not found' errors hide the evidence")
    assert flags_of(snap(body)) == []


@pytest.mark.parametrize(
    "headline",
    [
        "Missing plane not found after two weeks of searching",
        "404 migrants rescued off Lampedusa",
        "Cancer drug no longer available in pharmacies, ministry says",
    ],
)
def test_short_news_brief_with_error_like_headline_is_not_a_soft_404(headline: str) -> None:
    body = page(f"<article><h1>{headline}</h1><p>{PARAGRAPHS[0]}</p><p>{PARAGRAPHS[1]}</p>"
                "</article>", title=f"{headline} | Example News")  # fmt: skip
    assert flags_of(snap(body)) == []


# ---- soft 404 ------------------------------------------------------------------------------


def test_error_page_served_with_200_is_a_soft_404() -> None:
    body = page(
        "<main><h1>Page not found</h1><p>Sorry, the page you were looking for could not be "
        "found. It may have been moved or deleted.</p><p><a href='/'>Go to the home page</a></p>"
        "</main>",
        title="Page not found – Example News",
    )
    assert flags_of(snap(body)) == ["soft-404"]


def test_title_404_with_site_name_is_a_soft_404() -> None:
    body = page("<div class='error'><p>Oops. Try the search box.</p></div>", title="404 | Example")
    assert flags_of(snap(body)) == ["soft-404"]


def test_error_sentence_in_short_text_without_error_title() -> None:
    body = page(
        "<main><h2>Oops</h2><p>This article is no longer available. Browse our latest "
        "stories on the front page.</p></main>",
        title="Example News",
    )
    assert flags_of(snap(body)) == ["soft-404"]


def test_wayback_machine_not_archived_page_is_a_soft_404() -> None:
    body = page(
        "<div id='error'><h2>Hrm.</h2><p>The Wayback Machine has not archived that URL.</p>"
        "<p>Click here to search for all archived pages under news.example.com/2024/.</p></div>",
        title="Wayback Machine",
    )
    live = snap(body, archive="live", archive_url=None, flags=("live",))
    assert flags_of(live) == ["soft-404"]


def test_url_excluded_from_the_wayback_machine_is_a_soft_404() -> None:
    body = page(
        "<div><p>Sorry.</p><p>This URL has been excluded from the Wayback Machine.</p></div>",
        title="Wayback Machine",
    )
    assert flags_of(snap(body)) == ["soft-404"]


def test_archived_http_error_gets_a_sentence_and_no_second_flag() -> None:
    body = page("<h1>Not Found</h1><p>The requested URL was not found on this server.</p>")
    checks = check_snapshot(snap(body, status=404), "", "Not Found", cited_url=CITED)
    assert checks == [("archived-error", "the page already answered HTTP 404 when captured")]


def test_fetcher_note_about_the_error_is_not_repeated() -> None:
    note = "captured 2 days after the article; the page already answered HTTP 410 when captured"
    fetched = snap(b"gone", status=410, flags=("after-publication", "archived-error"), note=note)
    checked = with_checks(fetched, check_snapshot(fetched, "", "", cited_url=CITED))
    assert checked.flags == ("after-publication", "archived-error")
    assert checked.note == note


# ---- paywall -------------------------------------------------------------------------------


def paywall_json_ld(selector: str = ".paywall") -> str:
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": "Ministry denies waiting list report",
        "isAccessibleForFree": "False",
        "hasPart": {"@type": "WebPageElement", "isAccessibleForFree": "False", "cssSelector": selector},
    }  # fmt: skip
    return f"<script type='application/ld+json'>{json.dumps(data)}</script>"


def test_json_ld_paywall_whose_paid_part_is_missing() -> None:
    body = page(article(PARAGRAPHS[:1], "<div class='paywall'></div>"), head=paywall_json_ld())
    assert flags_of(snap(body)) == ["paywall"]


def test_json_ld_paywall_whose_paid_part_is_in_the_copy_is_not_flagged() -> None:
    hidden = "".join(f"<p>{p}</p>" for p in PARAGRAPHS[1:])
    body = page(
        article(PARAGRAPHS[:1], f"<div class='story-body paywall'>{hidden}</div>"),
        head=paywall_json_ld(),
    )
    assert flags_of(snap(body)) == []


@pytest.mark.parametrize(
    "prompt",
    [
        "<div class='piano-offer'><p>Subscribe to continue reading.</p>"
        "<p>Already a subscriber? <a href='/login'>Log in</a></p></div>",
        "<p>This article is for subscribers. Subscribe now to keep reading the full story "
        "and get unlimited access to Example News.</p>",
    ],
)
def test_subscribe_stub_with_a_short_lede_is_a_paywall(prompt: str) -> None:
    assert flags_of(snap(page(article(PARAGRAPHS[:2], prompt)))) == ["paywall"]


def test_login_link_in_the_header_of_a_full_article_is_not_a_paywall() -> None:
    header = "<header><a href='/login'>Already a subscriber? Sign in</a></header>"
    assert flags_of(snap(page(header + article()))) == []


def test_login_link_beside_a_short_item_is_not_a_paywall() -> None:
    header = "<header><a href='/login'>Already a subscriber? Sign in</a></header>"
    assert "paywall" not in flags_of(snap(page(header + article(PARAGRAPHS[:2]))))


# ---- consent wall --------------------------------------------------------------------------


CONSENT = (
    "<div class='consent'><h2>We value your privacy</h2><p>We and our partners store and/or "
    "access information on a device, such as cookies, and process personal data.</p>"
    "<p>You can accept or manage your choices below.</p>"
    "<button>Accept all</button><button>Reject all</button></div>"
)


def test_consent_interstitial_is_a_consent_wall() -> None:
    body = page(CONSENT, title="Before you continue")
    assert flags_of(snap(body)) == ["consent-wall"]


def test_consent_host_in_the_archived_address_is_a_consent_wall() -> None:
    consent = "https://consent.example.com/ml?continue=" + CITED
    body = page("<form><p>Cookies help us deliver our services.</p></form>", title="Example")
    assert "consent-wall" in flags_of(snap(body, archive_url=WAYBACK + consent))


def test_cookie_banner_on_a_full_article_is_not_a_consent_wall() -> None:
    assert flags_of(snap(page(CONSENT + article()))) == []


# ---- deep link that landed on the home page ------------------------------------------------


def test_memento_that_ended_on_the_home_page() -> None:
    home = "https://archive.example/20240301120000/https://news.example.com/"
    front = page(article(), title="Example News – front page")
    assert flags_of(snap(front, archive_url=home, archive="memento:archive.example")) == [
        "redirected-home"
    ]


def test_archived_redirect_whose_page_names_the_home_page_as_canonical() -> None:
    head = "<link rel='canonical' href='https://www.news.example.com/'>"
    front = page(article(), title="Example News", head=head)
    assert flags_of(snap(front, flags=("redirected",))) == ["redirected-home"]
    assert flags_of(snap(front)) == []  # no redirect: a wrong canonical tag alone proves nothing


def test_same_page_with_scheme_and_www_differences_is_not_redirected_home() -> None:
    copy = snap(page(article()), archive_url=WAYBACK + "http://www.news.example.com/2024/03/01/"
                "ministry-denies-report/")  # fmt: skip
    assert flags_of(copy) == []


def test_cited_home_page_is_not_redirected_home() -> None:
    home = "https://news.example.com/"
    copy = Snapshot(home, "wayback", WAYBACK + home, None, 200, "text/html", page(article()))
    assert flags_of(copy, cited=home) == []


# ---- thin ----------------------------------------------------------------------------------


def test_html_page_with_almost_no_text_is_thin() -> None:
    body = page("<div id='player'><video src='/v.mp4'></video><p>Watch the video.</p></div>")
    assert flags_of(snap(body)) == ["thin"]


def test_short_plain_text_and_pdf_are_not_thin() -> None:
    assert flags_of(snap(b"Figures: 412,000.", content_type="text/plain")) == []
    assert flags_of(snap(b"%PDF-1.7 ...", content_type="application/pdf")) == []


# ---- stored with the snapshot, and shown in the review pane --------------------------------


@pytest.fixture()
def project(tmp_path: Path) -> Project:
    text = "The ministry said 412,000 people were waiting for treatment."
    art = Article("T", "B", "2024-02-28", None, text, (), text.encode())
    project = Project.create(tmp_path / "p.wbproj", art, find_claims(text))
    project.attach_source(project.claims()[0].id, CITED)
    yield project
    project.close()


def test_store_snapshot_keeps_flags_and_sentences(project: Project) -> None:
    source = project.sources()[0]
    error_page = page("<h1>Page not found</h1><p>We could not find that page.</p>",
                      title="Page not found")  # fmt: skip
    note = "captured 2 days after the article"
    store_snapshot(project, source.id, snap(error_page, flags=("after-publication",), note=note))
    stored = project.latest_snapshot(source.id)
    assert stored is not None
    assert stored.flags == ("after-publication", "soft-404")
    assert stored.note == f"{note}; {FLAG_SENTENCES['soft-404']}"
    # The review pane says each thing once: the gap as the note, the error page as a sentence.
    assert [(w.kind, w.text) for w in warnings_for(stored)] == [
        ("after-publication", note),
        ("soft-404", "The copy looks like an error page (page not found), not the cited page."),
    ]


def test_review_pane_words_a_pdf_without_text_with_the_reason(project: Project) -> None:
    source = project.sources()[0]
    store_snapshot(project, source.id, snap(b"%PDF-1.7 ...", content_type="application/pdf"))
    pdf = project.latest_snapshot(source.id)
    assert pdf is not None and pdf.flags == ("no-text",)
    (warning,) = warnings_for(pdf)
    assert warning.kind == "no-text"
    assert warning.text.startswith("No text could be read from this PDF")
    assert warning.text.endswith("(the PDF is damaged or not a PDF).")


def test_review_pane_words_an_archived_error_with_its_status(project: Project) -> None:
    source = project.sources()[0]
    store_snapshot(project, source.id, snap(b"<h1>Gone</h1>", status=410, content_type="text/html"))
    gone = project.latest_snapshot(source.id)
    assert gone is not None and gone.flags == ("archived-error",)
    assert [(w.kind, w.text) for w in warnings_for(gone)] == [
        ("archived-error", "The page already answered HTTP 410 when captured.")
    ]
