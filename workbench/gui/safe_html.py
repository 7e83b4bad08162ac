"""Showing archived pages without running them or fetching anything they point at.

An archived page is evidence, not a web page to browse: it may carry scripts, tracking pixels,
style sheets, a <base href>, a meta refresh or links to javascript:/data:/file: URLs. The review
pane shows the extracted readable text; when the user asks for the "original page" it shows the
HTML reduced by nh3 (Ammonia) to structural tags and http(s) links, inside a SafeTextBrowser
that never loads a resource and never follows a link by itself.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

import nh3
from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QTextBrowser, QWidget

from workbench.core.net.urls import NOT_WEB_REASON, WEB_SCHEMES, is_web_url, shown, web_url


def _names(spaced: str) -> frozenset[str]:
    return frozenset(spaced.split())


# Structure and emphasis only: no img, style, script, iframe, object, form, base, meta, link.
ALLOWED_TAGS = _names(
    "a abbr b blockquote br caption cite code dd del dl dt em h1 h2 h3 h4 h5 h6 hr i ins li "
    "mark ol p pre q s small strong sub sup table tbody td tfoot th thead tr u ul"
)
# Whole elements dropped with their content: code, style rules and document metadata.
DROPPED_WITH_CONTENT = _names(
    "script style head title template noscript iframe object embed svg math select textarea "
    "button form"
)
OPENABLE_SCHEMES = WEB_SCHEMES


def sanitize_html(markup: str, base_url: str | None = None) -> str:
    """Archived HTML reduced to an inert allowlist: only `href` survives, only http(s).

    Relative links are made absolute against `base_url` (the page's original address) so they
    can be opened later on request; without one they are dropped.
    """
    relative: Any = "deny"
    if base_url and is_openable_url(base_url):
        relative = ("rewrite_with_base", base_url)
    return nh3.clean(
        markup,
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(DROPPED_WITH_CONTENT),
        attributes={"a": {"href"}},
        url_schemes=set(OPENABLE_SCHEMES),
        url_relative=relative,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


def is_openable_url(url: str) -> bool:
    """Whether a link may be handed to the desktop: the program's one URL policy."""
    return is_web_url(url)


def open_in_desktop(url: str) -> bool:
    """The default opener: the user's browser via QDesktopServices (looked up at call time).

    The last gate before the desktop: whatever called it, only an http(s) address is handed on.
    """
    checked = web_url(url)
    if checked is None:
        return False
    QDesktopServices.openUrl(QUrl(checked))
    return True


def plain_tooltip(text: str) -> str:
    """A tooltip showing `text` literally: Qt renders tooltips that look like HTML as rich
    text, so archived strings are escaped and wrapped rather than passed through."""
    return f"<p style='white-space:pre-wrap'>{html.escape(text)}</p>"


class SafeTextBrowser(QTextBrowser):
    """A QTextBrowser that loads nothing and navigates nowhere.

    The default loadResource() resolves relative and file: URLs against search paths; here it
    returns nothing for every request. Links are never followed by the widget: a click emits
    `linkRequested(url)` and the owner decides (see `open_link`).
    """

    linkRequested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setSearchPaths([])
        self.anchorClicked.connect(lambda url: self.linkRequested.emit(url.toString()))

    def loadResource(self, kind: int, name: QUrl) -> Any:
        return None

    def setSource(self, *args: Any, **kwargs: Any) -> None:
        """Never navigate: a source URL would be loaded through loadResource and replace the
        evidence on screen."""


def open_link(url: str, opener: Callable[[str], object]) -> bool:
    """Hand `url` to `opener` only when it is an http(s) address; True when it was opened."""
    checked = web_url(url)
    if checked is None:
        return False
    opener(checked)
    return True


def refused_link_message(url: str) -> str:
    """What the person is told when a link is not opened."""
    return f"Not opened: {shown(url)} is not a web address; {NOT_WEB_REASON}."
