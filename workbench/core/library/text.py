"""Text handling shared by the library's index and its matcher.

Queries come from claims in articles and from social posts, so they are cleaned the same way
before either ranker sees them: links, embed tails ("— Name (@handle) May 5, 2020") and
hashtag marks carry no claim. Numbers are read with their unit so that "14%" and "41%" (or
"2019" and "2020") can be told apart when a match is judged.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_URL = re.compile(r"(?:https?://|www\.|pic\.twitter\.com/)\S+", re.IGNORECASE)
# The tail a tweet embed adds: "— Display Name (@handle) January 14, 2020".
_EMBED_TAIL = re.compile(
    r"[\u2014\u2013-]+\s*(?P<name>[^\n\u2014\u2013(]{0,80})\(@\w+\)\s+\w+\s+\d{1,2},\s+\d{4}"
)
_TAG = re.compile(r"[#@](\w+)")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_WORD = re.compile(r"\w+", re.UNICODE)
_SPACE = re.compile(r"\s+")

# A number with its attached unit: "14%", "14 per cent", "$3.5", "1,200", "2019", "3.5bn".
_NUMBER = re.compile(
    r"(?P<cur>[$€£¥])?\s?(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?:\s?(?P<pct>%|per ?cent\b|percent\b))?"
    r"(?:\s?(?P<mult>million|billion|trillion|thousand|bn|m|k)\b)?",
    re.IGNORECASE,
)
_MULT = {"thousand": "k", "k": "k", "million": "m", "m": "m", "billion": "bn", "bn": "bn"}
_MULT["trillion"] = "tn"

STOPWORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before
    being below between both but by can did do does doing down during each few for from further
    had has have having he her here hers herself him himself his how i if in into is it its
    itself just me more most my myself no nor not now of off on once only or other our ours
    ourselves out over own same she should so some such than that the their theirs them
    themselves then there these they this those through to too under until up very was we were
    what when where which while who whom why will with would you your yours yourself yourselves
    rt amp via s t don didn doesn isn wasn aren weren won wouldn couldn shouldn ll ve re d m o y
    says said say just also get got like one""".split()  # noqa: SIM905 (a word list reads better)
)


def clean_query(text: str) -> str:
    """The claim in a query without links and embed dates; hashtags and handles become words
    ("#AustralianFires" -> "Australian Fires"), and an embedded post keeps its author's name."""
    text = unicodedata.normalize("NFKC", text)
    text = _URL.sub(" ", text)
    text = _EMBED_TAIL.sub(lambda m: f" — {m.group('name').strip()}. ", text)
    text = _TAG.sub(lambda m: " " + _CAMEL.sub(" ", m.group(1)).replace("_", " ") + " ", text)
    text = _JOINED.sub(_split_joined, text)
    return _SPACE.sub(" ", text).strip()


_JOINED = re.compile(r"\b[A-Z]?[a-z]+(?:[A-Z][a-z]+)+\b")


def _split_joined(m: re.Match[str]) -> str:
    """ "JoeBiden" -> "Joe Biden" (handles that lost their @), but "McDonald", "iPhone" stay."""
    parts = _CAMEL.sub(" ", m.group(0)).split()
    return " ".join(parts) if all(len(p) >= 3 for p in parts) else m.group(0)


def normalize_claim(text: str) -> str:
    """Case, quotes and spacing folded: two wordings that differ only there are one claim."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(_WORD.findall(text))


def words(text: str) -> list[str]:
    """Lower-cased word tokens."""
    return _WORD.findall(unicodedata.normalize("NFKC", text).casefold())


def content_words(text: str) -> list[str]:
    """Words that can carry a match: no stop words, no one-letter tokens."""
    return [w for w in words(text) if w not in STOPWORDS and len(w) > 1]


@lru_cache(maxsize=100_000)  # a claim is compared with dozens of candidates, and back
def numbers(text: str) -> frozenset[str]:
    """Numbers with their unit, normalised: {"14%", "$3.5", "1200", "2019", "3.5bn"}.

    Small counting numbers (0-10) without a unit are left out: "two reasons" or "1 in 5" are
    too common to tell claims apart and too often written in words."""
    return frozenset(value for _, _, value in number_spans(unicodedata.normalize("NFKC", text)))


def number_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, normalised value) of each number in text, as `numbers` reads them."""
    found: list[tuple[int, int, str]] = []
    for m in _NUMBER.finditer(text):
        start = m.start("num")
        if start > 0 and (text[start - 1].isalpha() or text[start - 1] in "@#"):
            continue  # part of a word or handle: "COVID19", "@user2"
        raw = m.group("num").replace(",", "")
        value = raw.rstrip("0").rstrip(".") if "." in raw else raw.lstrip("0") or "0"
        unit = ""
        if m.group("pct"):
            unit = "%"
        mult = (m.group("mult") or "").lower()
        if mult in _MULT and not (mult == "m" and not m.group("cur")):
            unit += _MULT[mult]
        cur = m.group("cur") or ""
        if not unit and not cur and "." not in value and int(value) <= 10:
            continue
        first = m.start("cur") if cur else start
        found.append((first, m.end(), f"{cur}{value}{unit}"))
    return found


def number_conflict(query: str, candidate: str) -> tuple[float, frozenset[str]]:
    """How much the candidate's numbers disagree with the query's, and which of them differ.

    Both must state numbers for a conflict: a fact check about "41%" does not check a claim of
    "14%", but a claim with no figure can still be the one checked. Returns (share of the
    candidate's numbers the query does not state, those numbers)."""
    q = numbers(query)
    if not q:  # most claims state no figure: the candidate's are not even read
        return 0.0, frozenset()
    c = numbers(candidate)
    if not c:
        return 0.0, frozenset()
    differing = c - q
    return len(differing) / len(c), differing


_CAPITAL = re.compile(r"\b[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*")


def entities(text: str) -> set[str]:
    """Capitalised names ("Joe Biden", "Guantanamo Bay") not at a sentence start, folded."""
    found: set[str] = set()
    for m in _CAPITAL.finditer(text):
        j = m.start() - 1
        while j >= 0 and text[j].isspace():  # the character before, spaces skipped (no copy)
            j -= 1
        if j < 0 or text[j] in ".!?:\"“'‘":
            continue  # a capital at a sentence start says nothing
        for word in m.group(0).split():
            folded = word.casefold().strip("'’-")
            if folded not in STOPWORDS and len(folded) > 1:
                found.add(folded)
    return found
