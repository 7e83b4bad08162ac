"""Loading articles: plain text, HTML, files in many encodings, URLs, and every bad input."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from workbench.core.article.load import (
    MAX_ARTICLE_BYTES,
    Article,
    article_from_file,
    article_from_html,
    article_from_text,
    article_from_url,
    load_article,
)
from workbench.core.errors import LoadError, NetworkError
from workbench.core.net.http import SafeClient
from workbench.core.net.settings import ArchiveSettings

DATA = Path(__file__).resolve().parent.parent / "data" / "articles"
SEED = Path(__file__).resolve().parent.parent.parent / "sample_data"
SEED_FILE = SEED / "russia-islamic-state-syria-rebels.txt"


def assert_links_point_into_text(article: Article) -> None:
    for link in article.links:
        assert 0 <= link.start < link.end <= len(article.text)
        assert article.text[link.start : link.end] == link.text


# --- the seed article ----------------------------------------------------------------------------


def test_seed_article_metadata_and_body() -> None:
    article = load_article(SEED_FILE)
    assert article.title == "Russia Teams Up With Islamic State Against Syria’s Rebels"
    assert article.byline == "Kyle Orton"
    assert article.published == "2015-10-11"
    assert (article.source_kind, article.encoding) == ("text", "utf-8")
    assert article.raw == SEED_FILE.read_bytes()
    assert article.text.startswith("Devastation of the Ibrahim al-Khalil mosque")
    for gone in ("Pingback", "Leave a Reply", "thoughts on", "By Kyle Orton"):
        assert gone not in article.text
    for number in ("", " 2", " 3", " 4", " 5", " 6"):
        assert f"\nUPDATE{number}: " in article.text
    assert article.text.endswith("while Moscow claims it was given the wrong locations.")
    assert_links_point_into_text(article)


def test_seed_body_is_an_exact_slice_of_the_file() -> None:
    original = SEED_FILE.read_text(encoding="utf-8")
    article = load_article(str(SEED_FILE))
    assert article.text in original


# --- plain text ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "byline", "published"),
    [
        ("By Kyle Orton (@KyleWOrton) on October 11, 2015", "Kyle Orton", "2015-10-11"),
        ("By Jane Doe, March 3, 2016", "Jane Doe", "2016-03-03"),
        ("By Ali al-Hassan and Jan van Dijk", "Ali al-Hassan and Jan van Dijk", None),
        ("by Maria Lopez | 2019-05-02", "Maria Lopez", "2019-05-02"),
    ],
)
def test_byline_forms(line: str, byline: str, published: str | None) -> None:
    article = article_from_text(f"A Title\n\n{line}\n\nThe body starts here.\n")
    assert (article.title, article.byline, article.published) == ("A Title", byline, published)
    assert article.text == "The body starts here."


@pytest.mark.parametrize(
    "line",
    ["By the end of the war, nobody was left.", "By 2015, Russia had intervened.", "Bypass"],
)
def test_sentences_starting_with_by_are_body_text(line: str) -> None:
    article = article_from_text(f"A Title\n{line}\nMore text.")
    assert article.byline == ""
    assert article.text == f"{line}\nMore text."


def test_a_date_line_under_the_title_is_the_publication_date() -> None:
    article = article_from_text("Title\nBy Sam Reed\nPublished: 2 May 2019\n\nBody.")
    assert (article.byline, article.published, article.text) == ("Sam Reed", "2019-05-02", "Body.")


def test_text_is_kept_exactly_apart_from_line_endings_and_bom() -> None:
    body = "First  paragraph,\tspaced   oddly.\n\n\n  Indented second paragraph.\n- a list item"
    article = article_from_text("\ufeffTitle\r\n\r\n" + body.replace("\n", "\r\n"))
    assert article.title == "Title"
    assert article.text == body
    crlf_only = article_from_text("Title\rBody one\rBody two")
    assert crlf_only.text == "Body one\nBody two"


@pytest.mark.parametrize(
    "tail",
    [
        "12 Comments\n\nNice piece.\n",
        "One thought on “Title”\n\n  1. Pingback: Elsewhere | Blog\n",
        "Responses\n\nI disagree.",
        "  1. Pingback: Some other post | A Blog\n\n  2. Pingback: Another | Blog\n",
        "Leave a Reply\n\nYour email address will not be published.",
        "Leave a comment",
        "Trackbacks/Pingbacks\n\n1. Somebody linked here",
    ],
)
def test_trailing_comment_sections_are_cut(tail: str) -> None:
    article = article_from_text(f"Title\n\nThe body.\n\nThe last paragraph.\n\n{tail}")
    assert article.text == "The body.\n\nThe last paragraph."


def test_a_comment_heading_first_in_the_body_is_not_a_cut() -> None:
    article = article_from_text("Readers respond\n\nComments\n\nWe asked readers what they think.")
    assert article.text == "Comments\n\nWe asked readers what they think."


def test_plain_text_urls_become_links() -> None:
    text = (
        "Title\n\nSee http://example.com/report.pdf, and (https://wiki.example.org/wiki/Aleppo_(city))"
        " or “https://example.org/q?a=1&b=2”.\nAlso https://example.net/x."
    )
    article = article_from_text(text)
    assert [link.href for link in article.links] == [
        "http://example.com/report.pdf",
        "https://wiki.example.org/wiki/Aleppo_(city)",
        "https://example.org/q?a=1&b=2",
        "https://example.net/x",
    ]
    assert all(link.text == link.href for link in article.links)
    assert_links_point_into_text(article)


def test_title_only_text_is_its_own_body() -> None:
    article = article_from_text("Just one line of text.")
    assert (article.title, article.text) == ("Just one line of text.", "Just one line of text.")


def test_a_long_first_line_is_a_paragraph_not_a_title() -> None:
    paragraph = "The war began in 2011. " * 20
    article = article_from_text(paragraph + "\n\nSecond paragraph.")
    assert article.text.startswith(paragraph.strip())
    assert article.title.endswith("…") and len(article.title) <= 81


@pytest.mark.parametrize(
    "text",
    [
        # An article pasted without its headline.
        "The council approved the budget on Tuesday.\n\nRoads get 12 per cent more.",
        # A transcript rebuilt as an article, one speaker turn per paragraph.
        "Thank you very much. You just want massive tax cuts.\n\nNo. We cut taxes by $1 billion.",
    ],
)
def test_a_first_line_that_is_a_sentence_stays_in_the_body(text: str) -> None:
    article = article_from_text(text)
    first = text.split("\n\n", 1)[0]
    assert article.text == text  # nothing lost: the first sentence is a claim like the rest
    assert article.title == first


@pytest.mark.parametrize(
    ("text", "title", "body"),
    [
        ("Budget approved\n\nThe council approved it.", "Budget approved", "The council"),
        ("Trade gap widens in the U.S.\n\nThe deficit grew.", "Trade gap widens in the U.S.",
         "The deficit"),
        ("Budget approved.\nBy Ann Cole\n\nThe council approved it.", "Budget approved.",
         "The council"),
    ],
)  # fmt: skip
def test_a_headline_is_the_title(text: str, title: str, body: str) -> None:
    article = article_from_text(text)
    assert (article.title, article.text[: len(body)]) == (title, body)


def test_article_from_text_url_and_raw() -> None:
    article = article_from_text("Title\n\nBody é.", url="https://example.com/a")
    assert article.url == "https://example.com/a"
    assert (article.raw, article.encoding) == ("Title\n\nBody é.".encode(), "utf-8")


# --- encodings -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "encoding", "title", "phrase"),
    [
        ("ru-windows-1251.txt", "windows-1251", "Россия наносит удары по позициям повстанцев",
         "«Исламского государства»"),
        ("ar-windows-1256.txt", "windows-1256", "الطائرات الروسية تقصف مواقع المعارضة",
         "تنظيم الدولة الإسلامية"),
        ("en-windows-1252.txt", "windows-1252", "The Budget “Surplus” That Wasn’t",
         "“we will not pay €500 million for this” — and the opposition’s"),
        ("fr-latin-1.txt", "windows-1252", "Le café de la gare ferme ses portes",
         "Élodie Martin a déclaré que la réunion aurait lieu à Genève après l'été"),
        ("en-utf8-bom.txt", "utf-8", "The Budget “Surplus” That Wasn’t",
         "“we will not pay €500 million for this”"),
        ("meta-charset-windows-1251.html", "windows-1251", "Удары по Алеппо",
         "по шестидесяти целям в провинции Алеппо"),
        ("http-equiv-iso-8859-1.html", "windows-1252", "Le café ferme",
         "après l'été, “bientôt” selon elle"),
    ],
)  # fmt: skip
def test_files_in_each_encoding(name: str, encoding: str, title: str, phrase: str) -> None:
    article = load_article(DATA / name)
    assert (article.encoding, article.title) == (encoding, title)
    assert phrase in article.text
    assert "\ufeff" not in article.text and "\r" not in article.text
    assert article.raw == (DATA / name).read_bytes()


def test_byline_in_a_legacy_encoding() -> None:
    article = load_article(DATA / "ru-windows-1251.txt")
    assert (article.byline, article.published) == ("Иван Петров", "2015-10-12")


def test_html_link_in_a_legacy_encoding() -> None:
    article = load_article(DATA / "meta-charset-windows-1251.html")
    assert [(link.text, link.href) for link in article.links] == [
        ("шестидесяти целям", "https://example.ru/report")
    ]
    assert_links_point_into_text(article)


# --- HTML ---------------------------------------------------------------------------------------


def test_html_file_keeps_only_the_body() -> None:
    article = load_article(DATA / "boilerplate.html")
    assert article.source_kind == "html"
    assert article.title == "Ceasefire Talks Stall as Shelling Resumes"
    assert (article.byline, article.published) == ("Maria Lopez", "2016-03-14")
    assert article.url == "https://gazette.example.org/2016/03/ceasefire-talks-stall/"
    assert "Negotiators in Geneva suspended" in article.text
    assert "Diplomats expect the talks to resume" in article.text
    for junk in ("Share on", "Related stories", "Most read", "Pingback", "Leave a Reply"):
        assert junk not in article.text
    assert [link.text for link in article.links] == [
        "a statement from the United Nations",
        "convoys were blocked",
    ]
    assert_links_point_into_text(article)


def test_article_from_html_accepts_str_and_bytes() -> None:
    html = "<html><head><title>T</title></head><body><p>Körper mit <a href='/x'>Link</a>.</p>"
    from_str = article_from_html(html, url="https://example.de/a/b")
    from_bytes = article_from_html(html.encode("cp1252"), url="https://example.de/a/b")
    for article in (from_str, from_bytes):
        assert article.text == "Körper mit Link."
        assert article.links[0].href == "https://example.de/x"
    assert (from_str.encoding, from_bytes.encoding) == ("utf-8", "windows-1252")


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("saved.txt", b"<!DOCTYPE html><html><body><p>Saved page body.</p></body></html>", "html"),
        ("page", b"<html><body><p>No extension at all.</p></body></html>", "html"),
        ("noext", b"Title\n\n<b> is how you write bold in HTML.\n", "text"),
        ("notes.md", b"# Title\n\nA <p> tag is a paragraph.\n", "text"),
        ("page.htm", b"<p>Only a fragment of HTML.</p>", "html"),
    ],
)
def test_text_or_html_by_extension_and_sniffing(
    tmp_path: Path, name: str, content: bytes, kind: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    assert article_from_file(path).source_kind == kind


# --- bad input ----------------------------------------------------------------------------------


def load_error(source: str | Path) -> str:
    with pytest.raises(LoadError) as caught:
        load_article(source)
    return str(caught.value)


def test_missing_file(tmp_path: Path) -> None:
    assert (
        load_error(tmp_path / "nope.txt") == f"The file '{tmp_path / 'nope.txt'}' does not exist."
    )


def test_directory(tmp_path: Path) -> None:
    assert load_error(tmp_path) == f"'{tmp_path}' is a folder; choose an article file inside it."


def test_empty_and_blank_files(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_bytes(b"\xef\xbb\xbf \r\n\t\n")
    assert load_error(tmp_path / "empty.txt").endswith("empty.txt' is empty.")
    assert load_error(tmp_path / "blank.txt").endswith(
        "blank.txt' contains only blank space, no article text."
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "is a PNG image, not a text or HTML article."),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "is a PDF document, not a text or HTML article."),
        (b"Title\n\nText\x00\x01\x02\x00 more", "is a binary file (it contains NUL bytes)"),
        (bytes(range(1, 32)) * 40, "does not decode as text in any known encoding"),
    ],
)
def test_binary_files(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "thing.txt"
    path.write_bytes(content)
    assert message in load_error(path)


def test_text_starting_like_a_short_file_signature_is_text(tmp_path: Path) -> None:
    path = tmp_path / "cars.txt"
    path.write_bytes(b"BMW recalls 40,000 cars\n\nMZ engines were affected too.\n")
    article = load_article(path)
    assert (article.title, article.text) == (
        "BMW recalls 40,000 cars",
        "MZ engines were affected too.",
    )


def test_file_over_the_size_cap(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:  # sparse: the size is what matters, not the contents
        handle.truncate(MAX_ARTICLE_BYTES + 1)
    message = load_error(path)
    assert message.endswith("is 20.0 MB, over the 20 MB limit for an article.")


def test_html_without_a_readable_body(tmp_path: Path) -> None:
    path = tmp_path / "menu.html"
    path.write_text(
        "<html><body><nav><a href='/'>Home</a> <a href='/about'>About</a></nav>"
        "<footer>© Example</footer></body></html>",
        encoding="utf-8",
    )
    assert load_error(path) == (
        f"The file '{path.name}' has no readable article text, only navigation or markup."
    )
    with pytest.raises(LoadError, match="no readable article text"):
        article_from_html("<html><head><title>x</title></head><body></body></html>")


def test_empty_text_and_html() -> None:
    with pytest.raises(LoadError, match="The text is empty"):
        article_from_text("\ufeff \n\t\n")
    with pytest.raises(LoadError, match="The HTML page is empty"):
        article_from_html(b"  \n")


# --- URLs ---------------------------------------------------------------------------------------

PAGES: dict[str, tuple[int, str, bytes]] = {
    "/article": (
        200,
        "text/html; charset=windows-1251",
        (DATA / "meta-charset-windows-1251.html")
        .read_bytes()
        .replace(b'<meta charset="windows-1251">', b""),
    ),
    "/gazette": (200, "text/html", (DATA / "boilerplate.html").read_bytes()),
    "/plain": (200, "text/plain; charset=utf-8", "Title\n\nBy Sam Reed\n\nBody é.".encode()),
    "/missing": (404, "text/html", b"<html><body><p>Not found</p></body></html>"),
    "/image": (200, "image/png", b"\x89PNG\r\n\x1a\n"),
}


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path == "/slow":
            time.sleep(1.5)  # longer than the client's 1 s deadline
        if self.path == "/moved":
            self.send_response(302)
            self.send_header("Location", "/gazette")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        status, content_type, body = PAGES.get(self.path, PAGES["/missing"])
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        # The client may have given up already (the timeout test); nothing to report then.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def local_client(*hostports: str) -> SafeClient:
    settings = ArchiveSettings(
        allowed_private_hosts=frozenset(hostports),
        retries=1,
        connect_timeout_s=0.5,
        read_timeout_s=0.5,
        deadline_s=1.0,
    )
    return SafeClient(settings)


@pytest.fixture()
def client(server: str) -> Iterator[SafeClient]:
    with local_client(server.removeprefix("http://")) as safe:
        yield safe


def test_url_uses_the_transport_charset(server: str, client: SafeClient) -> None:
    article = article_from_url(f"{server}/article", client=client)
    assert (article.source_kind, article.encoding) == ("url", "windows-1251")
    assert article.title == "Удары по Алеппо"
    assert "по шестидесяти целям в провинции Алеппо" in article.text
    assert article.url == f"{server}/article"
    assert_links_point_into_text(article)


def test_url_of_a_full_page_after_a_redirect(server: str, client: SafeClient) -> None:
    article = article_from_url(f"{server}/moved", client=client)
    assert article.byline == "Maria Lopez"
    assert "Pingback" not in article.text and "Negotiators in Geneva" in article.text
    # The page names its canonical URL; relative links resolve against the address fetched.
    assert article.url == "https://gazette.example.org/2016/03/ceasefire-talks-stall/"
    assert article.links[1].href == f"{server}/2016/02/aid-convoys-blocked/"


def test_plain_text_url(server: str, client: SafeClient) -> None:
    article = article_from_url(f"{server}/plain", client=client)
    assert (article.title, article.byline, article.text) == ("Title", "Sam Reed", "Body é.")
    assert (article.source_kind, article.url) == ("url", f"{server}/plain")


def test_url_errors(server: str, client: SafeClient) -> None:
    with pytest.raises(NetworkError, match=r"answered HTTP 404 for http://127\.0\.0\.1"):
        article_from_url(f"{server}/missing", client=client)
    with pytest.raises(NetworkError, match="is image/png, not a text or HTML article"):
        article_from_url(f"{server}/image", client=client)
    with pytest.raises(LoadError, match="only http:// and https:// addresses"):
        article_from_url("ftp://example.com/file.txt", client=client)


def test_url_timeout(server: str, client: SafeClient) -> None:
    with pytest.raises(NetworkError) as caught:
        article_from_url(f"{server}/slow", client=client)
    assert str(caught.value)  # one plain sentence from the client


def test_unreachable_url() -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with local_client(f"127.0.0.1:{port}") as safe, pytest.raises(NetworkError) as caught:
        article_from_url(f"http://127.0.0.1:{port}/a", client=safe)
    assert str(caught.value)


def test_load_article_sends_urls_to_the_url_loader(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str] = []
    monkeypatch.setattr(
        "workbench.core.article.load.article_from_url", lambda url, **kw: seen.append(url)
    )
    load_article("  https://example.com/story  ")
    assert seen == ["https://example.com/story"]


def test_default_client_refuses_loopback(server: str) -> None:
    # Without an allowance in its settings, the client will not touch this machine.
    with pytest.raises(NetworkError, match="this computer or a private network"):
        article_from_url(f"{server}/gazette")
