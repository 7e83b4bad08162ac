"""RFC 8288 link-format: the Link headers and TimeMaps that Memento archives speak."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Link:
    uri: str
    rel: tuple[str, ...]  # "first memento" -> ("first", "memento")
    params: tuple[tuple[str, str], ...] = ()

    def param(self, name: str) -> str | None:
        for key, value in self.params:
            if key == name:
                return value
        return None


def parse_link_format(text: str) -> list[Link]:
    """Links from an RFC 8288 Link header or an application/link-format TimeMap.

    A tokenizer, not a split on commas: quoted values (datetime="Tue, 20 Jun 2000 ...") contain
    commas. Malformed input yields the links that could be read.
    """
    links: list[Link] = []
    i, n = 0, len(text)
    while i < n:
        start = text.find("<", i)
        if start < 0:
            break
        end = text.find(">", start + 1)
        if end < 0:
            break
        uri = text[start + 1 : end].strip()
        params, i = _read_params(text, end + 1)
        rel = tuple(dict(params).get("rel", "").lower().split())
        links.append(Link(uri=uri, rel=rel, params=tuple(params)))
    return links


def _read_params(text: str, i: int) -> tuple[list[tuple[str, str]], int]:
    params: list[tuple[str, str]] = []
    n = len(text)
    while i < n:
        while i < n and text[i].isspace():
            i += 1
        if i >= n or text[i] == ",":
            return params, i + 1
        if text[i] != ";":
            return params, i  # garbage: resync on the next "<"
        i += 1
        name_start = i
        while i < n and text[i] not in "=;,":
            i += 1
        name = text[name_start:i].strip().lower()
        value = ""
        if i < n and text[i] == "=":
            value, i = _read_value(text, i + 1)
        if name:
            params.append((name, value))
    return params, i


def _read_value(text: str, i: int) -> tuple[str, int]:
    n = len(text)
    while i < n and text[i].isspace():
        i += 1
    if i < n and text[i] == '"':
        out: list[str] = []
        i += 1
        while i < n and text[i] != '"':
            if text[i] == "\\" and i + 1 < n:
                i += 1
            out.append(text[i])
            i += 1
        return "".join(out), i + 1
    start = i
    while i < n and text[i] not in ";,":
        i += 1
    return text[start:i].strip(), i


def original_from_link(link_header: str) -> str | None:
    """The rel="original" URL of a Link header (the page an archived copy is of), if given."""
    for link in parse_link_format(link_header):
        if "original" in link.rel:
            return link.uri
    return None
