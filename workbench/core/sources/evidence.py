"""Finding the passage of a source that bears on a claim, and checking quotations against it.

Two questions a fact-checker asks of every source: "where does this page talk about the claim?"
(rank_passages: Okapi BM25 over the source's paragraphs, with the claim's numbers, dates and
names counting for more than its common words) and "did they really say that?"
(check_quote: exact after typographic normalisation, else the closest approximate match with a
word-level diff). Both are deterministic and work on plain text; offsets are into that text.

Public API:
- split_passages(text) -> list[Passage]
- rank_passages(claim_text, source_text, k=5) -> list[ScoredPassage]
- term_spans(passage_text, terms) -> list[tuple[int, int]]
- check_quote(quote_text, source_text) -> QuoteCheck
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache

from workbench.core.errors import InvalidInputError

# --- passages -----------------------------------------------------------------------------------

MAX_PASSAGE_CHARS = 600  # longer paragraphs are cut into sentence windows
MIN_PASSAGE_CHARS = 120  # shorter ones not ending like a sentence join the next paragraph
MIN_SENTENCE_CHARS = 40  # shorter ones always do
WINDOW_SENTENCES = 3
WINDOW_STEP = 2  # windows overlap by one sentence, so a claim spanning two sentences still fits


@dataclass(frozen=True)
class Passage:
    start: int
    end: int
    text: str  # == source_text[start:end]


def _wordset(words: str) -> frozenset[str]:
    return frozenset(words.split())


def _wordset_ordered(words: str) -> list[str]:
    return words.split()


_TERMINAL = ".!?\"'”’):;"
_BLANK_LINE = re.compile(r"\n[ \t\r\f\v]*\n")
_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9£$€])")
_ABBREVIATIONS = _wordset(
    "mr mrs ms dr prof st cllr rev gen col lt sgt no vs etc inc ltd co jr sr fig approx"
)


def split_passages(text: str) -> list[Passage]:
    """Paragraphs of `text`, with long ones cut into overlapping windows of a few sentences.

    Paragraphs are blocks between blank lines when the text has any (hard-wrapped text), else
    lines (what extractors produce). Offsets exclude surrounding whitespace.
    """
    passages: list[Passage] = []
    for start, end in _merge_short(text, _paragraph_spans(text)):
        if end - start <= MAX_PASSAGE_CHARS:
            passages.append(Passage(start, end, text[start:end]))
            continue
        sentences = _sentence_spans(text, start, end)
        for i in range(0, max(1, len(sentences) - WINDOW_SENTENCES + WINDOW_STEP), WINDOW_STEP):
            window = sentences[i : i + WINDOW_SENTENCES]
            w_start, w_end = window[0][0], window[-1][1]
            passages.append(Passage(w_start, w_end, text[w_start:w_end]))
    return passages


def _paragraph_spans(text: str) -> list[tuple[int, int]]:
    separator = _BLANK_LINE if _BLANK_LINE.search(text) else re.compile(r"\n")
    spans: list[tuple[int, int]] = []
    position = 0
    for match in [*separator.finditer(text), None]:
        stop = match.start() if match else len(text)
        span = _trim(text, position, stop)
        if span:
            spans.append(span)
        if match:
            position = match.end()
    return spans


def _merge_short(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Join fragments (headings, menu items, table cells, site names) to what follows, so a
    heading ranks with its section rather than alone: BM25 favours very short passages."""
    merged: list[tuple[int, int]] = []
    pending: int | None = None
    for start, end in spans:
        start = start if pending is None else pending
        if _is_fragment(text[start:end]):
            pending = start
            continue
        pending = None
        merged.append((start, end))
    if pending is not None:
        merged.append((pending, spans[-1][1]))
    return merged


def _is_fragment(paragraph: str) -> bool:
    if len(paragraph) < MIN_SENTENCE_CHARS:
        return True
    return len(paragraph) < MIN_PASSAGE_CHARS and paragraph[-1] not in _TERMINAL


def _sentence_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    position = start
    for match in _SENTENCE_END.finditer(text, start, end):
        before = text[position : match.start() + 1]
        last_word = re.findall(r"(\w+)\.$", before)
        if last_word and (last_word[0].lower() in _ABBREVIATIONS or len(last_word[0]) == 1):
            continue  # "Cllr. Oduya", "J. Smith": not the end of a sentence
        span = _trim(text, position, match.end())
        if span:
            spans.append(span)
        position = match.end()
    span = _trim(text, position, end)
    if span:
        spans.append(span)
    return spans


def _trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None


# --- terms --------------------------------------------------------------------------------------

_STOPWORDS = _wordset(
    """a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers herself him himself his how i if in into is it its
    itself just me more most my myself no nor not of off on once only or other our ours ourselves
    out over own same she should so some such than that the their theirs them themselves then there
    these they this those through to too under until up very was we were what when where which while
    who whom why will with would you your yours yourself yourselves said says say told according
    """
)

_TOKEN = re.compile(
    r"(?P<num>\d+(?:[.,]\d+)*(?:\s?[-–—‒]\s?\d+(?:[.,]\d+)*)?)(?:(?P<unit>bn|m|k)(?!\w))?"
    r"|(?P<pct>%)"
    r"|(?P<percent>per\s+cent\b)"
    r"|(?P<word>[^\W\d_]+(?:['’][^\W\d_]+)*)",
    re.IGNORECASE,
)
_UNITS = {"bn": "billion", "m": "million", "k": "thousand"}
# "seven votes to two" should meet "7 votes in favour and 2 against".
_NUMBER_WORDS = {
    word: str(value)
    for value, word in enumerate(
        _wordset_ordered(
            "zero one two three four five six seven eight nine ten eleven twelve thirteen"
            " fourteen fifteen sixteen seventeen eighteen nineteen twenty"
        )
    )
}
_THOUSANDS = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$")
_MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
_MONTH = (
    r"(?P<{0}>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DAY = r"(?P<{0}>[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
# "3 March", "3rd of March", "March 3": one term, so the 3 of a date never meets a stray 3.
_DATE = re.compile(
    rf"\b(?:{_DAY.format('d1')}\s+(?:of\s+)?{_MONTH.format('m1')}"
    rf"|{_MONTH.format('m2')}\s+{_DAY.format('d2')})(?![\w])",
    re.IGNORECASE,
)
# "3. Date of next meeting": a list or section number at the start of a line is not a figure.
_LIST_NUMBER = re.compile(r"^[ \t]*\(?\d{1,3}[.)](?=\s)", re.MULTILINE)
_SENTENCE_START = re.compile(r"(?:^|[.!?:;\n\"“‘(]\s*|[.!?][\"”’)]\s*)$")
# How much more a shared figure, date or name counts than a shared common word: "seven votes
# to two ... on 3 March" is about 7, 2 and 3 March far more than about "meeting".
WEIGHTS = {"number": 2.0, "date": 2.0, "name": 2.0, "word": 1.0}


@dataclass(frozen=True)
class _Term:
    term: str
    start: int
    end: int
    kind: str = "word"  # number, date, name or word: see WEIGHTS
    capital: bool = False  # written with a capital here (a name meets only a capitalised word)


def _terms(text: str) -> list[_Term]:
    """Search terms of `text` with their spans: stemmed words without stopwords, numbers (not
    list numbers), dates (day and month as one term) and names (capitalised inside a sentence)."""
    dates = [_date_term(m) for m in _DATE.finditer(text)]
    skip = [(t.start, t.end) for t in dates]
    skip += [(m.start(), m.end()) for m in _LIST_NUMBER.finditer(text)]
    found: list[_Term] = list(dates)
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        if match.group("num") is not None:
            if not any(lo <= match.start() < hi for lo, hi in skip):
                found.extend(_number_terms(match))
        elif kind in ("pct", "percent"):
            found.append(_Term("percent", match.start(), match.end()))
        elif kind == "word":
            if any(lo <= match.start() < hi for lo, hi in skip):
                continue  # the month of a date: the date term stands for it
            raw = match.group("word")
            word = raw.lower().replace("’", "'")
            word = word.removesuffix("'s")
            if word in _NUMBER_WORDS:
                found.append(_Term(_NUMBER_WORDS[word], match.start(), match.end(), "number"))
                continue
            if word in _STOPWORDS or len(word) < 2:
                continue
            name = raw[0].isupper() and not _SENTENCE_START.search(text[: match.start()][-4:])
            kind = "name" if name else "word"
            found.append(_Term(_stem(word), match.start(), match.end(), kind, raw[0].isupper()))
    found.sort(key=lambda t: t.start)
    return found


def _date_term(match: re.Match[str]) -> _Term:
    day = match.group("d1") or match.group("d2")
    month = (match.group("m1") or match.group("m2")).lower()[:3]
    number = next(i for i, m in enumerate(_MONTHS, 1) if m.startswith(month))
    return _Term(f"{number:02d}-{int(day):02d}", match.start(), match.end(), "date")


def _number_terms(match: re.Match[str]) -> list[_Term]:
    raw = match.group("num")
    start = match.start("num")
    parts = [(m.group(), start + m.start()) for m in re.finditer(r"\d+(?:[.,]\d+)*", raw)]
    terms = [_Term(_number(text), pos, pos + len(text), "number") for text, pos in parts]
    if len(parts) == 2:  # a range such as "60-70" or "60 – 70": the range itself is a term too
        ranged = f"{_number(parts[0][0])}-{_number(parts[1][0])}"
        terms.insert(0, _Term(ranged, start, start + len(raw), "number"))
    unit = match.group("unit")
    if unit:
        terms.append(_Term(_UNITS[unit.lower()], match.start("unit"), match.end("unit")))
    return terms


def _number(text: str) -> str:
    """ "1,000" -> "1000"; "4.2" stays; a trailing separator ("2026.") is dropped."""
    text = text.rstrip(".,")
    return text.replace(",", "") if _THOUSANDS.match(text) else text


def _stem(word: str) -> str:
    """Light suffix stripping, enough for plural/-ed/-ing variants to meet ("votes", "voted",
    "voting" -> "vot"); not a linguistic stemmer, and it need not produce real words."""
    if len(word) > 4 and word.endswith("ies"):
        word = word[:-3] + "y"
    elif len(word) > 4 and word.endswith("sses"):
        word = word[:-2]
    elif len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    if len(word) > 5 and word.endswith("ing"):
        word = _undouble(word[:-3])
    elif len(word) > 4 and word.endswith("ied"):
        word = word[:-3] + "y"
    elif len(word) > 4 and word.endswith("ed"):
        word = _undouble(word[:-2])
    if len(word) > 3 and word.endswith("e"):
        word = word[:-1]
    return word


def _undouble(stem: str) -> str:
    if len(stem) > 3 and stem[-1] == stem[-2] and stem[-1] not in "lsz":
        return stem[:-1]
    return stem


def term_spans(passage_text: str, terms: Iterable[str]) -> list[tuple[int, int]]:
    """Where the given (normalised) terms occur in `passage_text`, merged and in order."""
    wanted = set(terms)
    spans = sorted((t.start, t.end) for t in _terms(passage_text) if t.term in wanted)
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


# --- ranking ------------------------------------------------------------------------------------

BM25_K1 = 1.5
BM25_B = 0.75


@dataclass(frozen=True)
class ScoredPassage:
    start: int
    end: int
    score: float
    terms: tuple[str, ...]  # matched query terms, strongest first; see term_spans()
    text: str = ""  # == source_text[start:end]


def rank_passages(claim_text: str, source_text: str, k: int = 5) -> list[ScoredPassage]:
    """The k passages of `source_text` that best match `claim_text` (Okapi BM25), best first.

    Passages that share no term with the claim are left out; overlapping sentence windows are
    reported once (the better one). Ties go to the earlier passage.
    """
    weight: dict[str, float] = {}
    claim_terms = _terms(claim_text)
    for t in claim_terms:
        weight[t.term] = max(weight.get(t.term, 0.0), WEIGHTS[t.kind])
    names = {t.term for t in claim_terms if t.kind == "name"}
    query = list(weight)
    passages = split_passages(source_text)
    if not query or not passages or k <= 0:
        return []
    found = [_terms(p.text) for p in passages]
    bags = [Counter(t.term for t in terms) for terms in found]
    # "Fund" in the claim's "Regional Transport Fund" is a name; "the fund's board" is not it.
    capitals = [{t.term for t in terms if t.capital} for terms in found]
    lengths = [sum(bag.values()) for bag in bags]
    average = sum(lengths) / len(lengths) or 1.0
    df = Counter(term for bag in bags for term in set(bag) if term in query)
    idf = {term: math.log(1 + (len(passages) - n + 0.5) / (n + 0.5)) for term, n in df.items()}
    scored: list[tuple[float, int, tuple[str, ...]]] = []
    for index, (bag, length) in enumerate(zip(bags, lengths, strict=True)):
        named = capitals[index]
        contributions: dict[str, float] = {}
        for term in query:
            tf = bag.get(term, 0)
            if tf:
                norm = BM25_K1 * (1 - BM25_B + BM25_B * length / average)
                bm25 = idf[term] * tf * (BM25_K1 + 1) / (tf + norm)
                w = weight[term]
                if term in names and term not in named:
                    w = WEIGHTS["word"]
                contributions[term] = w * bm25
        if contributions:
            ordered = sorted(contributions, key=lambda t: (-contributions[t], t))
            scored.append((sum(contributions.values()), index, tuple(ordered)))
    scored.sort(key=lambda item: (-item[0], passages[item[1]].start))
    chosen: list[ScoredPassage] = []
    for score, index, terms in scored:
        p = passages[index]
        if any(p.start < c.end and c.start < p.end for c in chosen):
            continue
        chosen.append(ScoredPassage(p.start, p.end, round(score, 6), terms, p.text))
        if len(chosen) == k:
            break
    return chosen


# --- quotations ---------------------------------------------------------------------------------

MIN_SIMILARITY = 0.6
MAX_ELLIPSIS_CHARS = 5000  # how much source text an ellipsis may stand for
MAX_INSERTION_CHARS = 60  # what an editorial "[the council]" may replace
_CANDIDATES = 8
_ANCHORS = 6
_COMMON = 500  # a word found more often than this is a poor anchor


@dataclass(frozen=True)
class QuoteCheck:
    status: str  # "verbatim" | "differs" | "not_found"
    start: int | None  # span in the source of the best match (None when not found)
    end: int | None
    similarity: float  # 1.0 for verbatim; for not_found, the best similarity seen
    # (op, claim_part, source_part); op is "equal", "replace", "delete" (only in the quote),
    # "insert" (only in the source) or "gap" (elided by an ellipsis or editorial insertion).
    diff: tuple[tuple[str, str, str], ...] = ()


_QUOTE_MARKS = "\"'`´‘’‚‛“”„‟′″«»‹›"
_DASHES = "‐‑‒–—―−"
_INVISIBLE = "\u00ad\u200b\u200c\u200d\ufeff"


def _fold(text: str) -> tuple[str, list[int]]:
    """Text with quote marks, dashes, whitespace and case made uniform, and for every character
    of the result the index of the character of `text` it came from."""
    out: list[str] = []
    where: list[int] = []
    for index, char in enumerate(text):
        if char in _INVISIBLE:
            continue
        if char.isspace():
            if out and out[-1] == " ":
                continue
            folded = " "
        elif char in _QUOTE_MARKS:
            folded = '"'
        elif char in _DASHES:
            folded = "-"
        elif char == "…":
            folded = "..."
        else:
            folded = char.lower()
        out.extend(folded)
        where.extend([index] * len(folded))
    return "".join(out), where


@lru_cache(maxsize=4)
def _folded_source(text: str) -> tuple[str, tuple[int, ...]]:
    """_fold of a source text, kept for the next check: every quotation of every claim citing
    a copy is checked against the same text (4 checks of two 200 KB copies folded each text
    twice, 3 s of a 5 s comparison). A tuple, so no caller can change the shared map."""
    folded, where = _fold(text)
    return folded, tuple(where)


_GAP = re.compile(
    r"\[\s*(?:\.\s*){3}\]|\(\s*(?:\.\s*){3}\)|\.\s*\.\s*\."  # [...], (...), ... (and folded …)
    r"|\[(?P<inner>[^\]\n]{1,80})\]"  # [the council], [T]he, [sic]
)
_EDGE = ' ,;:.!?"-'


@dataclass(frozen=True)
class _Segment:
    start: int  # span in the folded quote
    end: int
    gap_before: str  # "", "ellipsis" or "insert"


def check_quote(quote_text: str, source_text: str) -> QuoteCheck:
    """Whether `quote_text` appears in `source_text`: verbatim (after normalising quote marks,
    dashes, whitespace and case; "..."/"…"/"[...]" match any gap, "[the]" any short insertion),
    differing (closest match with similarity >= 0.6, with a word-level diff), or not found."""
    fq, qmap = _fold(quote_text)
    segments = _segments(fq)
    if not any(re.search(r"\w", fq[s.start : s.end]) for s in segments):
        raise InvalidInputError("The quotation is empty; select the words to check.")
    fs, smap = _folded_source(source_text)
    exact = _verbatim(fq, segments, fs)
    if exact:
        return _verbatim_result(exact, quote_text, qmap, segments, source_text, smap)
    return _approximate(quote_text, fq, qmap, segments, source_text, fs, smap)


def _segments(fq: str) -> list[_Segment]:
    """The quoted stretches of a folded quote, split at ellipses and editorial insertions."""
    segments: list[_Segment] = []
    position = 0
    gap = ""
    for match in _GAP.finditer(fq):
        if match.group("inner") is not None and _is_inline_bracket(fq, match):
            continue  # "[T]he": part of the word, not a gap
        # An ellipsis may stand for any stretch; "[the council]" or "[sic]" for a few words.
        kind = "insert" if match.group("inner") is not None else "ellipsis"
        if _add_segment(segments, fq, position, match.start(), gap):
            gap = kind
        elif gap != "ellipsis":
            gap = kind  # two markers in a row: the wider gap wins
        position = match.end()
    _add_segment(segments, fq, position, len(fq), gap)
    return segments


def _is_inline_bracket(fq: str, match: re.Match[str]) -> bool:
    before = fq[match.start() - 1] if match.start() > 0 else " "
    after = fq[match.end()] if match.end() < len(fq) else " "
    return bool(_INLINE.fullmatch(match.group())) and (before.isalpha() or after.isalpha())


def _add_segment(segments: list[_Segment], fq: str, start: int, end: int, gap: str) -> bool:
    while start < end and fq[start] in _EDGE:
        start += 1
    while end > start and fq[end - 1] in _EDGE:
        end -= 1
    if start >= end:
        return False
    segments.append(_Segment(start, end, gap if segments else ""))
    return True


_INLINE = re.compile(r"\[([^\W\d_]{1,3})\]")


def _unbracket(text: str) -> str:
    return _INLINE.sub(r"\1", text)


def _verbatim(fq: str, segments: list[_Segment], fs: str) -> re.Match[str] | None:
    pattern = []
    for index, segment in enumerate(segments):
        piece = _unbracket(fq[segment.start : segment.end])
        if index:
            limit = MAX_ELLIPSIS_CHARS if segment.gap_before == "ellipsis" else MAX_INSERTION_CHARS
            pattern.append(f"(.{{0,{limit}}}?)")
        # Whole words only: "levy ... and" must not match inside "levying".
        before = r"(?<!\w)" if piece[0].isalnum() else ""
        after = r"(?!\w)" if piece[-1].isalnum() else ""
        pattern.append(f"{before}({re.escape(piece)}){after}")
    return re.search("".join(pattern), fs, re.DOTALL)


def _verbatim_result(
    match: re.Match[str],
    quote: str,
    qmap: Sequence[int],
    segments: list[_Segment],
    source: str,
    smap: Sequence[int],
) -> QuoteCheck:
    diff: list[tuple[str, str, str]] = []
    group = 1
    for index, segment in enumerate(segments):
        if index:
            gap_source = _original(source, smap, match.start(group), match.end(group))
            diff.append(("gap", "…" if segment.gap_before == "ellipsis" else "[…]", gap_source))
            group += 1
        claim_part = _original(quote, qmap, segment.start, segment.end)
        source_part = _original(source, smap, match.start(group), match.end(group))
        diff.append(("equal", claim_part, source_part))
        group += 1
    start, end = _original_span(smap, match.start(), match.end())
    return QuoteCheck("verbatim", start, end, 1.0, tuple(diff))


def _original_span(where: Sequence[int], start: int, end: int) -> tuple[int, int]:
    return where[start], where[end - 1] + 1


def _original(text: str, where: Sequence[int], start: int, end: int) -> str:
    if start >= end:
        return ""
    first, last = _original_span(where, start, end)
    return text[first:last]


# approximate matching works on word and punctuation tokens of the folded texts

# A word may contain an editorial "[t]" ("[t]he"); the brackets are dropped from the token.
_PIECE = r"(?:\w|\[[^\W\d_]{1,3}\])+"
_WORD = re.compile(rf"{_PIECE}(?:[-'\".,]{_PIECE})*|[^\w\s\"]")


@dataclass(frozen=True)
class _Tokens:
    words: Sequence[str]
    starts: Sequence[int]  # in the folded text
    ends: Sequence[int]


def _tokens(folded: str, start: int = 0, end: int | None = None) -> _Tokens:
    found = list(_WORD.finditer(folded, start, len(folded) if end is None else end))
    words = [_unbracket(m.group()) if "[" in m.group() else m.group() for m in found]
    return _Tokens(words, [m.start() for m in found], [m.end() for m in found])


@lru_cache(maxsize=4)
def _source_tokens(folded: str) -> tuple[_Tokens, dict[str, tuple[int, ...]]]:
    """A folded source's tokens and where each word occurs, kept for the next quotation that
    is not verbatim, as _folded_source keeps the fold: a page is checked for every quotation
    of every claim citing it, and indexing a long page cost more than the matching itself.
    Tuples, so no caller can change what the next one reads."""
    found = _tokens(folded)
    tokens = _Tokens(tuple(found.words), tuple(found.starts), tuple(found.ends))
    index: dict[str, list[int]] = {}
    for position, word in enumerate(tokens.words):
        index.setdefault(word, []).append(position)
    return tokens, {word: tuple(at) for word, at in index.items()}


@dataclass(frozen=True)
class _Match:
    similarity: float
    lo: int  # token range in the source
    hi: int
    opcodes: tuple[tuple[str, int, int, int, int], ...]


def _approximate(
    quote: str,
    fq: str,
    qmap: Sequence[int],
    segments: list[_Segment],
    source: str,
    fs: str,
    smap: Sequence[int],
) -> QuoteCheck:
    src, index = _source_tokens(fs)
    diff: list[tuple[str, str, str]] = []
    weighted = 0.0
    total = 0
    lo = 0
    first: int | None = None
    last: int | None = None
    for number, segment in enumerate(segments):
        q = _tokens(fq, segment.start, segment.end)
        if not q.words:
            continue
        hi = len(src.words)
        if number and segment.gap_before == "insert":
            hi = min(hi, lo + len(q.words) * 2 + 12)
        found = _best_match(q.words, src.words, index, lo, hi)
        total += len(q.words)
        if found is None:
            diff.append(("delete", _original(quote, qmap, segment.start, segment.end), ""))
            continue
        weighted += found.similarity * len(q.words)
        if number and last is not None:
            gap = _original(source, smap, src.ends[last - 1], src.starts[found.lo])
            diff.append(("gap", "…" if segment.gap_before == "ellipsis" else "[…]", gap))
        diff.extend(_word_diff(found, q, quote, qmap, src, source, smap))
        first = found.lo if first is None else first
        last = found.hi
        lo = found.hi
    similarity = round(weighted / total, 4) if total else 0.0
    if similarity < MIN_SIMILARITY or first is None or last is None:
        return QuoteCheck("not_found", None, None, similarity, ())
    start, end = _original_span(smap, src.starts[first], src.ends[last - 1])
    return QuoteCheck("differs", start, end, similarity, tuple(diff))


def _best_match(
    quote_words: Sequence[str],
    source_words: Sequence[str],
    index: Mapping[str, Sequence[int]],
    lo: int,
    hi: int,
) -> _Match | None:
    """The closest region of source_words[lo:hi] to quote_words, trying only the few starts
    that rare shared words point to (never every offset, which is too slow on long pages)."""
    best: _Match | None = None
    size = len(quote_words)
    slack = max(5, size // 2)
    for start in _candidate_starts(quote_words, index, lo, hi):
        w_lo, w_hi = max(lo, start - slack), min(hi, start + size + slack)
        if w_lo >= w_hi:
            continue
        match = _align(quote_words, source_words, w_lo, w_hi)
        if match and (best is None or match.similarity > best.similarity):
            best = match
    return best


def _candidate_starts(
    quote_words: Sequence[str], index: Mapping[str, Sequence[int]], lo: int, hi: int
) -> list[int]:
    present = [w for w in dict.fromkeys(quote_words) if any(c.isalnum() for c in w)]
    present = [w for w in present if _count_in(index.get(w, []), lo, hi)]
    rare = sorted(present, key=lambda w: (len(index[w]), -len(w), w))
    anchors = [w for w in rare if len(index[w]) <= _COMMON][:_ANCHORS] or rare[:1]
    votes: Counter[int] = Counter()
    for word in anchors:
        offsets = [i for i, q in enumerate(quote_words) if q == word]
        for position in index[word]:
            if lo <= position < hi:
                for offset in offsets:
                    votes[position - offset] += 1
    # Nearby starts are the same region seen through different anchors: pool their votes.
    pooled = {s: sum(votes.get(s + d, 0) for d in range(-3, 4)) for s in votes}
    ranked = sorted(pooled, key=lambda s: (-pooled[s], s))
    chosen: list[int] = []
    for start in ranked:
        if all(abs(start - c) > 3 for c in chosen):
            chosen.append(start)
        if len(chosen) == _CANDIDATES:
            break
    return chosen


def _count_in(positions: Sequence[int], lo: int, hi: int) -> bool:
    return any(lo <= p < hi for p in positions)


def _align(
    quote_words: Sequence[str], source_words: Sequence[str], lo: int, hi: int
) -> _Match | None:
    window = source_words[lo:hi]
    matcher = SequenceMatcher(None, quote_words, window, autojunk=False)
    blocks = [b for b in matcher.get_matching_blocks() if b.size]
    if not blocks:
        return None
    # Trim the window to the stretch of matching blocks that gives the best ratio, so stray
    # matches of common words at the window's edges do not widen the reported span.
    size = len(quote_words)
    best = (0.0, 0, 0)
    for i in range(len(blocks)):
        matched = 0
        for j in range(i, len(blocks)):
            matched += blocks[j].size
            span = blocks[j].b + blocks[j].size - blocks[i].b
            ratio = 2 * matched / (size + span)
            if ratio > best[0]:
                best = (ratio, i, j)
    first, last = blocks[best[1]], blocks[best[2]]
    # Quote words left over before the first or after the last matching block were changed,
    # not dropped: take as many source words there, so the diff shows what the source says.
    head = min(first.a, first.b)
    tail = min(size - last.a - last.size, len(window) - last.b - last.size)
    r_lo, r_hi = lo + first.b - head, lo + last.b + last.size + tail
    final = SequenceMatcher(None, quote_words, source_words[r_lo:r_hi], autojunk=False)
    opcodes = tuple(
        (tag, i1, i2, j1 + r_lo, j2 + r_lo) for tag, i1, i2, j1, j2 in final.get_opcodes()
    )
    return _Match(final.ratio(), r_lo, r_hi, opcodes)


def _word_diff(
    match: _Match,
    q: _Tokens,
    quote: str,
    qmap: Sequence[int],
    src: _Tokens,
    source: str,
    smap: Sequence[int],
) -> list[tuple[str, str, str]]:
    ops: list[tuple[str, str, str]] = []
    for tag, i1, i2, j1, j2 in match.opcodes:
        claim_part = _original(quote, qmap, q.starts[i1], q.ends[i2 - 1]) if i2 > i1 else ""
        source_part = _original(source, smap, src.starts[j1], src.ends[j2 - 1]) if j2 > j1 else ""
        ops.append((tag, claim_part, source_part))
    return ops
