"""Articles: the text that claims point into, and the loaders that make one.

CONTRACT (other modules rely on this; extend with defaulted fields only):
- Link(start, end, href, text): text == article.text[start:end].
- Article(title, byline, published, url, text, links, raw, source_kind, encoding).
- load_article(source: str | Path) -> Article  (path or http(s) URL)
- article_from_text(text: str, *, url=None) -> Article
- article_from_html(html: bytes | str, *, url=None) -> Article
- article_from_url(url: str) -> Article
  (also accepts client=...; article_from_file(path) is the file loader behind load_article)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from workbench.core.article.decode import Decoded, decode_bytes
from workbench.core.article.extract import Page, extract_page, parse_date
from workbench.core.article.model import Article, Link
from workbench.core.errors import LoadError, NetworkError
from workbench.core.net.urls import NOT_WEB_REASON, shown, web_url

if TYPE_CHECKING:
    from workbench.core.net.http import SafeClient

MAX_ARTICLE_BYTES = 20 * 1024 * 1024  # larger files are not articles (or not ones a person reads)


_HTML_EXTENSIONS = frozenset({".html", ".htm", ".xhtml", ".shtml", ".php", ".asp", ".aspx"})
_TEXT_EXTENSIONS = frozenset({".txt", ".text", ".md", ".markdown"})
_HTML_START = re.compile(
    rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.I | re.S
)
_HTML_TAGS = re.compile(rb"<(?:p|div|article|meta|title|a\s+href)\b", re.I)
_HTML_CONTENT_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_TEXT_CONTENT_TYPES = frozenset({"text/plain", "text/markdown"})

# Leading bytes of files people pick by mistake; named so the message can say what the file is.
# (Two-byte signatures such as BMP's "BM" are left out: "BMW recalls..." is a fine first line.
# Those files contain NUL bytes and are refused as binary anyway.)
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (or a Word/OpenDocument file)"),
    (b"\x1f\x8b", "a gzip-compressed file"),
    (b"\xd0\xcf\x11\xe0", "an old Microsoft Office document"),
    (b"\x7fELF", "a program"),
    (b"SQLite format 3\x00", "a SQLite database (perhaps a project file)"),
)
# Share of control characters above which decoded bytes are taken to be binary, not text.
_MAX_CONTROL_SHARE = 0.01
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ufffd]")


# --- public loaders ----------------------------------------------------------------------------


def load_article(source: str | Path) -> Article:
    """An Article from a file path (text or HTML) or an http(s) URL."""
    if isinstance(source, str) and re.match(r"^https?://", source.strip(), re.I):
        return article_from_url(source.strip())
    return article_from_file(Path(source))


def article_from_file(path: str | Path) -> Article:
    """An Article from a text or HTML file, decided by extension and by sniffing the bytes."""
    path = Path(path)
    data = _read_file(path)
    name = f"The file '{path.name}'"
    _reject_binary(data, name)
    if _looks_like_html(path, data):
        return _html_article(data, url=None, declared=None, name=name)
    decoded = decode_bytes(data)
    _reject_undecodable(decoded, name)
    return _text_article(decoded.text, raw=data, encoding=decoded.encoding, url=None, name=name)


def article_from_text(text: str, *, url: str | None = None) -> Article:
    """An Article from plain text: title line, optional byline, body up to any comment section."""
    return _text_article(text, raw=text.encode("utf-8"), encoding="utf-8", url=url, name="The text")


def article_from_html(html: bytes | str, *, url: str | None = None) -> Article:
    """An Article from an HTML page: its readable body (no navigation, sidebars or comments)."""
    return _html_article(html, url=url, declared=None, name="The HTML page")


def article_from_url(url: str, *, client: SafeClient | None = None) -> Article:
    """An Article fetched from an http(s) URL through the archive package's SafeClient.

    Tests pass a client whose settings allow 127.0.0.1; by default one is made and closed here.
    Raises NetworkError (FetchFailure) when the page cannot be fetched, answers with a non-2xx
    status, or is not text or HTML.
    """
    checked = web_url(url)
    if checked is None:
        raise LoadError(f"{shown(url)} is not a web address; {NOT_WEB_REASON}.")
    url = checked
    if client is None:
        # Imported here: the network stack is only needed when a URL is actually loaded.
        from workbench.core.net.http import SafeClient

        with SafeClient() as own_client:
            return article_from_url(url, client=own_client)
    result = client.get(url, purpose="page")
    if not 200 <= result.status < 300:
        raise NetworkError(
            f"The server answered HTTP {result.status} for {url}, so the article was not loaded."
        )
    content_type = (result.content_type or "").split(";")[0].strip().lower()
    final_url = result.final_url or url
    name = f"The page at {url}"
    if content_type in _HTML_CONTENT_TYPES or (not content_type and _HTML_START.match(result.body)):
        article = _html_article(result.body, url=final_url, declared=result.charset, name=name)
    elif content_type in _TEXT_CONTENT_TYPES:
        _reject_binary(result.body, name)
        decoded = decode_bytes(result.body, declared=result.charset)
        _reject_undecodable(decoded, name)
        article = _text_article(
            decoded.text, raw=result.body, encoding=decoded.encoding, url=final_url, name=name
        )
    else:
        raise NetworkError(
            f"The page at {url} is {content_type or 'of an unknown type'}, "
            "not a text or HTML article."
        )
    return replace(article, source_kind="url")


# --- HTML --------------------------------------------------------------------------------------


def _html_article(
    html: bytes | str, *, url: str | None, declared: str | None, name: str
) -> Article:
    if isinstance(html, bytes):
        raw = html
        decoded = decode_bytes(html, declared=declared, is_html=True)
        text, encoding = decoded.text, decoded.encoding
    else:
        raw, text, encoding = html.encode("utf-8"), html.lstrip("\ufeff"), "utf-8"
    if not text.strip():
        raise LoadError(f"{name} is empty.")
    page: Page = extract_page(text, url=url)
    if not page.text.strip():
        raise LoadError(f"{name} has no readable article text, only navigation or markup.")
    return Article(
        title=page.title,
        byline=page.author,
        published=page.published,
        url=page.url or url,
        text=page.text,
        links=page.links,
        raw=raw,
        source_kind="html",
        encoding=encoding,
        refused_links=page.refused_links,
    )


def _looks_like_html(path: Path, data: bytes) -> bool:
    suffix = path.suffix.lower()
    head = data[:4096].lstrip(b"\xef\xbb\xbf")
    if suffix in _HTML_EXTENSIONS:
        return True
    if _HTML_START.match(head):
        return True  # even a .txt that starts with <!DOCTYPE html> is a saved web page
    if suffix in _TEXT_EXTENSIONS:
        return False
    return head.lstrip().startswith(b"<") and bool(_HTML_TAGS.search(head))


# --- files and bad input -----------------------------------------------------------------------


def _read_file(path: Path) -> bytes:
    name = f"The file '{path}'"
    if not path.exists():
        raise LoadError(f"{name} does not exist.")
    if path.is_dir():
        raise LoadError(f"'{path}' is a folder; choose an article file inside it.")
    try:
        size = path.stat().st_size
        if size > MAX_ARTICLE_BYTES:
            raise LoadError(
                f"{name} is {size / 1_048_576:.1f} MB, over the "
                f"{MAX_ARTICLE_BYTES // 1_048_576} MB limit for an article."
            )
        with path.open("rb") as handle:
            data = handle.read(MAX_ARTICLE_BYTES + 1)
    except PermissionError:
        raise LoadError(f"{name} cannot be read: permission denied.") from None
    except OSError as error:
        raise LoadError(f"{name} cannot be read ({error.strerror or error}).") from None
    if len(data) > MAX_ARTICLE_BYTES:  # the file grew between stat() and read()
        raise LoadError(f"{name} is over the {MAX_ARTICLE_BYTES // 1_048_576} MB article limit.")
    if not data:
        raise LoadError(f"{name} is empty.")
    if not data.strip(b" \t\r\n\x0b\x0c\xef\xbb\xbf"):
        raise LoadError(f"{name} contains only blank space, no article text.")
    return data


def _reject_binary(data: bytes, name: str) -> None:
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            raise LoadError(f"{name} is {kind}, not a text or HTML article.")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return  # UTF-16 with a byte-order mark: NULs are expected
    if b"\x00" in data[:65536]:
        raise LoadError(f"{name} is a binary file (it contains NUL bytes), not a text article.")


def _reject_undecodable(decoded: Decoded, name: str) -> None:
    sample = decoded.text[:65536]
    if sample and len(_CONTROL.findall(sample)) > _MAX_CONTROL_SHARE * len(sample):
        raise LoadError(
            f"{name} does not decode as text in any known encoding; it looks like a binary file."
        )


# --- plain text --------------------------------------------------------------------------------

_MAX_TITLE_CHARS = 300
# A byline names people: a few capitalised words, with the usual lower-case particles.
_NAME_PARTICLES = frozenset(
    {"and", "&", "de", "del", "der", "van", "von", "da", "di", "du", "la", "le", "al", "bin", "ibn"}
)
_MAX_NAME_WORDS = 8
_BYLINE = re.compile(r"^\s*by\s+(?P<rest>\S.*?)\s*$", re.I)
_HANDLE = re.compile(r"\s*\(@\w+\)")
_DATE_PREFIX = re.compile(r"^\s*(?:published|posted|updated|date)?(?:\s+on)?\s*:?\s*", re.I)
_COMMENT_SECTION = re.compile(
    r"""^\s*(?:
        (?:\d+|one|no)\s+(?:thoughts?|comments?|responses?|repl(?:y|ies)|reactions?)
            (?:\s+(?:on|to)\b.*)?
      | (?:comments|responses|replies|reactions|discussion|pingbacks|trackbacks)
            (?:\s*/\s*(?:pingbacks|trackbacks))?
      | leave\s+a\s+(?:reply|comment|response)
      | (?:post|add|write)\s+a\s+comment
      | join\s+the\s+discussion
      | (?:\d+\.\s*)?(?:pingback|trackback)\s*:.*
    )\s*[:.]?\s*$""",
    re.I | re.X,
)
_URL = re.compile(r"\bhttps?://[^\s<>\"“”‘’«»]+", re.I)
_URL_TRAILING = ".,;:!?'\")]}’”…"


@dataclass(frozen=True)
class _Line:
    start: int
    end: int  # excluding the newline

    def of(self, text: str) -> str:
        return text[self.start : self.end]


def _text_article(text: str, *, raw: bytes, encoding: str, url: str | None, name: str) -> Article:
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise LoadError(f"{name} is empty.")
    lines = [line for line in _lines(text) if line.of(text).strip()]
    title_line, rest = lines[0], lines[1:]
    title = title_line.of(text).strip()
    byline, published = "", None
    if len(title) > _MAX_TITLE_CHARS:
        # A first line this long is a paragraph, not a title: keep it in the body.
        title, rest = _shorten(title), lines
    else:
        if rest and (found := _parse_byline(rest[0].of(text))) is not None:
            (byline, published), rest = found, rest[1:]
        if rest and (dated := _parse_date_line(rest[0].of(text))) is not None:
            published, rest = published or dated, rest[1:]
        if not byline and not published and _reads_as_sentence(title):
            # Text pasted without its headline (or a transcript) opens with a sentence: it is
            # the body's first claim, and only stands in for the missing title.
            title, rest = (title if len(title) <= 80 else _shorten(title)), lines
    if not rest:
        rest = lines  # nothing but a title: the title line is all the text there is
    body_start = rest[0].start
    body_end = _comment_section_start(text, rest) or len(text)
    body = text[body_start:body_end].rstrip()
    return Article(
        title=title,
        byline=byline,
        published=published,
        url=url,
        text=body,
        links=_plain_links(body),
        raw=raw,
        source_kind="text",
        encoding=encoding,
    )


def _lines(text: str) -> list[_Line]:
    return [_Line(m.start(), m.end()) for m in re.finditer(r"[^\n]*", text) if m.end() > m.start()]


def _parse_byline(line: str) -> tuple[str, str | None] | None:
    """(name, date) from "By NAME (@handle) on DATE", "By NAME, DATE" or "By NAME"; else None."""
    match = _BYLINE.match(line)
    if match is None:
        return None
    rest = _HANDLE.sub("", match.group("rest")).strip()
    for separator in (r"\s+on\s+", r"\s*,\s*", r"\s+[|\u2013\u2014-]\s+"):
        for split in re.finditer(separator, rest):
            name, when = rest[: split.start()], rest[split.end() :]
            published = parse_date(_DATE_PREFIX.sub("", when))
            if published and _is_name(name):
                return name.strip(), published
    return (rest, None) if _is_name(rest) else None


def _parse_date_line(line: str) -> str | None:
    stripped = line.strip()
    if len(stripped) > 60:
        return None
    return parse_date(_DATE_PREFIX.sub("", stripped))


def _is_name(candidate: str) -> bool:
    words = candidate.replace(",", " ").split()
    if not words or len(words) > _MAX_NAME_WORDS or any(c.isdigit() for c in candidate):
        return False
    return all(_is_name_word(word) for word in words)


def _is_name_word(word: str) -> bool:
    # "al-Hassan" and "van Dijk": a lower-case particle, alone or before a hyphen, is fine.
    return word[0].isupper() or word.split("-", 1)[0].lower() in _NAME_PARTICLES


def _comment_section_start(text: str, body_lines: list[_Line]) -> int | None:
    """Where a trailing comment/pingback section begins; never the first line of the body."""
    for line in body_lines[1:]:
        if _COMMENT_SECTION.match(line.of(text)):
            return line.start
    return None


def _plain_links(body: str) -> tuple[Link, ...]:
    links = []
    for match in _URL.finditer(body):
        href = match.group(0)
        while href and href[-1] in _URL_TRAILING:
            if href[-1] == ")" and href.count("(") >= href.count(")"):
                break  # a balanced parenthesis belongs to the URL (Wikipedia-style)
            href = href[:-1]
        if web_url(href) is not None:
            start = match.start()
            links.append(Link(start, start + len(href), href, href))
    return tuple(links)


_ABBREVIATION_END = re.compile(r"(?:\b[A-Za-z]\.){2,}$|\b(?:Inc|Ltd|Co|Corp|Jr|Sr|St)\.$")


def _reads_as_sentence(line: str) -> bool:
    """A first line ending in a full stop is a sentence, not a headline (headlines carry none),
    unless the stop belongs to an abbreviation ('Trade gap widens in the U.S.')."""
    return line.endswith(".") and not line.endswith("..") and not _ABBREVIATION_END.search(line)


def _shorten(line: str, limit: int = 80) -> str:
    cut = line[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:") + "…"
