"""Signs that a stored copy is not the evidence it seems to be.

An archive answers 200 for many copies that do not hold the cited page: an error page served
with 200 (a "soft 404"), a paywall stub, a cookie-consent interstitial, the site's home page
after the deep link stopped working, or a page with almost no text. Each check returns a flag
and a short clause for the snapshot's note, so the fact-checker is told before quoting it.

The checks are deliberately conservative: a pattern alone never flags a page that also has an
article's worth of text (an article about broken links may say "404" and "page not found"). A
missed flag leaves the reader where they were; a false one teaches them to ignore the banner.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

import lxml.html
from lxml import etree

from workbench.core.article.decode import decode_bytes
from workbench.core.article.extract import json_ld_objects
from workbench.core.sources.archive.select import same_resource
from workbench.core.sources.flags import FLAG_SENTENCES
from workbench.core.sources.snapshot import Snapshot

Check = tuple[str, str]  # (flag, clause for the note)

HTML_TYPES = ("text/html", "application/xhtml+xml")
THIN_CHARS = 200  # less than a paragraph: no article
SHORT_CHARS = 600  # an error, consent or paywall page's own text fits in this
HEADING_LIMIT = 2000  # an error-page title on more text than this is an article about errors
ERROR_TITLE_WORDS = 6  # "Sorry, this page does not exist" is an error; a longer title is a headline
PAYWALL_LIMIT = 1500  # a paywall stub shows a lede or two, rarely more
CONSENT_REST_LIMIT = 600  # visible text left once the consent notice is taken away
PAYWALL_PART_MIN = 500  # the paywalled section is really in the copy when it has this much
MAX_HTML_CHARS = 5_000_000
VISIBLE_CHARS = 20_000

_I = re.IGNORECASE
# Titles and <h1>s of error pages. Bare "not found" or "404" only at the start or end of a title
# ("404 | Site", "Site - Not Found"), never inside a headline ("Missing plane not found").
_SEP = r"[|\u2013\u2014:·-]"
_PAGE = r"(?:page|file|article|story|content|document|url|post|video|link)"
_ERROR_HEADING = re.compile(
    rf"^\W*(?:error\W*)?404(?:\s*{_SEP}|\W*$|\s+(?:error|page|not)\b)|{_SEP}\s*404\W*$"
    r"|\b(?:error|erreur|fehler)\s*404\b|\b404\s+error\b|\b404\W+not\s+found\b"
    rf"|^\W*not\s+found\b|{_SEP}\s*not\s+found\W*$|\b{_PAGE}\s+(?:was\s+)?not\s+found\b"
    rf"|\b{_PAGE}\s+(?:does\s+not|doesn['’]t|no\s+longer)\s+exists?\b"
    rf"|\b{_PAGE}\s+(?:is\s+)?no\s+longer\s+available\b"
    r"|^\W*hrm\b|wayback\s+machine\s+has\s+not\s+archived|excluded\s+from\s+the\s+wayback"
    r"|seite\s+nicht\s+gefunden|page\s+introuvable|p[aá]gina\s+no\s+encontrada"
    r"|pagina\s+non\s+trovata|pagina\s+niet\s+gevonden",
    _I,
)
# Error sentences in the body of a short page.
_ERROR_TEXT = re.compile(
    _ERROR_HEADING.pattern
    + r"|\bpage\s+(?:you\s+(?:are|were)\s+looking\s+for|you\s+requested|requested)[^.]{0,40}?"
    r"(?:could\s+not|cannot|can['’]t|couldn['’]t|does\s+not|doesn['’]t|no\s+longer|"
    r"may\s+have|might\s+have|has\s+been|was\s+not)"
    r"|\b(?:could\s+not|couldn['’]t|can['’]t|cannot)\s+find\s+(?:that|this|the)\s+page\b"
    r"|\bthis\s+page\s+(?:does\s+not|doesn['’]t)\s+exist|\bcould\s+not\s+be\s+found\b",
    _I | re.MULTILINE,
)
_PAYWALL_TEXT = re.compile(
    r"\bsubscribe\s+(?:now\s+)?to\s+(?:continue|keep\s+reading|read)|\bto\s+continue\s+reading\b"
    r"|\balready\s+(?:a\s+subscriber|subscribed|have\s+an\s+account)"
    r"|\b(?:for|only\s+for|available\s+to)\s+(?:paying\s+)?subscribers\b|\bsubscribers\s+only\b"
    r"|\b(?:sign\s+in|log\s*in|register)\s+to\s+(?:continue|read)"
    r"|\breached\s+your\s+(?:free\s+)?(?:article|story)\s+limit"
    r"|\bfree\s+articles?\s+(?:left|remaining)\b",
    _I,
)
_CONSENT_TEXT = re.compile(
    r"\bwe\s+value\s+your\s+privacy\b|\b(?:accept|allow|agree\s+to)\s+(?:all\s+)?cookies\b"
    r"|\bcookie\s+(?:consent|settings|preferences)\b|\bbefore\s+you\s+continue\b"
    r"|\b(?:manage|customi[sz]e)\s+(?:your\s+)?(?:cookie|privacy|consent)"
    r"|\bwe\s+and\s+our\s+(?:\d+\s+)?(?:partners|vendors)\b|\breject\s+all\b"
    r"|\bconsent\s+to\s+(?:the\s+use\s+of\s+)?(?:cookies|the\s+processing)"
    r"|\byour\s+privacy\s+choices\b|\bbevor\s+sie\s+fortfahren\b|\bavant\s+de\s+continuer\b",
    _I,
)
_CONSENT_HOSTS = re.compile(r"^(?:consent\.|guce\.|myprivacy\.)", _I)
_HOME_PATH = re.compile(
    r"^/?(?:[a-z]{2}(?:[-_][a-z]{2})?/?)?"
    r"(?:(?:index|default|home|homepage|start)(?:\.[a-z]{2,5})?)?/?$",
    _I,
)
_ORIGINAL_IN_ARCHIVE_URL = re.compile(r"https?:/{1,2}[^/?#\s]+.*", _I)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", _I)
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_INVISIBLE = ("script", "style", "noscript", "template", "svg")


@dataclass(frozen=True)
class _Html:
    """What the checks read from the raw page, beside the extracted text."""

    headings: tuple[str, ...]  # <title>, og:title, <h1>s
    visible: str  # all visible text, nav and banners included
    json_ld: tuple[dict, ...]
    canonical: tuple[str, ...]  # rel=canonical and og:url
    tree: lxml.html.HtmlElement | None


def check_snapshot(
    snapshot: Snapshot, readable_text: str, title: str, *, cited_url: str
) -> list[Check]:
    """Flags and note clauses for a copy that may not show the cited page (empty when fine)."""
    found: list[Check] = []
    text = readable_text.strip()
    status = snapshot.http_status
    if status is not None and status >= 400:
        found.append(("archived-error", f"the page already answered HTTP {status} when captured"))
    html = _read_html(snapshot)
    if html is not None:
        headings = (title, *html.headings)
        if not found and _is_error_page(headings, text, html.visible):
            found.append(_flag("soft-404"))
        if _is_paywalled(html, text):
            found.append(_flag("paywall"))
        if _is_consent_wall(snapshot, title, text, html.visible):
            found.append(_flag("consent-wall"))
    if _went_home(snapshot, cited_url, html):
        found.append(_flag("redirected-home"))
    if html is not None and not found and len(text) < THIN_CHARS:
        found.append(_flag("thin"))  # said only when nothing above explains the missing text
    return found


def _flag(name: str) -> Check:
    return (name, FLAG_SENTENCES[name])


# ---- the checks ----------------------------------------------------------------------------


def _is_error_page(headings: tuple[str, ...], text: str, visible: str) -> bool:
    if len(text) < HEADING_LIMIT and any(_heading_is_error(h) for h in headings):
        return True
    if len(text) < SHORT_CHARS and any(_ERROR_HEADING.search(h) for h in headings if h):
        return True  # a headline that only mentions an error, on a page with no article
    if len(text) < SHORT_CHARS and _ERROR_TEXT.search(text):
        return True
    # Extraction found (almost) nothing: the error may sit in a box the extractor dropped.
    return len(text) < THIN_CHARS and bool(_ERROR_TEXT.search(visible[:3000]))


def _heading_is_error(heading: str) -> bool:
    """A title that is an error message ("Page not found – Site"), not a headline about one."""
    segments = re.split(rf"\s+{_SEP}\s+|\s*[|\u2013\u2014·]\s*", heading)
    return any(
        _ERROR_HEADING.search(segment) and len(segment.split()) <= ERROR_TITLE_WORDS
        for segment in segments
    )


def _is_paywalled(html: _Html, text: str) -> bool:
    marked = [item for item in html.json_ld if _not_free(item.get("isAccessibleForFree"))]
    if marked:
        selectors = [s for item in marked for s in _paywalled_selectors(item)]
        if selectors and html.tree is not None:
            # The publisher marks which part is paywalled; when the copy holds that part's
            # text (hidden from readers only by CSS), the evidence is there after all.
            return _selected_text_length(html.tree, selectors) < PAYWALL_PART_MIN
        return len(text) < PAYWALL_LIMIT
    if len(text) < PAYWALL_LIMIT and _PAYWALL_TEXT.search(text):
        return True
    # Outside the extracted text, one phrase is just the header's "Already a subscriber? Log
    # in" of every news site; a stub says two ("Subscribe to continue...", "Already a...").
    phrases = {m.group(0).lower() for m in _PAYWALL_TEXT.finditer(html.visible[:5000])}
    return len(text) < SHORT_CHARS and len(phrases) >= 2


def _is_consent_wall(snapshot: Snapshot, title: str, text: str, visible: str) -> bool:
    final_host = urlsplit(_final_url(snapshot) or "").hostname or ""
    if _CONSENT_HOSTS.match(final_host):
        return True
    # The copy is a consent notice when taking the notice's paragraphs away leaves next to nothing.
    if _CONSENT_TEXT.search(title) or _CONSENT_TEXT.search(text):
        return len(_without_consent(text)) < THIN_CHARS
    if len(text) < THIN_CHARS and _CONSENT_TEXT.search(visible):
        return len(_without_consent(visible)) < CONSENT_REST_LIMIT
    return False


def _went_home(snapshot: Snapshot, cited_url: str, html: _Html | None) -> bool:
    if _is_home(cited_url):
        return False
    finals = [_final_url(snapshot), snapshot.landed_url, snapshot.original_url]
    if "redirected" in snapshot.flags and html is not None:
        finals.extend(html.canonical)  # where the capture's redirect led, as the page says
    for final in finals:
        if final and not same_resource(final, cited_url) and _is_home(final):
            return True
    return False


# ---- helpers -------------------------------------------------------------------------------


def _not_free(value: object) -> bool:
    return value is False or (isinstance(value, str) and value.strip().lower() in ("false", "no"))


def _paywalled_selectors(item: dict) -> Iterator[str]:
    parts = item.get("hasPart")
    for part in parts if isinstance(parts, list) else [parts]:
        if not isinstance(part, dict) or not isinstance(part.get("cssSelector"), str):
            continue
        if part.get("isAccessibleForFree") is None or _not_free(part["isAccessibleForFree"]):
            yield part["cssSelector"]


def _selected_text_length(tree: lxml.html.HtmlElement, selectors: list[str]) -> int:
    total = 0
    for selector in selectors:
        for simple in selector.split(","):
            xpath = _simple_selector_xpath(simple.strip())
            if xpath is None:
                return PAYWALL_PART_MIN  # a selector we cannot follow: do not guess "missing"
            total += sum(len(" ".join(el.text_content().split())) for el in tree.xpath(xpath))
    return total


def _simple_selector_xpath(selector: str) -> str | None:
    """XPath for `tag`, `.class`, `#id` and their combinations (what paywall markup uses)."""
    match = re.fullmatch(r"([a-zA-Z][\w-]*)?((?:[.#][\w-]+)+)|([a-zA-Z][\w-]*)", selector)
    if match is None:
        return None
    tag = match.group(1) or match.group(3) or "*"
    tests = []
    for kind, name in re.findall(r"([.#])([\w-]+)", match.group(2) or ""):
        if kind == ".":
            tests.append(f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')")
        else:
            tests.append(f"@id='{name}'")
    return f"//{tag}" + "".join(f"[{test}]" for test in tests)


def _without_consent(text: str) -> str:
    blocks = re.split(r"\n+|(?<=[.!?])\s+", text)
    return " ".join(b for b in blocks if b.strip() and not _CONSENT_TEXT.search(b)).strip()


def _final_url(snapshot: Snapshot) -> str | None:
    """The captured URL an archive's address names (…/web/2024…/https://site/path)."""
    archive_url = snapshot.archive_url or ""
    scheme_end = archive_url.find("://")
    match = _ORIGINAL_IN_ARCHIVE_URL.search(archive_url, scheme_end + 3 if scheme_end >= 0 else 0)
    if match is None:
        return None
    return re.sub(r"^(https?):/(?!/)", r"\1://", match.group(0), flags=_I)


def _is_home(url: str) -> bool:
    parts = urlsplit(url.strip())
    return bool(parts.hostname) and not parts.query and bool(_HOME_PATH.match(parts.path))


def _read_html(snapshot: Snapshot) -> _Html | None:
    ctype = (snapshot.content_type or "").split(";")[0].strip().lower()
    if (ctype and ctype not in HTML_TYPES) or snapshot.body.startswith(b"%PDF-"):
        return None
    decoded = decode_bytes(snapshot.body, declared=snapshot.encoding, is_html=True).text
    cleaned = _XML_FORBIDDEN.sub(" ", _XML_DECLARATION.sub("", decoded[:MAX_HTML_CHARS], count=1))
    if not cleaned.strip():
        return _Html((), "", (), (), None)
    try:
        tree = lxml.html.document_fromstring(cleaned)
    except (etree.LxmlError, ValueError):
        return _Html((), "", (), (), None)
    headings = tuple(_texts(tree, "//title", "//h1"))
    headings += tuple(str(v) for v in tree.xpath("//meta[@property='og:title']/@content"))
    json_ld = tuple(json_ld_objects(tree))
    canonical = tuple(
        str(v)
        for v in tree.xpath("//link[@rel='canonical']/@href|//meta[@property='og:url']/@content")
    )
    etree.strip_elements(tree, *_INVISIBLE, with_tail=False)  # JSON-LD is read already
    return _Html(headings, _visible_text(tree), json_ld, canonical, tree)


def _texts(tree: lxml.html.HtmlElement, *paths: str) -> Iterator[str]:
    for path in paths:
        for element in tree.xpath(path):
            text = " ".join(element.text_content().split())
            if text:
                yield text


def _visible_text(tree: lxml.html.HtmlElement) -> str:
    body = tree.find("body")
    if body is None:
        return ""
    parts: list[str] = []
    size = 0
    for piece in body.itertext():
        words = " ".join(piece.split())
        if words:
            parts.append(words)
            size += len(words)
            if size > VISIBLE_CHARS:
                break
    return "\n".join(parts)
