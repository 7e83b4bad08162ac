"""Readable text and metadata from an HTML page: an article being loaded, or an archived source.

trafilatura decides which part of the page is the body (it is good at leaving out navigation,
share buttons, related stories and comments). Its text output loses where the links are, so we
walk the body tree it returns and build the text ourselves, recording each link's (start, end)
as the text is appended. When trafilatura finds nothing, a plainer fallback removes the usual
boilerplate elements and walks what is left.

Nothing here fetches anything: trafilatura and htmldate get a parsed tree, never a URL string.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from urllib.parse import urljoin, urlsplit

import lxml.html
from lxml import etree

from workbench.core.article.model import Link
from workbench.core.net.urls import web_url

# Block-level elements of both trafilatura's body XML and plain HTML: text breaks around them.
_BLOCK_TAGS = frozenset(
    {
        # trafilatura's vocabulary
        "head", "p", "list", "item", "quote", "table", "row", "code", "div",
        # HTML's
        "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd", "blockquote",
        "pre", "tr", "section", "article", "main", "figure", "figcaption", "hr", "address",
        "details", "summary", "center", "body",
    }
)  # fmt: skip
_CELL_TAGS = frozenset({"cell", "td", "th"})
_BREAK_TAGS = frozenset({"lb", "br"})
_SKIP_TAGS = frozenset(
    {"script", "style", "noscript", "template", "graphic", "img", "svg", "iframe"}
)
# Elements the fallback drops outright, and class/id words that mark boilerplate containers.
_BOILERPLATE_TAGS = (
    "nav", "header", "footer", "aside", "form", "script", "style", "noscript", "iframe", "svg",
    "button", "select", "template", "object", "embed",
)  # fmt: skip
_BOILERPLATE_NAMES = re.compile(
    r"comment|share|sharing|social|related|sidebar|widget|pingback|trackback|respond|reply|"
    r"subscribe|newsletter|advert|promo|cookie|popup|modal|breadcrumb|menu|navbar|footer|"
    r"masthead|byline|author-bio|tags|jp-relatedposts|sharedaddy",
    re.IGNORECASE,
)
# Containers never removed by class name: WordPress puts "comments-open" on <body>, for one.
_NEVER_DROP = frozenset({"html", "body", "article", "main"})
_FORM_BODY_CHARS = 500
_SITE_SUFFIX = re.compile(r"\s+[|\u2013\u2014·:-]\s+[^|\u2013\u2014·]{1,60}$")
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)

# Characters XML forbids. libxml2's HTML parser keeps them in text nodes, but lxml refuses
# to set such text again (drop_tree moves an element's tail), so a stray \x1f in a page made
# extraction raise ValueError. They are invisible in a page: form feed and vertical tab become
# spaces (HTML counts form feed as white space), the rest are removed.
_XML_SPACES = re.compile("[\x0b\x0c]")
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0e-\x1f\ufffe\uffff]")

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
            ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
            ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}  # fmt: skip
_MONTH = r"(?P<month>[A-Za-z]{3,9})\.?"
_DATE_PATTERNS = (
    re.compile(r"^(?P<year>\d{4})-(?P<mnum>\d{1,2})-(?P<day>\d{1,2})(?:$|[T\s])"),
    re.compile(rf"^(?:[A-Za-z]+,?\s+)?{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>\d{{4}})\b"),
    re.compile(rf"^(?:[A-Za-z]+,?\s+)?(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH},?\s+(?P<year>\d{{4}})\b"),
)  # fmt: skip


@dataclass(frozen=True)
class Page:
    title: str
    author: str
    published: str | None  # YYYY-MM-DD
    text: str  # readable body; "\n\n" between blocks
    links: tuple[Link, ...] = ()  # Link.text == text[start:end]
    url: str | None = None  # canonical URL when the page names one, else the URL given
    how: str = "trafilatura"  # "trafilatura" | "fallback" | "none" (no readable body)
    refused_links: tuple[str, ...] = ()  # link targets that are not http(s), kept as text


def extract_page(html: str, *, url: str | None = None, max_date: str | None = None) -> Page:
    """The readable body, its links and the metadata of an HTML page.

    `max_date` (YYYY-MM-DD, e.g. a snapshot's capture date) bounds the publication date: a page
    cannot have been published after it was captured. A page with no readable body comes back
    with empty text (how="none"); callers decide whether that is an error.
    """
    tree = _parse(html)
    if tree is None:
        return Page(title="", author="", published=None, text="", how="none")
    meta = _fallback_metadata(tree)
    document = _run_trafilatura(tree, url=url, max_date=max_date)

    title = _headline(tree, _clean(getattr(document, "title", None) or "") or meta.title)
    author = _clean(getattr(document, "author", None) or "") or meta.author
    published = _bounded(parse_date(getattr(document, "date", None) or ""), max_date)
    if published and published.endswith("-01-01"):
        published = _unless_a_year_in_passing(html, published, url=url, max_date=max_date)
    published = published or _bounded(meta.published, max_date)
    # A canonical address that is not http(s) is not the page's address; keep the one we have.
    canonical = (web_url(_absolute(meta.canonical, url)) if meta.canonical else None) or url

    base_url = url or canonical
    if not _has_text(_strip_boilerplate(tree, by_name=False)):
        # Only navigation, header, footer or forms: trafilatura's own fallbacks would return the
        # menu as if it were the article, so there is no body to give.
        return Page(title, author, published, "", (), url=canonical, how="none")
    text, links, how = "", (), "none"
    refused: list[str] = []
    body = getattr(document, "body", None)
    if body is not None:
        text, links = render_body(
            body,
            base_url=base_url,
            skip_title=title,
            refused=refused,
            spaced_links=_links_followed_by_space(tree),
        )
        how = "trafilatura"
    if not text.strip():
        refused.clear()
        text, links = render_body(
            _fallback_body(tree), base_url=base_url, skip_title=title, refused=refused
        )
        how = "fallback" if text.strip() else "none"
    return Page(
        title, author, published, text, links, url=canonical, how=how,
        refused_links=tuple(dict.fromkeys(refused)),
    )  # fmt: skip


def render_body(
    root: etree._Element,
    *,
    base_url: str | None = None,
    skip_title: str = "",
    refused: list[str] | None = None,
    spaced_links: dict[str, list[bool]] | None = None,
) -> tuple[str, tuple[Link, ...]]:
    """Text of `root` with "\\n\\n" between blocks, and its links with offsets into that text.

    A leading heading equal to `skip_title` is left out: the title is kept apart from the body.
    Link targets that are not http(s) are appended to `refused` when it is given.
    `spaced_links` (see _links_followed_by_space) puts back the space after a link that the
    body lost: a link's text glued to the next word there is spaced if it was in the page.
    """
    builder = _TextBuilder()
    first_heading = _leading_heading(root)
    skip = first_heading if _same_text(first_heading, skip_title) else None
    spans: list[tuple[int, int, str]] = []
    _walk(
        root, builder, spans, base_url, skip, refused if refused is not None else [],
        spaced_links or {},
    )  # fmt: skip
    text = builder.text()
    links = tuple(Link(start, end, href, text[start:end]) for start, end, href in spans)
    return text, links


def parse_date(value: str) -> str | None:
    """YYYY-MM-DD from an ISO date or datetime, or an English date ("October 11, 2015")."""
    value = value.strip()
    for pattern in _DATE_PATTERNS:
        match = pattern.match(value)
        if match is None:
            continue
        parts = match.groupdict()
        month = int(parts["mnum"]) if parts.get("mnum") else _MONTHS.get(parts["month"].lower())
        if month is None:
            continue
        try:
            return date(int(parts["year"]), month, int(parts["day"])).isoformat()
        except ValueError:
            continue
    return None


# --- trafilatura -------------------------------------------------------------------------------


def _run_trafilatura(tree: lxml.html.HtmlElement, *, url: str | None, max_date: str | None):
    # Imported on first use: trafilatura (with htmldate, justext, dateutil) takes ~0.5 s to
    # import, and the window imports this module (for JSON-LD) before it shows.
    from trafilatura import bare_extraction
    from trafilatura.settings import set_date_params

    date_params = set_date_params(extensive=True)
    if max_date:
        date_params["max_date"] = max_date
    try:
        # A tree, not bytes or a URL string: trafilatura would decompress bytes without a bound
        # and ignore the charset we found, and htmldate fetches anything that looks like a URL.
        return bare_extraction(
            tree,
            url=url,
            favor_precision=False,
            include_links=True,
            include_comments=False,
            include_tables=True,
            include_images=False,
            with_metadata=True,
            date_extraction_params=date_params,
        )
    except (ValueError, TypeError, etree.LxmlError):
        # trafilatura raises on some degenerate trees; the fallback still gets a go.
        return None


def _unless_a_year_in_passing(
    html: str, found: str, *, url: str | None, max_date: str | None
) -> str | None:
    """A 1 January that only a search of the page's whole text finds is a year seen in passing
    ("approved in 2024", "© 1998-2026"), not the day the page came out: the Wayback lookups
    and the report would date the article by it. The page's markup or address must say it."""
    from htmldate import find_date
    from trafilatura.settings import set_date_params

    tree = _parse(html)  # trafilatura has pruned the first tree by now
    if tree is None:
        return None
    params = set_date_params(extensive=False)
    if max_date:
        params["max_date"] = max_date
    try:
        return _bounded(parse_date(find_date(tree, url=url, **params) or ""), max_date)
    except (ValueError, TypeError, etree.LxmlError):
        return None


# --- walking a body into text ------------------------------------------------------------------


class _TextBuilder:
    """Appends text collapsing whitespace as HTML does, so offsets are known as text is added."""

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._length = 0
        self._pending = ""  # separator owed before the next visible character
        self._open_marks: list[list[int | None]] = []

    def add(self, chunk: str) -> None:
        for token in re.split(r"(\s+)", chunk):
            if not token:
                continue
            if token.isspace():
                if self._length and not self._pending:
                    self._pending = " "
                continue
            self._emit(token)

    def block_break(self) -> None:
        if self._length:
            self._pending = "\n\n"

    def line_break(self) -> None:
        if self._length and self._pending != "\n\n":
            self._pending = "\n"

    def soft_space(self) -> None:
        if self._length and not self._pending:
            self._pending = " "

    def open_mark(self) -> list[int | None]:
        mark: list[int | None] = [None, None]
        self._open_marks.append(mark)
        return mark

    def close_mark(self, mark: list[int | None]) -> None:
        # By identity: marks of nested links with no text yet are equal lists ([None, None]),
        # and list.remove() would take the outer one's place and fail on it later.
        for index in range(len(self._open_marks) - 1, -1, -1):
            if self._open_marks[index] is mark:
                del self._open_marks[index]
                break
        if mark[0] is not None:
            mark[1] = self._length

    def text(self) -> str:
        return "".join(self._parts)

    def _emit(self, token: str) -> None:
        if self._pending:
            self._parts.append(self._pending)
            self._length += len(self._pending)
            self._pending = ""
        for mark in self._open_marks:
            if mark[0] is None:
                mark[0] = self._length
        self._parts.append(token)
        self._length += len(token)


def _walk(
    element: etree._Element,
    builder: _TextBuilder,
    spans: list[tuple[int, int, str]],
    base_url: str | None,
    skip: etree._Element | None,
    refused: list[str],
    spaced_links: dict[str, list[bool]],
) -> None:
    tag = element.tag if isinstance(element.tag, str) else ""
    tag = tag.lower()
    if element is skip or tag in _SKIP_TAGS or not isinstance(element.tag, str):
        return
    if tag in _BREAK_TAGS:
        builder.line_break()
        return
    is_block = tag in _BLOCK_TAGS
    if is_block:
        builder.block_break()
    elif tag in _CELL_TAGS:
        builder.soft_space()
    href = _link_target(element, tag, base_url)
    if href is None and (raw := _raw_target(element, tag)):
        refused.append(raw)
    mark = builder.open_mark() if href else None
    if element.text:
        builder.add(element.text)
    for child in element:
        _walk(child, builder, spans, base_url, skip, refused, spaced_links)
        if child.tail:
            if spaced_links and child.tag in ("ref", "a") and _lost_space(child, spaced_links):
                builder.soft_space()
            builder.add(child.tail)
    if mark is not None:
        builder.close_mark(mark)
        if mark[0] is not None and mark[1] is not None and href:
            spans.append((mark[0], mark[1], href))
    if is_block:
        builder.block_break()
    elif tag in _CELL_TAGS:
        builder.soft_space()


def _links_followed_by_space(tree: lxml.html.HtmlElement) -> dict[str, list[bool]]:
    """For each link text of the page, in order: whether white space follows the link.

    With links kept, trafilatura trims the text after a link ("<a>parts</a> were" comes back
    as "parts" + "were"), which glued words together in the text ("partswere"); the page
    itself says whether a space was there ("<a>link</a>s" is a plural, not two words).
    """
    spaced: dict[str, list[bool]] = {}
    for anchor in tree.iter("a"):
        key = _clean(anchor.text_content())
        if key:
            spaced.setdefault(key, []).append((anchor.tail or "")[:1].isspace())
    return spaced


def _lost_space(link: etree._Element, spaced_links: dict[str, list[bool]]) -> bool:
    """Whether the text after this body link lost the space the page had before it."""
    text = _clean("".join(link.itertext()))
    tail = link.tail or ""
    flags = spaced_links.get(text)
    if not flags or not text[-1:].isalnum() or not tail[:1].isalnum():
        return False
    # Only when every link with this text in the page is followed by a space: a glued
    # "<a>link</a>s" anywhere keeps the words as the body has them.
    return all(flags)


def _raw_target(element: etree._Element, tag: str) -> str | None:
    """The link target as written, or None when the element is no link or links within the page."""
    if tag == "ref":
        raw = element.get("target")
    elif tag == "a":
        raw = element.get("href")
    else:
        return None
    raw = (raw or "").strip()
    return None if not raw or raw.startswith("#") else raw


def _link_target(element: etree._Element, tag: str, base_url: str | None) -> str | None:
    raw = _raw_target(element, tag)
    if raw is None:
        return None
    # Only http(s) targets become links; any other link keeps its text, as plain text.
    return web_url(_absolute(raw, base_url))


def _leading_heading(root: etree._Element) -> etree._Element | None:
    for element in root.iter():
        if element is root or not isinstance(element.tag, str):
            continue
        if element.tag in {"head", "h1", "h2"}:
            return element
        if (element.text or "").strip():
            return None
    return None


def _same_text(element: etree._Element | None, title: str) -> bool:
    if element is None or not title:
        return False
    return _clean("".join(element.itertext())).casefold() == _clean(title).casefold()


# --- fallback body and metadata ----------------------------------------------------------------


def _fallback_body(tree: lxml.html.HtmlElement) -> etree._Element:
    """The main container of the page once boilerplate is removed (see _strip_boilerplate)."""
    stripped = _strip_boilerplate(tree, by_name=True)
    for path in ("//article", "//main", "//*[@role='main']", "//body"):
        found = stripped.xpath(path)
        if found:
            return max(found, key=lambda element: len(element.text_content()))
    return stripped


def _strip_boilerplate(tree: lxml.html.HtmlElement, *, by_name: bool) -> lxml.html.HtmlElement:
    """A copy of the page without nav/header/footer/aside/form/script elements and, with
    `by_name`, without containers whose class or id says comment/share/related/sidebar/..."""
    tree = lxml.html.fromstring(lxml.html.tostring(tree))
    for element in list(tree.iter(*_BOILERPLATE_TAGS)):
        if element.tag != "form":
            _drop(element)
    # A form is boilerplate (a search box, a sign-up) unless the article itself sits inside
    # it, as on ASP.NET pages that wrap the whole body in one <form>.
    for element in list(tree.iter("form")):
        if len(_clean(element.text_content())) < _FORM_BODY_CHARS:
            _drop(element)
    if by_name:
        for element in list(tree.iter()):
            if not isinstance(element.tag, str) or element.tag in _NEVER_DROP:
                continue
            names = f"{element.get('class', '')} {element.get('id', '')}"
            if names.strip() and _BOILERPLATE_NAMES.search(names):
                _drop(element)
    return tree


def _has_text(tree: lxml.html.HtmlElement) -> bool:
    body = tree.find("body")
    return body is not None and bool(body.text_content().strip())


def _drop(element: etree._Element) -> None:
    if element.getparent() is not None:
        element.drop_tree()


@dataclass(frozen=True)
class _Meta:
    title: str
    author: str
    published: str | None
    canonical: str | None


def _fallback_metadata(tree: lxml.html.HtmlElement) -> _Meta:
    return _Meta(
        title=_fallback_title(tree),
        author=_fallback_author(tree),
        published=_fallback_date(tree),
        canonical=_first(
            tree, "//link[@rel='canonical']/@href", "//meta[@property='og:url']/@content"
        ),
    )


def _headline(tree: lxml.html.HtmlElement, title: str) -> str:
    """The page's <title> (without a site suffix) instead of `title` when a heading of the
    page repeats it and `title` shares few words with it: trafilatura takes the first <h1>,
    which on some sites is a section's name ("Allergies Health Center") while the story's
    headline is an <h2> that the <title> names too."""
    raw = _first(tree, "//title/text()")
    headline = _SITE_SUFFIX.sub("", raw).strip() if raw else ""
    if not headline or headline.casefold() == title.casefold():
        return title
    if title and title.casefold() in raw.casefold():
        return title
    headings = {_clean(h.text_content()).casefold() for h in tree.xpath("//h1|//h2")}
    if headline.casefold() not in headings:
        return title
    ours, theirs = set(_WORDS.findall(title.casefold())), set(_WORDS.findall(headline.casefold()))
    shared = len(ours & theirs) / max(len(ours | theirs), 1)
    return headline if shared < 0.5 else title


_WORDS = re.compile(r"\w+")


def _fallback_title(tree: lxml.html.HtmlElement) -> str:
    og_title = _first(tree, "//meta[@property='og:title']/@content")
    if og_title:
        return og_title
    for heading in tree.xpath("//h1"):
        text = _clean(heading.text_content())
        if text:
            return text
    title = _first(tree, "//title/text()")
    return _SITE_SUFFIX.sub("", title).strip() if title else ""


def _fallback_author(tree: lxml.html.HtmlElement) -> str:
    for item in json_ld_objects(tree):
        name = _json_ld_author(item.get("author"))
        if name:
            return name
    author = _first(
        tree, "//meta[@name='author']/@content", "//meta[@property='article:author']/@content"
    )
    if author and not urlsplit(author).scheme:
        return author
    return ""


def _fallback_date(tree: lxml.html.HtmlElement) -> str | None:
    candidates = [str(item.get("datePublished") or "") for item in json_ld_objects(tree)]
    candidates += tree.xpath("//meta[@property='article:published_time']/@content")
    candidates += tree.xpath("//meta[@itemprop='datePublished']/@content")
    candidates += tree.xpath("//time/@datetime")
    for candidate in candidates:
        parsed = parse_date(str(candidate))
        if parsed:
            return parsed
    return None


def json_ld_objects(tree: lxml.html.HtmlElement) -> Iterator[dict]:
    """Every JSON-LD object on the page, flattening lists and @graph."""
    for script in tree.xpath("//script[@type='application/ld+json']"):
        try:
            data = json.loads(script.text or "")
        except ValueError:
            continue
        stack = [data]
        while stack:
            item = stack.pop(0)
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                yield item
                if isinstance(item.get("@graph"), list):
                    stack.extend(item["@graph"])


def _json_ld_author(value: object) -> str:
    if isinstance(value, str):
        return _clean(value)
    if isinstance(value, dict):
        return _clean(str(value.get("name") or ""))
    if isinstance(value, list):
        names = [_json_ld_author(item) for item in value]
        return ", ".join(name for name in names if name)
    return ""


# --- small helpers -----------------------------------------------------------------------------


def _parse(html: str) -> lxml.html.HtmlElement | None:
    # lxml refuses str input that carries an XML encoding declaration; the text is decoded already.
    html = _XML_DECLARATION.sub("", html, count=1)
    html = _XML_FORBIDDEN.sub("", _XML_SPACES.sub(" ", html))
    if not html.strip():
        return None
    try:
        # Comments go at parse time: trafilatura drops the text that follows a comment kept in
        # the tree, and React pages put "<!-- -->" between every pair of text nodes.
        return lxml.html.document_fromstring(html, parser=_PARSER)
    except (etree.ParserError, ValueError):
        return None


_PARSER = lxml.html.HTMLParser(remove_comments=True)


def _first(tree: lxml.html.HtmlElement, *paths: str) -> str:
    for path in paths:
        for value in tree.xpath(path):
            text = _clean(str(value))
            if text:
                return text
    return ""


def _clean(text: str) -> str:
    return " ".join(text.split())


def _absolute(href: str, base_url: str | None) -> str:
    return urljoin(base_url, href) if base_url else href


def _bounded(published: str | None, max_date: str | None) -> str | None:
    if published and max_date and published > max_date[:10]:
        return None
    return published
