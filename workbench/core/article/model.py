"""The article as values: its text, metadata and links (every offset points into `text`)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Link:
    """A hyperlink of the article body; text == article.text[start:end]."""

    start: int
    end: int
    href: str
    text: str


@dataclass(frozen=True)
class Article:
    title: str
    byline: str
    published: str | None  # ISO 8601 date (YYYY-MM-DD) or datetime, when the source states one
    url: str | None  # canonical URL when known
    text: str  # body text; every claim span is an offset into this
    links: tuple[Link, ...] = ()
    raw: bytes = field(default=b"", repr=False)  # the original bytes as loaded
    source_kind: str = "text"  # "text" | "html" | "url"
    encoding: str | None = None  # how the bytes were decoded
    # Body links to anything but http(s) (file:, smb:, javascript:...): their text is kept as
    # plain text and these targets are reported once, when the article is loaded.
    refused_links: tuple[str, ...] = ()
