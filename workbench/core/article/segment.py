"""Sentence spans: exact (start, end) offsets of the sentences in an article's text.

Claims are pinned to offsets into the article, so the splitter never rewrites the text: it only
decides where sentences start and end. ``text[start:end]`` is a sentence with the white space
around it trimmed; spans come in order, never overlap and are never empty.

How it works, in three passes that each look at every character a bounded number of times
(so a megabyte of text splits in a fraction of a second and no input can make it quadratic):

1. Layout. Blank lines end paragraphs, and a paragraph always ends a sentence. Inside a
   paragraph, a line break ends a sentence when the layout says so (a list item, a heading-like
   line, a line of lines); it is ordinary white space when the paragraph looks like wrapped
   prose. A paragraph that is an inline list ("1. ... 2. ...") is cut before each item.
2. Candidates. Every run of sentence punctuation (``.``, ``!``, ``?``, ``…`` and spaced
   ellipses such as ``. . .``) is a candidate boundary; closing quotes and brackets after it
   belong to the sentence it ends.
3. Decisions. A candidate is a boundary or not from its close context: the word before it
   (abbreviation, initial, number, list label) and the first character after the following
   white space (lower case never starts a sentence here). The ambiguous cases follow the
   English "Golden Rules" of Pragmatic Segmenter, tuned on news text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from itertools import pairwise

from workbench.core.errors import InvalidInputError

Span = tuple[int, int]

# --- characters --------------------------------------------------------------------------

# Latin, CJK full-width, Arabic (؟ ۔), Devanagari (। ॥), Ethiopic (። ፧) and Armenian (։) marks.
_TERMINALS = frozenset(".!?…‼⁇⁈⁉。！？؟۔।॥።፧։")
_STRONG = frozenset("!?‼⁇⁈⁉！？؟۔।॥።፧։")
# Quotes and brackets that close what the full stop ended: 'He said "go." Then' keeps the quote.
_CLOSERS = frozenset(")]}\"'”’»›」』")
_OPENERS = frozenset("([{\"'“‘«‹¿¡「『")
# Marks that continue a sentence after white space: "Is Turkey to blame? | The Blog", "Why? — he said".
_CONTINUATIONS = frozenset("|/\\–—-:;,·")
_BULLETS = "•⁃‣◦▪▫●○■□►▸▹➢➤✓✔"
# Invisible characters trimmed with the white space (a BOM at the start of a file, for one).
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"

# --- patterns (each is linear: no nested quantifiers over overlapping classes) -------------

# str.splitlines() boundaries, with CR LF as one break.
_LINE_BREAK = re.compile(r"\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]")
# Breaks that end a paragraph on their own, without a blank line.
_PARAGRAPH_BREAKS = frozenset("\f\x1c\x1d\x1e\u2029")
_NON_SPACE = re.compile(rf"[^\s{_INVISIBLE}]")
_SPACE_RUN = re.compile(rf"[\s{_INVISIBLE}]*")
_ALNUM = re.compile(r"[^\W_]")
# A run of sentence punctuation, extended over spaced ellipses ("word. . . ." or "area. …").
_CLUSTER = re.compile(r"[.!?…‼⁇⁈⁉。！？؟۔।॥።፧։]+(?:[ \u00a0][.…]+)*")
_BRACKET = re.compile(r"[()\[\]{}]")
_BRACKET_PAIRS = {")": "(", "]": "[", "}": "{"}

# A list item label at the start of a line or paragraph: "1.", "2)", "3.)", "a.", "• 9.", "•".
_LIST_ITEM = re.compile(
    rf"(?P<bullet>[{_BULLETS}][ \t]*)?(?:(?P<num>\d{{1,3}})|(?P<letter>[a-z]))"
    rf"(?P<punct>\.\)|\)|\.)(?=\s)|(?P<bare>[{_BULLETS}])(?=\s)"
)
_NEXT_LIST_ITEM = re.compile(rf"(?<=\s)(?:{_LIST_ITEM.pattern})")
# A line that starts a list item even inside wrapped prose ("- item", "* item", "(a) item").
_LINE_ITEM = re.compile(rf"[-*+–—](?=\s)|\(\s*(?:\d{{1,3}}|[a-z])\s*\)(?=\s)|{_LIST_ITEM.pattern}")
# The label before a full stop that opens a list item: "1", "a", "IV", "• 9".
_LABEL = re.compile(r"\d{1,3}|[A-Za-z]|[ivxIVX]{2,4}")
# Abbreviations written with inner full stops: U.S, U.S.A, E.U, a.m, e.g, Ph.D.
_DOTTED = re.compile(r"(?:[A-Za-z]{1,2}\.)+[A-Za-z]{1,2}")
_WORD = re.compile(r"[^\W\d_]+")
# The end of a domain name written in title case: "Newsfeed.Com", "Example.Org's".
_DOMAIN_END = re.compile(
    r"(?:Com|Org|Net|Gov|Edu|Info|Biz|Io|Co|Uk|Us|Tv|Me|News)(?:[’'.,;:!?)\]]\S*)?"
)

# --- abbreviations -----------------------------------------------------------------------


def _words(spaced: str) -> frozenset[str]:
    return frozenset(spaced.split())


# Titles that always precede a name: "Gen. Hamedani", "Mt. Fuji". Only when capitalised, so
# "5th st. near" is treated as the street abbreviation it is.
_TITLES = _words(
    "adm atty attys brig capt cmdr col comdr cpl det dr drs fr gen gov hon insp lt maj messrs "
    "mlle mme mmes mr mrs ms msgr mt pfc pres prof pvt rep reps rev sen sens sgt sr st supt "
    "v vs"
)
# Abbreviations that precede a number: "No. 5", "p. 55", "N°. 1026", "Fig. 3".
_BEFORE_NUMBER = _words(
    "art arts ch chap ed eq fig figs n° nº no nos nr op p para pp sec secs tel vol vols"
)
# Abbreviations that do not end sentences in practice: "e.g. Paris" is one sentence.
_NEVER_LAST = _words("approx ca cf eg esp ie incl viz")
# Other abbreviations: not a boundary before a lower case word or a number ("Dec. 17"),
# a boundary before a capitalised word ("Pitt, Briggs & Co. It closed").
_ABBREVIATIONS = _words(
    "al apr assn asst aug ave bldg blvd bros co corp ct dec dept dist est etc exp ext feb fed "
    "ft govt hwy inc intl jan jr jul jun lb lbs ltd mar max mfg min misc mon natl nov oct oz "
    "pl pt rd sat sep sept sq sr st sun thu thur thurs tue tues univ wed yr yrs"
)
# Capitalised words that start sentences, but rarely follow "U.S." inside one: "I live in
# the U.S. How about you?" splits, "the U.S. Embassy" does not. The seed article has many
# "U.S. <Name>" phrases and no "U.S. <Name>" sentence ends, so only these words split.
_SENTENCE_STARTERS = _words(
    "A After Also Although An And As At Before Being But By Did During For From He Her His How "
    "However I If In It Its Many Meanwhile Millions More Most My No Now On One Our She Since So "
    "Some Still That The Their Then There These They This Those Though Thus To We What When "
    "Where Which While Who Why With Yet You Your "
    # Function words and sentence adverbs that open sentences but not names ("U.S. Army" and
    # "U.S.A. Today" stay whole): "Growth slowed in the U.S. Both parties blamed tariffs."
    "According Again Already Among Are Asked Because Besides Both Despite Do Does Each "
    "Earlier Even Eventually Every Everyone Finally Furthermore Had Has Have Here Indeed "
    "Instead Is Last Later Let Maybe Moreover Neither Nevertheless Next Nobody Nonetheless "
    "Nor Not Nothing Otherwise Perhaps Please Recently Sometimes Such Ultimately Unlike Was "
    "Were Yesterday"
)
_TIME_WORDS = _words(
    "monday tuesday wednesday thursday friday saturday sunday january february march april "
    "may june july august september october november december"
)
_LEAD_IN_CHARS = 40  # "At 5 a.m." opens a sentence; it cannot be one.

# What the first character after a candidate boundary is.
_LOWER, _UPPER, _DIGIT, _OTHER = range(4)

_MAX_TOKEN = 64  # how far back to look for the word before a full stop
_MAX_BRACKETED = 300  # longer "(...)" runs are more likely unbalanced than parenthetical
_MAX_WRAPPED_LINE = 120  # wrapped prose has short lines of similar length


# --- public API --------------------------------------------------------------------------


def trim_span(text: str, start: int, end: int) -> Span:
    """(start, end) moved inwards past white space at either end."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def sentence_spans(text: str) -> list[Span]:
    """Return the (start, end) offsets of the sentences in text, in order.

    ``text[start:end]`` is one sentence with surrounding white space trimmed. Headings, list
    items and paragraphs without end punctuation are spans of their own; lines of only
    punctuation (a "*  *  *" separator) are skipped. Any str is accepted; "" gives [].
    """
    if not isinstance(text, str):
        raise InvalidInputError(
            f"Text to split into sentences must be a string, not {type(text).__name__}."
        )
    spans: list[Span] = []
    for seg_start, seg_end in _segments(text):
        for start, end in _sentences_in_segment(text, seg_start, seg_end):
            span = _trimmed(text, start, end)
            if span is not None and _has_content(text, *span):
                spans.append(span)
    return spans


# --- pass 1: layout ----------------------------------------------------------------------


def _segments(text: str) -> Iterator[Span]:
    """Stretches of text that no sentence crosses: list items, headings, paragraphs."""
    for block in _paragraphs(text):
        for start, end in _split_lines(text, block):
            yield from _split_inline_list(text, start, end)


def _paragraphs(text: str) -> Iterator[list[Span]]:
    """Paragraphs as lists of their non-blank lines, each line trimmed."""
    block: list[Span] = []
    pos = 0
    for match in _LINE_BREAK.finditer(text):
        line = _trimmed(text, pos, match.start())
        if line is not None:
            block.append(line)
        if block and (line is None or match.group() in _PARAGRAPH_BREAKS):
            yield block
            block = []
        pos = match.end()
    line = _trimmed(text, pos, len(text))
    if line is not None:
        block.append(line)
    if block:
        yield block


def _split_lines(text: str, lines: list[Span]) -> list[Span]:
    """Join a paragraph's lines into segments, cutting at the line breaks that end sentences."""
    wrapped = _looks_wrapped(lines)
    last_ends = _ends_with_terminal(text, *lines[-1])
    segments: list[Span] = []
    start = lines[0][0]
    for before, after in pairwise(lines):
        if _line_break_ends_sentence(text, before, after, wrapped, last_ends):
            segments.append((start, before[1]))
            start = after[0]
    segments.append((start, lines[-1][1]))
    return segments


def _looks_wrapped(lines: list[Span]) -> bool:
    """Hard-wrapped prose: three or more short lines, all but the last of similar length."""
    if len(lines) < 3:
        return False
    lengths = [end - start for start, end in lines]
    longest = max(lengths)
    if not 40 <= longest <= _MAX_WRAPPED_LINE:
        return False
    return all(length >= 0.6 * longest for length in lengths[:-1])


def _line_break_ends_sentence(
    text: str, before: Span, after: Span, wrapped: bool, paragraph_ends_sentence: bool
) -> bool:
    if _LINE_ITEM.match(text, after[0], after[1]):
        return True
    if not _has_content(text, *before) or not _has_content(text, *after):
        return True  # a separator line such as "* * *" stays apart from its neighbours
    if wrapped:
        return False  # the sentence rules decide, as for any other white space
    if not paragraph_ends_sentence:
        return True  # lines without end punctuation: a list of lines ("features\ncontacts")
    if _ends_with_terminal(text, *before):
        return True  # one paragraph per line
    # An errant break inside a sentence is followed by lower case ("a cold\nnight").
    return not text[after[0]].islower()


def _ends_with_terminal(text: str, start: int, end: int) -> bool:
    while end > start and text[end - 1] in _CLOSERS:
        end -= 1
    return end > start and text[end - 1] in _TERMINALS


def _split_inline_list(text: str, start: int, end: int) -> Iterator[Span]:
    """Cut "1. first 2. second" before each item when the segment opens with item 1."""
    first = _LIST_ITEM.match(text, start, end)
    if first is None:
        yield (start, end)
        return
    style = _item_style(first)
    expected = _next_label(first)
    for match in _NEXT_LIST_ITEM.finditer(text, first.end(), end):
        if _item_style(match) != style or _label(match) != expected:
            continue
        yield (start, match.start())
        start = match.start()
        expected = _next_label(match)
    yield (start, end)


def _item_style(match: re.Match[str]) -> tuple[str, ...]:
    bullet = (match.group("bullet") or match.group("bare") or "").strip()
    kind = "num" if match.group("num") else "letter" if match.group("letter") else "bullet"
    return (bullet, kind, match.group("punct") or "")


def _label(match: re.Match[str]) -> str:
    return match.group("num") or match.group("letter") or ""


def _next_label(match: re.Match[str]) -> str:
    if match.group("num"):
        return str(int(match.group("num")) + 1)
    if match.group("letter"):
        return chr(ord(match.group("letter")) + 1)
    return ""  # bullets carry no label: every later bullet of the same kind starts an item


# --- passes 2 and 3: candidates and decisions --------------------------------------------


def _sentences_in_segment(text: str, seg_start: int, seg_end: int) -> list[Span]:
    brackets = _Brackets(text, seg_start, seg_end)
    pieces: list[Span] = []
    sent_start = seg_start
    for match in _CLUSTER.finditer(text, seg_start, seg_end):
        if match.start() < sent_start:
            continue
        boundary = _boundary_after(text, match, seg_end, sent_start, brackets)
        if boundary is not None:
            pieces.append((sent_start, boundary))
            sent_start = boundary
    pieces.append((sent_start, seg_end))
    return pieces


def _boundary_after(
    text: str, match: re.Match[str], seg_end: int, sent_start: int, brackets: _Brackets
) -> int | None:
    """Where the sentence ends if this punctuation ends one, else None."""
    mark = match.group()
    p, q = match.span()
    after = _skip_closers(text, q, seg_end)
    nxt = _SPACE_RUN.match(text, after, seg_end).end()
    if nxt >= seg_end:
        return None  # the segment's end ends this sentence anyway
    if nxt == after:
        return (
            after if _glued_sentence_start(text, mark, p, q, after, seg_end, sent_start) else None
        )
    if brackets.holds(p, after) and brackets.opened_at > _first_non_space(text, sent_start, p):
        return None  # "He studied (he says. Twice.) at home" keeps the aside in its sentence
    if mark == "." and text.startswith("| ", nxt):
        return after  # "Washington D.C. | Image: AP": a full stop before a bar ends the text
    kind = _next_kind(text, nxt, seg_end)
    if kind == _LOWER:
        return None  # "Yahoo! in", "great." she said", "U.S.A. last year", "What? | Blog"
    if "…" in mark or mark.count(".") >= 2:
        if p > 0 and text[p - 1] in "[(":
            return None  # "[...]" marks an omission inside a quotation
        return _ellipsis_boundary(text, mark, p, after, kind, sent_start)
    if any(ch in _STRONG for ch in mark):
        return after
    return after if _full_stop_ends_sentence(text, p, nxt, kind, sent_start) else None


def _skip_closers(text: str, pos: int, end: int) -> int:
    while pos < end and text[pos] in _CLOSERS:
        if text[pos] in "'’" and pos + 1 < end and text[pos + 1].isalnum():
            break  # an apostrophe: "Jr.'s book"
        pos += 1
    return pos


def _next_kind(text: str, pos: int, end: int) -> int:
    while pos < end and text[pos] in _OPENERS:
        pos += 1
    if pos >= end:
        return _OTHER
    ch = text[pos]
    if ch.islower() or ch in _CONTINUATIONS:
        return _LOWER
    if ch.isupper() or ch.istitle():
        return _UPPER
    return _DIGIT if ch.isdigit() else _OTHER


def _glued_sentence_start(
    text: str, mark: str, p: int, q: int, after: int, end: int, sent_start: int
) -> bool:
    """ "Hello world.Today is Tuesday." splits; "Jane.Doe@example.com" and "3.14" do not."""
    if len(mark) != 1 or after != q or after + 1 >= end:
        return False
    if not (text[after].isupper() and text[after + 1].islower()):
        return False
    token_start = _token_start(text, p, sent_start)
    before = text[token_start:p]
    if len(before) < 2 or not before[-1].isalnum() or before[-2] == ".":
        return False  # "U.S.Army": an initialism, not a sentence end
    token_end = after
    limit = min(end, after + _MAX_TOKEN)
    while token_end < limit and not text[token_end].isspace():
        token_end += 1
    token = before + text[after:token_end]
    if _DOMAIN_END.fullmatch(text, after, token_end):
        return False  # "Newsfeed.Com", "Example.Org.": a site's name, not two sentences
    return not any(sign in token for sign in ("@", "/", ":", "\\", "www."))


def _ellipsis_boundary(
    text: str, mark: str, p: int, after: int, kind: int, sent_start: int
) -> int | None:
    """Ellipses end a sentence only before a capitalised word, following MLA usage."""
    if kind != _UPPER:
        return None
    attached = p > sent_start and not text[p - 1].isspace()
    spaced = " " in mark or "\u00a0" in mark
    if attached and spaced:
        # "compounds. . . . The practice": the full stop ends one sentence and the spaced
        # ellipsis opens the next (an omission at the start of the quoted sentence).
        return p + 1 if mark[0] == "." else after
    if spaced and mark.count(".") < 4:
        return None  # ". . ." marks an omission inside a sentence; ". . . ." ends one
    return after  # "that.... She", "... The", "… With"


def _full_stop_ends_sentence(text: str, p: int, nxt: int, kind: int, sent_start: int) -> bool:
    """Whether a single full stop, followed by white space and then kind, ends a sentence."""
    token_start = _token_start(text, p, sent_start)
    token = text[token_start:p]
    if _is_list_label(text, token, token_start, sent_start):
        return False  # "1. The first item", "• 9. The first item"
    core = _core_word(token)
    if not core:
        return True
    if _DOTTED.fullmatch(core):
        return _dotted_ends_sentence(text, core, p, nxt, kind, sent_start)
    if len(core) == 1 and core.isalpha():
        return _letter_ends_sentence(text, core, token_start, nxt, kind, sent_start)
    key = core.lower()
    if core[0].isupper() and key in _TITLES:
        return kind == _OTHER
    if key in _BEFORE_NUMBER and kind == _DIGIT:
        return False
    if key in _NEVER_LAST and not core.isupper():
        return False  # "i.e." never ends a sentence; "IE." (the browser) can
    if key in _ABBREVIATIONS or key in _TITLES:
        return kind != _DIGIT  # "Dec. 17" continues; "& Co. It closed" ends
    return True


def _token_start(text: str, p: int, sent_start: int) -> int:
    """Start of the run of non-space characters that ends at p (bounded look-back)."""
    limit = max(sent_start, p - _MAX_TOKEN)
    i = p
    while i > limit and not text[i - 1].isspace():
        i -= 1
    return i


def _core_word(token: str) -> str:
    """The word a full stop follows: "(I.S" -> "I.S", "anti-U.S" -> "U.S", "/a/b.html" -> "b.html"."""
    token = token.lstrip("".join(_OPENERS) + _BULLETS)
    for sep in "-–—/":
        token = token.rpartition(sep)[2]
    return token


def _is_list_label(text: str, token: str, token_start: int, sent_start: int) -> bool:
    label = token.lstrip(_BULLETS + " \t")
    if not _LABEL.fullmatch(label):
        return False
    lead = text[sent_start:token_start] if token_start - sent_start <= 8 else "x"
    return all(ch.isspace() or ch in _BULLETS for ch in lead)


def _dotted_ends_sentence(
    text: str, core: str, p: int, nxt: int, kind: int, sent_start: int
) -> bool:
    key = core.replace(".", "").lower()
    if key in _NEVER_LAST:
        return False
    next_word = _word_at(text, nxt)
    if key in ("am", "pm"):
        # "He left the bank at 6 P.M. Mr. Smith then went to the store." splits, but
        # "At 5 a.m. Mr. Smith went" does not (a lead-in), nor "5 p.m. EST" or "5 p.m. Monday".
        if kind != _UPPER:
            return True
        if next_word.isupper() or next_word.lower() in _TIME_WORDS:
            return False
        return not _is_lead_in(text, sent_start, p)
    if kind == _UPPER:
        return next_word in _SENTENCE_STARTERS
    return kind == _OTHER


def _letter_ends_sentence(
    text: str, letter: str, token_start: int, nxt: int, kind: int, sent_start: int
) -> bool:
    if letter.islower():
        if letter == "p" and kind == _DIGIT:
            return False  # "p. 55"
        return letter != "v"  # "Roe v. Wade"
    if letter == "I" and _previous_word_is_lower(text, token_start, sent_start):
        return True  # "you and I. Did you see Albert I. Jones?"
    if (
        kind == _UPPER
        and _word_at(text, nxt) in _SENTENCE_STARTERS
        and _previous_word_is_lower(text, token_start, sent_start)
    ):
        return True  # "because of X. So I left": a lone capital after a lower-case word
    return kind == _OTHER  # an initial: "Jonas E. Smith", "J. R. R. Tolkien"


def _previous_word_is_lower(text: str, token_start: int, sent_start: int) -> bool:
    i = token_start
    limit = max(sent_start, token_start - _MAX_TOKEN)
    while i > limit and text[i - 1].isspace():
        i -= 1
    j = _token_start(text, i, limit)
    word = _WORD.search(text, j, i)
    return word is not None and word.group()[0].islower()


def _word_at(text: str, pos: int) -> str:
    while pos < len(text) and text[pos] in _OPENERS:
        pos += 1
    word = _WORD.match(text, pos, min(len(text), pos + _MAX_TOKEN))
    return word.group() if word else ""


def _is_lead_in(text: str, sent_start: int, p: int) -> bool:
    start = _first_non_space(text, sent_start, p)
    return p - start <= _LEAD_IN_CHARS and len(text[start:p].split()) <= 3


# --- helpers -----------------------------------------------------------------------------


class _Brackets:
    """Matched (), [] and {} pairs of a segment, queried in increasing position order."""

    def __init__(self, text: str, start: int, end: int) -> None:
        self._bounds = (text, start, end)
        self._pairs: list[Span] | None = None  # found on first use: most segments never ask
        self._index = 0
        self.opened_at = -1

    def holds(self, pos: int, end: int) -> bool:
        """Whether a pair opens before pos and closes at or after end; sets opened_at."""
        if self._pairs is None:
            self._pairs = _bracket_pairs(*self._bounds)
        pairs = self._pairs
        while self._index < len(pairs) and pairs[self._index][1] < pos:
            self._index += 1
        if self._index < len(pairs):
            opened, closed = pairs[self._index]
            if opened < pos and closed >= end:
                self.opened_at = opened
                return True
        return False


def _bracket_pairs(text: str, start: int, end: int) -> list[Span]:
    """Disjoint outermost bracket pairs no longer than _MAX_BRACKETED, sorted."""
    stack: list[tuple[str, int]] = []
    pairs: list[Span] = []
    for match in _BRACKET.finditer(text, start, end):
        ch = match.group()
        if ch in "([{":
            stack.append((ch, match.start()))
        elif stack and stack[-1][0] == _BRACKET_PAIRS[ch]:
            opened = stack.pop()[1]
            if match.start() - opened <= _MAX_BRACKETED:
                pairs.append((opened, match.start()))
    pairs.sort()
    merged: list[Span] = []
    for opened, closed in pairs:
        if merged and opened <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], closed))
        else:
            merged.append((opened, closed))
    return merged


def _first_non_space(text: str, start: int, end: int) -> int:
    match = _NON_SPACE.search(text, start, end)
    return match.start() if match else end


def _trimmed(text: str, start: int, end: int) -> Span | None:
    """(start, end) without surrounding white space, or None if nothing else is left."""
    start = _SPACE_RUN.match(text, start, end).end()
    while end > start and (text[end - 1].isspace() or text[end - 1] in _INVISIBLE):
        end -= 1
    return (start, end) if end > start else None


def _has_content(text: str, start: int, end: int) -> bool:
    """Whether a stretch holds words, numbers or pictographs, not only punctuation."""
    if _ALNUM.search(text, start, end):
        return True
    return any(unicodedata.category(ch) == "So" for ch in text[start:end])
