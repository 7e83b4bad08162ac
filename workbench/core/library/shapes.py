"""Reading published fact checks: schema.org ClaimReview in the shapes it is published in.

- JSON-LD: a single ClaimReview, an array of them, an `@graph`, or ClaimReviews nested in other
  nodes (a WebPage's mainEntity, a Claim's review), in a .json file or in the
  `<script type="application/ld+json">` blocks of a saved HTML page;
- feeds: JSON Lines (one ClaimReview or feed item per line) or a DataFeed whose
  `dataFeedElement` items hold the ClaimReviews (the form aggregators publish);
- the JSON of Google's Fact Check Tools API `claims:search` (`{"claims": [{"text", "claimant",
  "claimDate", "claimReview": [{"publisher", "url", "title", "reviewDate", "textualRating",
  "languageCode"}]}]}`);
- CSV (or tab-separated) with claim, rating, url, publisher and date columns.

Every usable review becomes a FactCheck; every unusable one a BadRow with a one-line reason, so
a damaged feed imports all it can.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workbench.core.errors import InvalidInputError, LoadError
from workbench.core.library.model import FactCheck

MAX_BYTES = 2_000_000_000  # read whole (and decoded): larger would need many GB of memory
NESTED = "nested too deeply to be a ClaimReview"  # thousands of brackets: no feed is built so


@dataclass(frozen=True)
class BadRow:
    where: str  # "line 12", "dataFeedElement[3]", "row 7"
    reason: str

    def __str__(self) -> str:
        return f"{self.where}: {self.reason}"


Read = FactCheck | BadRow

_LD_SCRIPT = re.compile(
    r"<script[^>]*type\s*=\s*[\"']application/ld\+json[\"'][^>]*>(.*?)</script\s*>",
    re.IGNORECASE | re.DOTALL,
)


def read_file(path: Path) -> Iterator[Read]:
    """The fact checks in one file, in file order, with a BadRow for each unusable entry."""
    try:
        if path.stat().st_size > MAX_BYTES:
            raise _too_large(path)
        with path.open("rb") as file:
            raw = file.read(MAX_BYTES + 1)  # bounded even if it grew since (or is no file)
    except FileNotFoundError as exc:
        raise LoadError(f"No such file: {path}.") from exc
    except OSError as exc:
        raise LoadError(f"{path} cannot be read: {exc.strerror or exc}.") from exc
    if len(raw) > MAX_BYTES:
        raise _too_large(path)
    text = _decode(raw)
    del raw
    suffix = path.suffix.lower()
    if suffix in (".csv", ".tsv"):
        yield from read_csv(text, delimiter="\t" if suffix == ".tsv" else None)
    elif suffix in (".html", ".htm", ".xhtml") or text.lstrip()[:1] == "<":
        yield from read_html(text)
    elif suffix in (".jsonl", ".ndjson"):
        yield from read_json_lines(text)
    elif text.lstrip()[:1] in ("{", "["):
        try:
            yield from read_json(text)
        except RecursionError:
            raise InvalidInputError(f"{path.name} is {NESTED} file.") from None
    else:
        raise InvalidInputError(
            f"{path.name} is not a ClaimReview file: expected JSON, JSON Lines, HTML or CSV."
        )


def _too_large(path: Path) -> InvalidInputError:
    return InvalidInputError(
        f"{path.name} is larger than {MAX_BYTES // 1_000_000_000} GB, more than a ClaimReview "
        "file is read at once: split it into smaller files (JSON Lines split at any line)."
    )


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


# ---------------------------------------------------------------------- JSON shapes
def read_json(text: str) -> Iterator[Read]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        if exc.msg == "Extra data":  # several objects: a JSON Lines feed without the extension
            yield from read_json_lines(text)
            return
        raise InvalidInputError(f"Not valid JSON (line {exc.lineno}: {exc.msg}).") from exc
    yield from _walk(data, "document")


def read_json_lines(text: str) -> Iterator[Read]:
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"line {number}"
        try:
            data = json.loads(line)
            yield from _expect(data, where)
        except json.JSONDecodeError as exc:
            yield BadRow(where, f"not JSON ({exc.msg})")
        except RecursionError:
            yield BadRow(where, f"{NESTED} entry")


def read_html(text: str) -> Iterator[Read]:
    for number, block in enumerate(_LD_SCRIPT.findall(text), start=1):
        where = f"JSON-LD block {number}"
        try:
            data = json.loads(block.strip().removeprefix("<!--").removesuffix("-->"))
            yield from _walk(data, where)
        except json.JSONDecodeError as exc:
            yield BadRow(where, f"not JSON ({exc.msg})")
        except RecursionError:
            yield BadRow(where, NESTED)


def _types(node: dict[str, Any]) -> set[str]:
    kind = node.get("@type", node.get("type", ()))
    kinds = kind if isinstance(kind, list) else [kind]
    return {str(k).rsplit("/", 1)[-1].rsplit(":", 1)[-1] for k in kinds}


def _is_review(node: dict[str, Any]) -> bool:
    return "ClaimReview" in _types(node) or "claimReviewed" in node


def _is_google_claim(node: dict[str, Any]) -> bool:
    return isinstance(node.get("claimReview"), list) and "text" in node


def _expect(node: Any, where: str) -> Iterator[Read]:
    """A place that should hold a review (a feed line or item): nothing found is a bad row."""
    found = False
    for item in _walk(node, where):
        found = True
        yield item
    if not found:
        yield BadRow(where, "no ClaimReview in it")


def _walk(node: Any, where: str) -> Iterator[Read]:
    """Every review under node; other nodes (WebPage, Organization, …) are passed through."""
    if isinstance(node, list):
        for i, item in enumerate(node):
            if isinstance(item, dict | list):
                yield from _walk(item, f"{where}[{i}]")
            else:
                yield BadRow(f"{where}[{i}]", "not an object")
        return
    if not isinstance(node, dict):
        yield BadRow(where, "not an object")
        return
    if _is_review(node):
        yield _review(node, where)
        return
    if _is_google_claim(node):
        yield from _google_claim(node, where)
        return
    if isinstance(node.get("claims"), list):  # a claims:search response
        for i, claim in enumerate(node["claims"]):
            yield from _expect(claim, f"claims[{i}]")
        return
    if isinstance(node.get("dataFeedElement"), list):
        for i, element in enumerate(node["dataFeedElement"]):
            if isinstance(element, dict) and "item" in element and not _is_review(element):
                element = element["item"]
            yield from _expect(element, f"dataFeedElement[{i}]")
        return
    for key, value in node.items():
        if key != "@context" and isinstance(value, dict | list):
            yield from _walk(value, f"{where}.{key}")


# ---------------------------------------------------------------------- one review
def _text(value: Any) -> str:
    if isinstance(value, str):
        return " ".join(value.split())
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, dict):
        return _text(value.get("name") or value.get("@value") or value.get("text") or "")
    if isinstance(value, list):
        return ", ".join(t for t in (_text(v) for v in value) if t)
    return ""


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        return float(str(value).strip())
    except ValueError:
        return None


def _first(value: Any) -> Any:
    return value[0] if isinstance(value, list) and value else value


def _urls(value: Any) -> tuple[str, ...]:
    items = value if isinstance(value, list) else [value]
    urls: list[str] = []
    for item in items:
        url = (
            item if isinstance(item, str) else item.get("url", "") if isinstance(item, dict) else ""
        )
        if isinstance(url, str) and url.strip() and url.strip() not in urls:
            urls.append(url.strip())
    return tuple(urls)


def _review(node: dict[str, Any], where: str) -> Read:
    item = _first(node.get("itemReviewed"))
    item = item if isinstance(item, dict) else {}
    claim = _text(node.get("claimReviewed")) or _text(item.get("name") or item.get("text"))
    if not claim:
        return BadRow(where, "ClaimReview without claimReviewed")
    rating = _first(node.get("reviewRating"))
    rating = rating if isinstance(rating, dict) else {"alternateName": rating}
    url = node.get("url") or node.get("@id") or ""
    if not isinstance(url, str):
        return BadRow(where, "ClaimReview url is not text")
    author = _text(node.get("author"))
    appearance = _urls(item.get("appearance")) + _urls(item.get("firstAppearance"))
    return FactCheck(
        claim_reviewed=claim,
        url=url.strip(),
        rating=_text(rating.get("alternateName") or rating.get("name")),
        rating_value=_number(rating.get("ratingValue")),
        best_rating=_number(rating.get("bestRating")),
        worst_rating=_number(rating.get("worstRating")),
        title=_text(node.get("name") or node.get("headline")),
        publisher=_text(node.get("publisher")) or author,
        author=author,
        date=_text(node.get("datePublished") or node.get("dateCreated")),
        claimant=_text(item.get("author")),
        claim_date=_text(item.get("datePublished")),
        appearances=tuple(dict.fromkeys(appearance)),
        language=_text(node.get("inLanguage")),
    )


def _google_claim(node: dict[str, Any], where: str) -> Iterator[Read]:
    claim = _text(node.get("text"))
    reviews = [r for r in node.get("claimReview", []) if isinstance(r, dict)]
    if not claim or not reviews:
        yield BadRow(where, "claim without text or without claimReview")
        return
    for review in reviews:
        publisher = review.get("publisher") if isinstance(review.get("publisher"), dict) else {}
        url = review.get("url", "")
        yield FactCheck(
            claim_reviewed=claim,
            url=url.strip() if isinstance(url, str) else "",
            rating=_text(review.get("textualRating")),
            title=_text(review.get("title")),
            publisher=_text(publisher.get("name") or publisher.get("site")),
            date=_text(review.get("reviewDate")),
            claimant=_text(node.get("claimant")),
            claim_date=_text(node.get("claimDate")),
            language=_text(review.get("languageCode")),
        )


# ---------------------------------------------------------------------- CSV
_COLUMNS = {
    "claim_reviewed": ("claim", "claimreviewed", "claimtext", "text", "statement"),
    "rating": ("rating", "verdict", "textualrating", "alternatename", "reviewrating"),
    "url": ("url", "reviewurl", "factcheckurl", "link"),
    "publisher": ("publisher", "organization", "organisation", "site", "factchecker"),
    "date": ("date", "datepublished", "reviewdate", "published"),
    "title": ("title", "name", "headline"),
    "claimant": ("claimant", "speaker", "claimauthor"),
    "claim_date": ("claimdate",),
    "language": ("language", "lang", "inlanguage", "languagecode"),
    "rating_value": ("ratingvalue",),
    "best_rating": ("bestrating",),
    "worst_rating": ("worstrating",),
    "author": ("author", "reviewauthor"),
    "appearances": ("appearance", "appearances", "claimurl"),
}
_NUMERIC = {"rating_value", "best_rating", "worst_rating"}


def read_csv(text: str, *, delimiter: str | None = None) -> Iterator[Read]:
    if delimiter is None:
        head = text[:4096]
        try:
            delimiter = csv.Sniffer().sniff(head, delimiters=",;\t").delimiter
        except csv.Error:
            delimiter = ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = next(reader, None)
    if not header:
        return
    names = [re.sub(r"[^a-z]", "", h.lower()) for h in header]
    where: dict[str, int] = {}
    for field_name, aliases in _COLUMNS.items():
        for alias in aliases:
            if alias in names:
                where[field_name] = names.index(alias)
                break
    if "claim_reviewed" not in where:
        raise InvalidInputError(
            "The CSV has no claim column (expected one of: claim, claimReviewed, text)."
        )
    for number, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        values: dict[str, Any] = {}
        for field_name, index in where.items():
            cell = row[index].strip() if index < len(row) else ""
            if field_name in _NUMERIC:
                values[field_name] = _number(cell) if cell else None
            elif field_name == "appearances":
                values[field_name] = tuple(u for u in cell.split() if u)
            else:
                values[field_name] = " ".join(cell.split())
        if not values.get("claim_reviewed"):
            yield BadRow(f"row {number}", "no claim")
            continue
        yield FactCheck(**values)
