"""Claim candidates: kind, check-worthiness and quotations for sentence spans.

CONTRACT (other modules rely on this; extend with defaulted fields only):
- KINDS = ("fact", "quotation", "attribution", "opinion", "question", "other")
- Quote(start, end, speaker): absolute offsets into the article text; speaker may be None.
- ClaimCandidate(start, end, text, kind, score, reasons, quotes): text == article_text[start:end].
- find_claims(text: str) -> list[ClaimCandidate]   (splits with segment.sentence_spans)
- analyse_span(text: str, start: int, end: int) -> ClaimCandidate  (re-score any span)

How it works: each sentence is scanned with a handful of regular expressions for the things a
fact-checker can look up (numbers, dates, named actors, attributions, comparisons, causal links)
and for the things that make a sentence less checkable (first-person opinion, hedges, evaluative
words, questions); the kind is decided by a short ordered set of rules. The signals also add up
to a rule-based score, which is one input of the trained model (worthiness.py) that gives the
score shown: the model reads each sentence with its context (its paragraph as a speaker's turn,
its neighbours) and its wording. Quotation marks are paired once over the whole text, so a
quotation that runs over several sentences is found and, when short, kept as one claim; its
speaker is looked for around the quotation marks, and a "he" or "she" there is resolved to the
nearest person named before.
"""

from __future__ import annotations

import bisect
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from operator import attrgetter

from workbench.core.article.segment import sentence_spans, trim_span
from workbench.core.claims import worthiness
from workbench.core.claims.model import ClaimCandidate, Quote  # re-exported: finder.Quote
from workbench.core.claims.worthiness import Sentence
from workbench.core.errors import InvalidInputError

KINDS = ("fact", "quotation", "attribution", "opinion", "question", "other")


def _words(spaced: str) -> frozenset[str]:
    return frozenset(spaced.split())


# ---------------------------------------------------------------------------------------------
# Vocabulary
# ---------------------------------------------------------------------------------------------

_MONTHS_FULL = "January|February|March|April|June|July|August|September|October|November|December"
_MONTHS_ABBR = r"Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?"
_MONTH = rf"(?:{_MONTHS_FULL}|May|{_MONTHS_ABBR})"
_WEEKDAYS = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
_YEAR = r"(?:1[89]\d\d|20\d\d)"
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"

# Ordered alternatives: the first one that matches at a position wins, so the fullest date
# form comes first. "May" alone is a modal verb far more often than a month, so it only counts
# with a day, a year or a preposition in front of it.
_DATE = re.compile(
    rf"""
    \b(?=[\dA-Zytl])  # cheap tests first: most positions fail here (every date starts at a
    # word boundary: the alternatives that do not say so start with a letter or digit after a
    # space, or after something that is not a word character)
    (?:
    \b{_DAY}\s+{_MONTH}\b(?:,?\s+{_YEAR}\b)?
    | \b{_MONTH}\s+{_DAY}\b(?:,?\s+{_YEAR}\b)?
    | \b{_MONTH}\s+{_YEAR}\b
    | (?:(?<=\bin\s)|(?<=\bof\s)|(?<=\bby\s)|(?<=since\s)|(?<=early\s)|(?<=\blate\s)|(?<=until\s))
      May\b
    | \b(?:{_MONTHS_FULL})\b
    | \b(?:{_WEEKDAYS})s?\b
    | (?<![\w.,$£€-]){_YEAR}s?(?![\w-]|,\d|\.\d)
    | \b(?:yesterday|today|tonight|last\s+(?:week|month|year|night)|this\s+(?:week|month|year))\b
    )
    """,
    re.VERBOSE,
)
# Every date the pattern finds holds a digit, a month's first three letters, "day" (weekdays,
# today, yesterday), "night" or a week/month/year: a sentence without any of them (most) skips
# the date pattern. Literal alternatives let the regex engine skip ahead to a possible start.
_DATE_HINT = re.compile(
    "0|1|2|3|4|5|6|7|8|9|Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|day|night|week|month|year"
)
_DIGIT = re.compile(r"\d")  # any Unicode digit, as _NUMBER's \d
_DATE_WORDS = frozenset(
    f"{_MONTHS_FULL}|May|{_WEEKDAYS}|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec".split("|")
)

# Digits not glued to a word, so "SA-17" and "catch-22" are names, not quantities.
_NUMBER = re.compile(
    r"""
    (?<![\w.\-/])
    (?:[$£€¥]\s?)?
    (?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?
    (?:\s?[-–]\s?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)?
    (?:\s?(?:%|percent\b|per\s?cent\b))?
    (?:[\s-](?:million|billion|trillion|thousand|hundred|plus|man|strong)\b)?
    (?![\w/]|\.\d)
    """,
    re.VERBOSE,
)
_UNITS = (
    "two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
    "fifteen|sixteen|seventeen|eighteen|nineteen"
)
_TENS = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
_SCALE = "hundred|thousand|million|billion|dozen"
# "one" alone is usually a pronoun ("one of the first things"), so it needs a scale word.
_SPELLED = re.compile(
    rf"""
    \b(?:
        (?:{_TENS})(?:[-\s](?:one|{_UNITS}))?(?:[-\s](?:{_SCALE}))?
      | (?:one|a)[-\s](?:{_SCALE})
      | (?:{_UNITS})(?:[-\s](?:{_SCALE}))?
      | (?:{_SCALE})s
    )\b
    """,
    re.VERBOSE | re.IGNORECASE,
)
_VAGUE_QUANTITY = re.compile(rf"^(?:{_SCALE})s$|^a[-\s]", re.IGNORECASE)

_SPEECH_VERBS = (
    "said|says|say|told|tells|wrote|writes|written|announced|announces|reported|reports|"
    "claimed|claims|declared|declares|confirmed|confirms|documented|stated|states|"
    "noted|notes|added|adds|explained|argued|argues|insisted|insists|warned|warns|denied|"
    "denies|admitted|admits|alleged|alleges|acknowledged|acknowledges|tweeted|testified|"
    "replied|responded|recalled|estimated|estimates|revealed|reveals|concluded|put\\s+it"
)
_SPEECH = re.compile(rf"\b(?:{_SPEECH_VERBS})\b")
_ACCORDING = re.compile(r"\b[Aa]ccording\s+to\s+")
_TRAIL_NP_VERB = re.compile(
    rf"[\s,]*(?P<as>as\s+)?(?P<np>[^\s,;:!?“”\"]+(?:\s+[^\s,;:!?“”\"]+){{0,5}}?)"
    rf"\s+(?:(?:had|has|have)\s+)?(?P<verb>{_SPEECH_VERBS})\b"
)
_TRAIL_VERB_NP = re.compile(
    r"[\s,]*(?P<verb>said|says|wrote|writes|added|adds|told|asked|noted)\s+"
    r"(?P<np>(?:the\s+)?[A-Z][\w’'.\-]*(?:\s+[A-Z][\w’'.\-]*){0,3})"
)
# '”, said the mayor' / '”, said a spokesman for the ministry': an inverted tag whose speaker
# is a described person. Words that start a new phrase end it ('said the company in a
# statement' is the company); "told" is left out, its object is the listener ('told the BBC').
_ROLE_WORD = (
    r"(?!(?:in|on|at|to|by|about|with|into|over|that|who|which|when|after|before|as|and|during"
    r"|while|because)\b)[a-z][\w’'\-]*"
)
_TRAIL_VERB_ROLE = re.compile(
    r"[\s,]*(?P<verb>said|says|wrote|writes|added|adds|noted)\s+"
    rf"(?P<np>(?:the|a|an|one)(?:\s+{_ROLE_WORD}){{1,3}}"
    r"(?:\s+(?:of|for|at|from)\s+(?:the\s+)?[\w’'.\-]+(?:\s+[A-Z][\w’'.\-]*){0,3})?)"
    r"(?=[\s,.;:!?]|$)"
)
# A tag follows a quotation that ends in a comma, ! or ? ('“…,” said'), not a quoted title.
_CLOSING_MARK_BEFORE = re.compile(r"(?:[,!?]\s*[\"”]|[\"”]\s*,)\s*$")

# One word boundary first for all but the "’s" form (2.5 times faster than a boundary per
# alternative; the alternatives are tried in the same order).
_COMPARISON = re.compile(
    r"""
    \b(?:
      (?:more|less|fewer|greater|larger|smaller|higher|lower|bigger|worse|better|older
        |younger|longer|shorter|faster|slower|stronger|weaker)\s+than\b
    | (?:as\s+)?compared\s+(?:to|with)\b
    | in\s+comparison\s+(?:to|with)\b
    | than\s+ever\b
    | for\s+the\s+first\s+time\b
    | record[-\s](?:high|low|breaking|number)\b
    | (?:doubled|tripled|halved|quadrupled)\b
    | (?:the|its|their|his|her|our|my|your)\s+
      (?:(?:most|least)\s+[a-z]+|best|worst|only|[a-z]{2,}est)\b
    )
    | (?:’s|'s)\s+(?:(?:most|least)\s+[a-z]+|best|worst|only|[a-z]{2,}est)\b
    """,
    re.VERBOSE,
)
# Words ending in -est that are not superlatives.
_NOT_SUPERLATIVE = _words(
    """west rest interest protest request forest contest arrest test quest unrest conquest
    harvest manifest behest southwest northwest midwest guest chest priest honest modest
    earnest digest suggest invest attest detest nest pest vest crest bequest tempest"""
)
_EST_END = re.compile(r"est(?![^\W_])")
_SINCE = re.compile(r"\bsince\b")
_CAUSAL = re.compile(
    r"\b(?:because(?:\s+of)?|caused|causes|causing|led\s+to|leads\s+to|leading\s+to"
    r"|resulted\s+in|results\s+in|resulting\s+in|due\s+to|as\s+a\s+result(?:\s+of)?"
    r"|owing\s+to|therefore|consequently|thanks\s+to|blamed\s+(?:on|for)|responsible\s+for)\b",
    re.IGNORECASE,
)

_FIRST_PERSON_OPINION = re.compile(
    r"\b(?:I|[Ww]e)\s+(?:(?:do\s+not|don’t|don't|really|strongly)\s+)?"
    r"(?:think|believe|feel|suspect|guess|suppose|reckon|hope|fear|doubt|would\s+(?:argue|say)"
    r"|argue|contend|consider|am\s+(?:sure|convinced|certain|afraid)|are\s+(?:sure|convinced))\b"
    r"|\b(?:[Ii]n\s+my\s+(?:view|opinion|judgment|judgement)|[Tt]o\s+my\s+mind"
    r"|[Ii]t\s+seems\s+to\s+me|[Pp]ersonally|[Mm]y\s+(?:view|sense|guess|hunch)\s+is)\b"
)
_NORMATIVE = re.compile(r"\b(?:should|ought\s+to|must)\b", re.IGNORECASE)
_HEDGE = re.compile(
    r"\b(?:perhaps|maybe|possibly|probably|arguably|apparently|seemingly|presumably|likely"
    r"|might|may\s+(?:be|have)|could\s+be|it\s+seems|seems?|seemed|appears?\s+to"
    r"|almost\s+certainly|in\s+reality|surely|supposedly)\b",
    re.IGNORECASE,
)
_EVALUATIVE = _words(
    """silly absurd ridiculous shameful disgraceful outrageous surprising unsurprising
    unsurprisingly noteworthy remarkable obvious obviously clearly plainly presciently
    terrible awful wonderful excellent stupid foolish naive naïve cynical reckless
    recklessly tragic disastrous shocking scandalous sadly unfortunately fortunately
    ironically merely tokenistic pathetic crazy insane consolation coincidental brilliant
    brilliantly disgusting appalling laughable nonsense"""
)
_SPELLED_TRIGGERS = frozenset(
    f"one {_UNITS} {_TENS} {_SCALE} hundreds thousands millions billions dozens".replace(
        "|", " "
    ).split()
)
_SPEECH_TRIGGERS = frozenset(_SPEECH_VERBS.replace("\\s+it", "").split("|")) | {"according"}
_COMPARISON_TRIGGERS = _words(
    """than compared comparison ever first record doubled tripled halved quadrupled most least
    best worst only"""
)
_CAUSAL_TRIGGERS = _words(
    """because caused causes causing led leads leading resulted results resulting due result
    owing therefore consequently thanks blamed responsible"""
)
_FIRST_PERSON_TRIGGERS = _words("i we my personally")
_NORMATIVE_TRIGGERS = _words("should ought must")
_HEDGE_TRIGGERS = _words(
    """perhaps maybe possibly probably arguably apparently seemingly presumably likely might
    may could seems seem seemed appear appears almost reality surely supposedly"""
)
_QUESTION_END = re.compile(r"\?[\s”\"’')\]]*$")
_TERMINAL_END = re.compile(r"[.!?…][\s”\"’')\]*]*$")

# Verb cues for telling a sentence from a heading or caption: auxiliaries, -ed forms and the
# commonest irregular past tenses.
_VERB_CUE = re.compile(
    r"\b(?:is|are|was|were|be|been|being|has|have|had|will|would|can|could|shall|should|may"
    r"|might|must|do|does|did|said|says|[a-z]{2,}ed|fought|led|took|made|sent|struck|won"
    r"|lost|went|came|gave|got|held|left|ran|saw|told|wrote|began|became|brought|built|chose"
    r"|fell|fled|flew|found|kept|knew|met|paid|put|rose|shot|sold|spent|stood|thought|hit)\b"
)
_LABEL = re.compile(
    r"^(?:(?:UPDATE|EDIT|CORRECTION|NOTE|ADDENDUM|Update|Edit|Correction|Note)(?:\s+\d+)?\s*:"
    r"|\d{1,3}[.)])\s*"
)
_BYLINE = re.compile(r"^(?:By|Posted\s+by|Written\s+by)\s+[A-Z]")
_CAPTION_MARK = re.compile(r"\((?:source|photo|image|credit|file)[^)]*\)\s*$|^Pingback\b", re.I)
_WORD = re.compile(r"[^\W_]+(?:[’'\-.][^\W_]+)*")
_LETTER = re.compile(r"[^\W\d_]")
_LETTERS = re.compile(r"[^\W\d_]+")
_TOKEN = re.compile(r"[^\W_](?:[\w’'.\-]*[^\W_])?\.?")
_DOTTED = re.compile(r"^(?:[A-Za-z]\.){2,}$")
_ACRONYM = re.compile(r"^(?:[A-Z]\.){2,}$|^[A-Z][A-Z0-9]{1,7}$")
_PARTICLE_NAME = re.compile(r"^(?:al|el|ad|ash|as|at|an|ar|bin|ibn|abu)-[A-Z]")

_TITLES = _words(
    """Mr Mrs Ms Dr Gen Lt Col Sgt Capt Sen Rep Gov Pres Prof St Adm Maj Cpl Brig Rev Hon"""
)
# U.N. is not an end, nor is a title's full stop ("according to Dr. Jane Smith"); a spaced
# hyphen is a dash.
_SOURCE_END = re.compile(
    r"[,;:()—–]|\s--?\s|(?<![A-Z])"
    + "".join(rf"(?<!\b{title})" for title in sorted(_TITLES))
    + r"\.(?:\s|$)"
)
_CONNECTORS = _words("of the al bin ibn de del da di du la le van von der for")
_CAP_STOPWORDS = _words(
    """The A An In On At It Its This That These Those But And Or If As By For From To He She We
    They I You His Her Their Our My Your Some One Once Perhaps Already Before After Since
    When While Moreover Indeed Plainly Then There Here What Who How Why Where Which Even
    Also Yet So Not No All Many Most Per With Without Although Though Because Of Again Still
    Just Only Both Each Every Such Meanwhile However Furthermore Instead Thus Hence
    Therefore Nevertheless Yes Later Earlier Now Today Tomorrow Yesterday Last Next Another
    Other Several Few Any Despite UPDATE NOTE EDIT Pingback Leave Reply Unlike Like Over
    Under Between Among During Until Upon Into Onto Through Against Toward Towards Within
    Whose Whom Whether Again Ultimately Finally First Second Third Do Does Did Is Are Was
    Were Has Have Had Will Would Can Could Should Must May Might Let Please Note Nor Neither
    Either Thanks Dear Hello"""
)
_NP_BOUNDARY = _words(
    """that which who whom whose what when where while because if to as but so since after
    before than how why though although whereas unless until once then by in on at for from
    with without into about is was were are be been it there not also only even yet has have
    had will would did does do"""
)
_INNER_PREPOSITIONS = _words("in on at for from with into about")
_NP_SKIP = _words(
    """had has have was were is are would will also then later initially previously reportedly
    again once just recently did does do may might could can now still often always never"""
)
_DETERMINERS = _words("some many the a an most other all these those several one")
_CONJ_LEAD = _words("and or but as so")
_NON_SPEAKERS = _words("it this that there which who what")
_FIRST_PERSON = _words("i we")
_NOT_LAST_IN_SUBJECT = _DETERMINERS | _NON_SPEAKERS | _INNER_PREPOSITIONS | _words("of to by like")

_QUOTE_TOKEN = re.compile(r'["“”‘’«»]|\n[ \t\r\f\v]*\n')
_OPEN_PRECEDERS = '([{—–-/:“"‘'
_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*\n")
_LINE_SPACE = frozenset(" \t\r\f\v\u00a0")
_FRAGMENT_SCORE = 0.01
_SENTENCE_FLOOR = 0.02
_MAX_SINGLE_QUOTE = 300
_MAX_JOINED_QUOTE = 600  # a quotation up to this long stays one claim across its sentences
_LEAD_WINDOW = 400
_CONTEXT_WINDOW = 3000


# ---------------------------------------------------------------------------------------------
# Quotation marks
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Region:
    """The quoted words between one pair of quotation marks (content offsets, trimmed)."""

    start: int
    end: int
    open_at: int  # offset of the opening mark
    close_at: int  # offset of the closing mark, or -1 when the paragraph ended first


# Keys for bisecting regions (C getters: a lambda per probe costs more).
_START, _END, _OPEN_AT = attrgetter("start"), attrgetter("end"), attrgetter("open_at")


def _quote_regions(text: str, lo: int = 0, hi: int | None = None) -> list[_Region]:
    """Pair the quotation marks of text[lo:hi] in one pass; regions never cross a paragraph.

    Curly double quotes, straight double quotes and guillemets are always quotations; curly
    single quotes only when the opening one starts a word and the closing one ends a word, so
    apostrophes (Assad’s, didn’t) never open or close anything. An unclosed double quote runs
    to the end of its paragraph, the convention for quotations spanning paragraphs.
    """
    hi = len(text) if hi is None else hi
    regions: list[_Region] = []
    state: str | None = None
    open_at = -1

    def emit(close_at: int, end: int) -> None:
        content_start, content_end = trim_span(text, open_at + 1, end)
        if content_end > content_start:
            regions.append(_Region(content_start, content_end, open_at, close_at))

    for match in _QUOTE_TOKEN.finditer(text, lo, hi):
        mark, pos = match.group(), match.start()
        prev = text[pos - 1] if pos > 0 else ""
        nxt = text[pos + 1] if pos + 1 < len(text) else ""
        if state == "single" and pos - open_at > _MAX_SINGLE_QUOTE:
            state = None
        if mark[0] == "\n":
            if state in ("curly", "straight", "guillemet"):
                emit(-1, pos)
            state = None
        elif state is None:
            state = _opening_state(mark, prev, nxt)
            open_at = pos
        elif state == "curly":
            if mark == "”" or (mark == "“" and prev and not prev.isspace() and not nxt.isalnum()):
                emit(pos, pos)
                state = None
            elif mark == "“":
                open_at = pos  # an unclosed quote followed by a new one: keep the new one
        elif (
            (state == "straight" and mark == '"')
            or (state == "guillemet" and mark == "»")
            or (state == "single" and mark == "’" and _closes_word(prev, nxt))
        ):
            emit(pos, pos)
            state = None
    if state in ("curly", "straight", "guillemet"):
        emit(-1, hi)
    return regions


def _closes_word(prev: str, nxt: str) -> bool:
    """A ’ that ends a word rather than joining two (Assad’s, didn’t)."""
    return bool(prev) and not prev.isspace() and not nxt.isalnum()


def _opening_state(mark: str, prev: str, nxt: str) -> str | None:
    """Which quotation (if any) the mark opens, given its neighbouring characters."""
    starts_word = not prev or prev.isspace() or prev in _OPEN_PRECEDERS
    if mark == "“" and nxt and not nxt.isspace():
        return "curly"
    if mark == "«":
        return "guillemet"
    if mark == '"' and starts_word and nxt and not nxt.isspace():
        return "straight"
    if mark == "‘" and starts_word and nxt.isalnum():
        return "single"
    return None


# ---------------------------------------------------------------------------------------------
# Speakers and attributions
# ---------------------------------------------------------------------------------------------


_PHRASE_TOKEN = re.compile(r"[^\s—–]+|[—–]")
_SHORT_LEAD = 160  # most subjects are found in this much text before the verb


def _subject_before(text: str, lo: int, verb_at: int) -> str | None:
    """The short noun phrase right before a speech verb at verb_at ("Michael Weiss had")."""
    base = max(lo, verb_at - _LEAD_WINDOW)
    short = max(base, verb_at - _SHORT_LEAD)
    if short > base:
        # Tokenising the whole lead window costs most of the time here; a phrase that never
        # reaches the short window's first token (maybe cut in half) is the same phrase.
        settled, found = _subject_in(text, short, verb_at, truncated=True)
        if settled:
            return found
    return _subject_in(text, base, verb_at, truncated=False)[1]


def _subject_in(text: str, base: int, verb_at: int, *, truncated: bool) -> tuple[bool, str | None]:
    """(False, None) when truncated and the phrase may reach back past the first token."""
    tokens = list(_PHRASE_TOKEN.finditer(text[base:verb_at]))
    i = len(tokens) - 1
    while i >= 0 and _skippable(tokens[i].group()):
        i -= 1
    if truncated and i - 11 <= 0:
        return False, None  # the walk below could look at the first token
    if i >= 0 and tokens[i].group().lower() in ("to", "and", "or", "but"):
        # "to publicly declare" is an infinitive (nobody has said anything yet); "... and said"
        # is a second verb whose subject lies further back than a short phrase.
        return True, None
    after_appositive = _skip_appositive(tokens, i)
    role_appositive = False
    if after_appositive == i:
        after_appositive = _skip_role_appositive(tokens, i)
        role_appositive = after_appositive != i
    at = after_appositive
    if at >= 1 and _AGE.match(tokens[at].group()) and tokens[at - 1].group().endswith(","):
        after_appositive, role_appositive = at - 1, True  # "Jane Smith, 45, (a nurse,) said"
    trim = 0
    picked: list[re.Match[str]] = []
    if after_appositive != i:
        i = after_appositive
        trim = 1  # the subject's last word carries the appositive's opening comma
        picked.append(tokens[i])
        i -= 1
    i = _walk_phrase(tokens, i, picked, 7)
    if len(picked) == 7 and not role_appositive and picked[-1].group().lower() not in _CONJ_LEAD:
        # Longer than a subject usually is (seven words not opened by "and" …): only a
        # person's name leading it makes it one ("Dr. Jane Smith of the Health Ministry"),
        # so read on to see how it starts.
        i = _walk_phrase(tokens, i, picked, _LONGEST_NAMED_SUBJECT)
    if truncated and i <= 0:
        return False, None
    picked.reverse()
    while picked and picked[0].group().lower() in _CONJ_LEAD:
        picked.pop(0)
    words = [t.group() for t in picked]
    if role_appositive:
        # "Mary Jones, director of the institute, said": the subject must be a person's name.
        if words and _is_person_name([*words[:-1], words[-1][:-1]]):
            return True, text[base + picked[0].start() : base + picked[-1].end() - trim]
        return True, None
    named = _person_leading(words)
    if named:
        return True, text[base + picked[0].start() : base + picked[named - 1].end()]
    if not picked or len(picked) >= 7:
        return True, None
    if picked[-1].group().lower() in _NOT_LAST_IN_SUBJECT:
        # Not a noun phrase: "a dentist can invest money in say, raising cattle" is "say" as
        # "for example" after a preposition.
        return True, None
    if any(t.group().lower() in _FIRST_PERSON for t in picked):
        return True, None  # the author: "In one of the first things I wrote"
    return True, text[base + picked[0].start() : base + picked[-1].end() - trim]


def _walk_phrase(
    tokens: list[re.Match[str]], i: int, picked: list[re.Match[str]], most: int
) -> int:
    """Add tokens[i], tokens[i - 1], ... to picked until the phrase ends or holds most tokens;
    the index of the first token not taken."""
    while i >= 0 and len(picked) < most:
        word = tokens[i].group()
        if _ends_phrase(word) or _bounds_phrase(word):
            break
        picked.append(tokens[i])
        i -= 1
    return i


_AGE = re.compile(r"\d{1,3},$")
_LONGEST_NAMED_SUBJECT = 13  # "Dr. Jane Smith of the Ministry of Health in the northern province"
_MOST_NAME_WORDS = 5  # "Lt. Gen. Hussein Hamedani", "Prime Minister Boris Johnson"
_ORGANISATION_PREPOSITIONS = _words("of from at")
_NAME_PARTICLES = _words("al bin ibn de del da di du la le van von der")
# Capitalised words that name a role or a group, not a person, at the end of a name-like run
# ("US Secretary of State", "Senior Fellow at Brookings", "Syrian Rebels from Aleppo").
_ROLE_WORDS = _words(
    """Head Chief Executive Officer Fellow Leader Leaders Spokesman Spokeswoman Spokesperson
    Editor Adviser Advisor Representative Representatives Envoy Commander Member Members
    Correspondent Analyst Economist Researcher Researchers Scientist Scientists Founder Partner
    Manager Coordinator Chairperson Staff Counsel Attorney Teacher Student Students Residents
    People Citizens Officials Experts Workers Soldiers Troops Fighters Rebels Sources Friends
    Supporters Activists Doctors Police Spokespeople Aide Aides Minister Ministers Secretary
    Director Directors General President Governor Mayor Senator Deputy Vice Assistant Acting"""
)


def _person_leading(words: list[str]) -> int:
    """How many words of a subject are the person's name in "NAME of/from/at ORGANISATION"
    ("Dr. Jane Smith of the Health Ministry" gives 3), or 0 when it has not that shape."""
    for k, word in enumerate(words):
        if word in _ORGANISATION_PREPOSITIONS:
            return k if k < len(words) - 1 and _is_person_name(words[:k]) else 0
    return 0


def _is_person_name(words: list[str]) -> bool:
    """Two to five capitalised words that name a person: not a sentence opener ("The"), an
    organisation ("Ministry", "State"), a role or group at the end, nor a possessive."""
    if not 2 <= len(words) <= _MOST_NAME_WORDS or words[0] in _CAP_STOPWORDS:
        return False
    last = words[-1].rstrip(".")
    if last in _PERSON_TITLES or last in _ROLE_WORDS:
        return False
    for k, word in enumerate(words):
        if word.endswith(("’s", "'s", "’", "'")) or word.rstrip(".") in _NOT_PERSON_WORDS:
            return False
        inner = 0 < k < len(words) - 1
        if not (
            word[0].isupper() or _PARTICLE_NAME.match(word) or (inner and word in _NAME_PARTICLES)
        ):
            return False
    return True


_APPOSITIVE_OPENERS = _words("who which whose whom a an the its his her their our")


def _skip_appositive(tokens: list[re.Match[str]], i: int) -> int:
    """Step back over ", who chairs the committee," between a subject and its verb.

    tokens[i] is the word before the verb; when it closes an appositive (ends with a comma) and
    a comma followed by a relative pronoun, an article or a name opens it a few words earlier,
    the subject is the phrase before that opening comma ("Councillor Ada Pennington, who chairs
    the finance committee, told ...", "The group's chair, Morwenna Hale, said ...")."""
    return _step_back_over(tokens, i, _opens_appositive)


def _opens_appositive(opener: str) -> bool:
    named = opener[:1].isupper() and opener.lower() not in _NP_BOUNDARY
    return opener.lower() in _APPOSITIVE_OPENERS or named


def _skip_role_appositive(tokens: list[re.Match[str]], i: int) -> int:
    """Step back over ", director of the institute," (a lower-case role) the way
    _skip_appositive steps over ", who chairs the committee,"; the caller then only takes a
    person's name before it as the subject."""
    return _step_back_over(
        tokens, i, lambda opener: opener.islower() and opener not in _NP_BOUNDARY
    )


def _step_back_over(tokens: list[re.Match[str]], i: int, opens: Callable[[str], bool]) -> int:
    """The index of the comma opening the appositive that tokens[i] closes (when `opens` accepts
    its first word, at most 12 words back, within the sentence), or i."""
    if i < 1 or not tokens[i].group().endswith(","):
        return i
    for j in range(i - 1, max(-1, i - 12), -1):
        word = tokens[j].group()
        if word.endswith((".", ";", ":", "“", "”", '"')):
            return i
        if word.endswith(","):
            return j if opens(tokens[j + 1].group()) else i
    return i


def _bounds_phrase(word: str) -> bool:
    """Function words that start a clause before the subject ("the first time that ...").

    A lower-case preposition stays inside the phrase ("Activists in Aleppo told ..."); a
    capitalised one opens the sentence ("In northern Syria Russia announced ...").
    """
    lowered = word.lower()
    if lowered in _INNER_PREPOSITIONS and word.islower():
        return False
    return lowered in _NP_BOUNDARY


def _skippable(word: str) -> bool:
    """Auxiliaries and adverbs between a subject and its verb ("had written presciently")."""
    return word.lower() in _NP_SKIP or (word.islower() and word.endswith("ly") and len(word) > 3)


def _ends_phrase(word: str) -> bool:
    """True if the token closes the phrase before it (punctuation, dash, a quotation mark)."""
    if word in ("—", "–", "…", "-", "--") or word[-1] in ',;:()[]“”"‘…' or word[0] in '“"‘([':
        return True
    if word[-1] in ".!?":
        stem = word.rstrip(".!?")
        return not (_DOTTED.match(word) or stem in _TITLES or (len(stem) == 1 and stem.isupper()))
    return False


def _speaker_from_lead(text: str, lead_start: int, open_at: int) -> str | None:
    """Who speaks in the text before the opening mark: the nearest speech verb's subject."""
    lo = max(lead_start, open_at - _LEAD_WINDOW)
    for verb in reversed(list(_SPEECH.finditer(text, lo, open_at))):
        speaker = _subject_before(text, lo, verb.start())
        if speaker:
            return speaker
    return None


def _speaker_from_trail(text: str, region: _Region) -> str | None:
    """Who speaks in a tag right after the closing mark (', as Weiss wrote', '” he said')."""
    if region.close_at < 0:
        return None
    after = region.close_at + 1
    window = text[after : after + 120]
    window = _PARAGRAPH_BREAK.split(window, maxsplit=1)[0]
    invites_tag = text[region.end - 1] in ",!?" or window.startswith(",")
    verb_first = _TRAIL_VERB_NP.match(window) or _TRAIL_VERB_ROLE.match(window)
    if verb_first and invites_tag:
        return _without_full_stop(verb_first.group("np"))
    np_first = _TRAIL_NP_VERB.match(window)
    if not np_first or not (invites_tag or np_first.group("as")):
        return _described_speaker(window) if invites_tag else None
    words = np_first.group("np").split()
    while words and words[0].lower() in _CONJ_LEAD:
        words.pop(0)
    if not words:
        return None
    if any(w.lower() in _NP_BOUNDARY for w in words):
        return _described_speaker(window) if invites_tag else None
    # Adverbs before the verb are not the speaker's ('he respectfully and slowly said').
    while len(words) > 1 and words[-1].islower() and (_skippable(words[-1]) or words[-1] == "and"):
        words.pop()
    if words[-1].lower() in _DETERMINERS | _NON_SPEAKERS:
        return None
    return " ".join(words[: _person_leading(words) or len(words)])


def _without_full_stop(name: str) -> str:
    """'Alden.' at a sentence's end is Alden; 'Dr.', 'Jr.', 'J.' and 'U.S.' keep their dot."""
    last = name.rsplit(None, 1)[-1]
    stem = last.rstrip(".")
    if last == stem or stem in _TITLES or stem in ("Jr", "Sr") or len(stem) == 1:
        return name
    return name if _DOTTED.match(last) else name[:-1]


def _described_speaker(window: str) -> str | None:
    """The subject of a tag with a title or a description set off by commas or a prepositional
    phrase: '”, the mayor, Ann Cole, said', '” a spokesman for the ministry said'."""
    verb = _SPEECH.search(window, 0, _clause_end(window))
    if verb is None:
        return None
    subject = _subject_before(window, 0, verb.start())
    if subject is None:
        return None
    before = window[: window.rindex(subject, 0, verb.start())].split()
    if before and before[-1].lower() in _CONJ_LEAD:
        return None  # the last item of a list ('…, rare tarot cards, and books says')
    first = subject.split()[0]
    return subject if first[0].isupper() or first.lower() in _SPEAKER_OPENERS else None


_SPEAKER_OPENERS = _words("the a an one his her their its our")


_TAG_CLAUSE = re.compile(r"[.;:!?](?:\s|$)")


def _clause_end(window: str) -> int:
    """Where the tag's clause ends: a full stop after a title or an initial ("Dr. Jane Smith",
    "John F. Kennedy", "U.S.") does not end it."""
    for match in _TAG_CLAUSE.finditer(window):
        if window[match.start()] == ".":
            before = window[: match.start()].split()
            word = before[-1] if before else ""
            if word in _TITLES or (len(word) == 1 and word.isupper()) or _DOTTED.match(word + "."):
                continue
        return match.start()
    return len(window)


def _attribution(body: str, marked: str) -> str | None:
    """'<who> <verb>' for the first speech verb with a third-person subject, else the verb.

    body has quoted words blanked out, so a verb inside a quotation is not the author's;
    marked is the same text with them, to see how a quotation ends before an inverted tag.
    """
    coordinated: str | None = None
    for verb in _SPEECH.finditer(body):
        subject = _subject_before(body, 0, verb.start())
        if subject:
            subject_at = body.rindex(subject, 0, verb.start())
            return " ".join(body[subject_at : verb.end()].split())
        if _CLOSING_MARK_BEFORE.search(marked, 0, verb.start()):  # '“…,” said Ann Cole'
            inverted = _TRAIL_VERB_NP.match(body, verb.start()) or _TRAIL_VERB_ROLE.match(
                body, verb.start()
            )
            if inverted and inverted.group("np").split()[0] not in ("I", "I--", "I."):
                return f"{inverted.group('verb')} {_without_full_stop(inverted.group('np'))}"
        if coordinated is None and _coordinated(body, verb.start()):
            coordinated = verb.group()
    according = _ACCORDING.search(body)
    if according:
        source = _SOURCE_END.split(body[according.end() : according.end() + 120], maxsplit=1)[0]
        if source.strip():
            words = source.split()
            return "according to " + " ".join(words[: _person_leading(words) or 6])
    return coordinated


def _coordinated(body: str, verb_at: int) -> bool:
    """True for the second verb of a pair ("rejected that explanation and said")."""
    before = body[max(0, verb_at - 40) : verb_at].split()
    while before and _skippable(before[-1]):
        before.pop()
    return bool(before) and before[-1] == "and"


# ---------------------------------------------------------------------------------------------
# Signals
# ---------------------------------------------------------------------------------------------


@dataclass(slots=True)  # not frozen: a frozen dataclass is 2-3x slower to build
class _Signals:
    """What one sentence offers a fact-checker, and what makes it less checkable."""

    numbers: tuple[str, ...]
    vague_numbers: tuple[str, ...]
    dates: tuple[str, ...]
    entities: tuple[str, ...]
    attribution: str | None
    comparison: str | None
    causal: str | None
    first_person: bool
    normative: str | None
    hedges: tuple[str, ...]
    evaluative: tuple[str, ...]
    words: int

    @property
    def concrete(self) -> int:
        return len(self.numbers) + len(self.dates)


def _signals(
    body: str, unquoted: str | None = None, words: tuple[str, list[str]] | None = None
) -> _Signals:
    """Signals of body; opinion markers and attributions are read from unquoted (body with the
    quoted words blanked), since a hedge inside a quotation is the speaker's, not the author's.
    words is _lowered(body) if the caller has it.

    The costlier patterns only run when a trigger word is present: most sentences have no
    hedge, comparison or spelled-out number, and a set lookup is much cheaper than a scan.
    """
    unquoted = body if unquoted is None else unquoted
    low, lowered = _lowered(body) if words is None else words
    # The words, a hyphenated one as its parts ("well-known" gives "well" and "known").
    lower = set(lowered)
    if "-" in body:
        for word in [w for w in lower if "-" in w]:
            lower.discard(word)
            lower.update(word.split("-"))
    if _DATE_HINT.search(body):
        dates = _unique(_DATE.findall(body))  # no groups: findall gives the whole matches
        masked = _DATE.sub(_blanked, body) if dates else body
    else:
        dates, masked = (), body
    numbers = _unique([n.strip() for n in _NUMBER.findall(masked)]) if _DIGIT.search(masked) else ()
    vague: tuple[str, ...] = ()
    if not lower.isdisjoint(_SPELLED_TRIGGERS):
        spelled = _unique(_SPELLED.findall(masked))
        if spelled:
            vague = tuple(s for s in spelled if _VAGUE_QUANTITY.match(s))
            numbers += tuple(s for s in spelled if s not in vague)
    normative = _matches(_NORMATIVE, unquoted, lower, _NORMATIVE_TRIGGERS)
    causal = _matches(_CAUSAL, body, lower, _CAUSAL_TRIGGERS)
    # Blanking quoted words only takes words away (quotation marks are not word characters),
    # so a sentence without an evaluative word has none outside its quotations either.
    if lower.isdisjoint(_EVALUATIVE):
        evaluative: tuple[str, ...] = ()
    elif unquoted is body:
        # Evaluative words have no hyphen, so one in the words is one in the set.
        evaluative = _unique([w for w in lowered if w in _EVALUATIVE])
    else:
        evaluative = _unique([w for w in _lowered_words(unquoted) if w in _EVALUATIVE])
    return _Signals(
        numbers=numbers,
        vague_numbers=vague,
        dates=dates,
        entities=_entities(body),
        attribution=None if lower.isdisjoint(_SPEECH_TRIGGERS) else _attribution(unquoted, body),
        comparison=_comparison(body) if _may_compare(lower, low) else None,
        causal=causal[0] if causal else None,
        first_person=bool(_matches(_FIRST_PERSON_OPINION, unquoted, lower, _FIRST_PERSON_TRIGGERS)),
        normative=normative[0] if normative else None,
        hedges=_matches(_HEDGE, unquoted, lower, _HEDGE_TRIGGERS),
        evaluative=evaluative,
        words=len(lowered),
    )


def _lowered(body: str) -> tuple[str, list[str]]:
    """body lower-cased, and its words lower-cased."""
    low = body.lower()
    # Lower-casing first gives the same words with one regex call and no loop, unless a
    # character's lower case is longer ("İ") or depends on its neighbours (a final "Σ").
    if len(low) == len(body) and "Σ" not in body:
        return low, _WORD.findall(low)
    return low, [w.lower() for w in _WORD.findall(body)]


def _blanked(match: re.Match[str]) -> str:
    return " " * len(match.group())


def _lowered_words(text: str) -> list[str]:
    return [word.lower() for word in _WORD.findall(text)]


def _may_compare(lower_words: set[str], lowered_text: str) -> bool:
    if not lower_words.isdisjoint(_COMPARISON_TRIGGERS):
        return True
    # A word ending in -est is "est" before a character that is not a letter or digit.
    return _EST_END.search(lowered_text) is not None and any(
        w.endswith("est") and w not in _NOT_SUPERLATIVE for w in lower_words
    )


def _matches(
    pattern: re.Pattern[str],
    text: str,
    lower_words: set[str],
    triggers: frozenset[str],
) -> tuple[str, ...]:
    """The distinct matches of pattern in text, scanning only if a trigger word is present."""
    if lower_words.isdisjoint(triggers):
        return ()
    found = pattern.findall(text)  # these patterns have no groups: whole matches
    return _unique([" ".join(f.lower().split()) for f in found])


def _unique(items: object) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))  # type: ignore[arg-type]


def _comparison(body: str) -> str | None:
    for match in _COMPARISON.finditer(body):
        phrase = match.group()
        last = phrase.split()[-1]
        if last.endswith("est") and last in _NOT_SUPERLATIVE:
            continue
        phrase = re.sub(r"^(?:the|its|their|his|her|our|my|your|’s|'s)\s+", "", phrase)
        if _SINCE.search(body, match.end()):
            return f"{phrase} ... since"
        return phrase
    if re.search(r"\bsince\b[^.;]{0,80}\bfirst\b", body):
        return "since ... first"
    return None


# A name starts at the first letter of a run of word characters (a token never starts inside
# one) that is not a lower-case ASCII letter or a digit, or at an "al-" particle. From there a
# chain takes the tokens that follow one another across one or two blanks while each could
# continue a name: capitalised, a connector ("of", "bin") or a particle. A name never runs past
# the end of its chain, so one finditer hands _entities every token it has to look at (most
# chains are one word) and skips the lower-case words that make up most of a sentence.
_PARTICLES = "al|el|ad|ash|as|at|an|ar|bin|ibn|abu"
_CHAIN_TOKEN = r"[^\W_](?:[\w’'.\-]*[^\W_])?\.?"  # = _TOKEN
_NAME_CHAIN = re.compile(
    rf"(?<![\w’'.\-])[_’'.\-]*(?=[^\W\d_a-z]|(?:{_PARTICLES})-[A-Z])"
    rf"(?P<first>{_CHAIN_TOKEN})(?:\s{{1,2}}(?=[^\W\d_a-z]"
    rf"|(?:{'|'.join(sorted(_CONNECTORS))})(?![^\W_])|(?:{_PARTICLES})-[A-Z]){_CHAIN_TOKEN})*"
)


def _entities(body: str) -> tuple[str, ...]:
    """Names: runs of capitalised words (not a lone sentence-initial word) and acronyms.

    A run grows while the next token follows within two blanks, the previous one did not end
    it (a possessive or full stop: "Iran’s Islamic ...") and the token is a name word or a
    connector; _NAME_CHAIN finds where such runs can be, and the loop below decides.
    """
    names: list[str] = []
    first = _TOKEN.search(body)
    first_start = first.start() if first else -1
    for chain in _NAME_CHAIN.finditer(body):
        start, end = chain.span("first")
        if end == chain.end():  # one token, the common case
            raw = chain.group("first")
            word = _clean_token(raw) if raw[-1] in "s’'." else raw
            # What _close_run does with a run of one word, inline (and _is_name_word and
            # _after_opening): this path is most of them.
            if (
                not word
                or word in _CAP_STOPWORDS
                or word in _CONNECTORS
                or word.rstrip(".") in _DATE_WORDS
                or not (word[0].isupper() or _PARTICLE_NAME.match(word))
            ):
                continue
            if start == first_start:
                opens = True
            else:
                i = start - 1
                while i >= 0 and body[i].isspace():
                    i -= 1
                opens = i >= 0 and body[i] in '“"‘:'
            if opens and not _ACRONYM.match(word):
                continue  # capitalised only because a sentence (or a quoted one) starts here
            names.append(word)
            continue
        run: list[tuple[int, int, str]] = []
        prev_closed = False
        at = start
        # A chain's tokens are separated by white space only, so splitting finds them.
        for raw in body[start : chain.end()].split():
            while body[at].isspace():
                at += 1
            start = at
            at += len(raw)
            word = _clean_token(raw) if raw[-1] in "s’'." else raw
            name_word = bool(word) and (
                word.rstrip(".") not in _DATE_WORDS
                and (word[0].isupper() or _PARTICLE_NAME.match(word) is not None)
            )
            if run and not prev_closed and (name_word or word in _CONNECTORS):
                run.append((start, start + len(word), word))
            else:
                if run:
                    _close_run(body, run, first_start, names)
                run = [(start, start + len(word), word)] if name_word else []
            prev_closed = word != raw
        if run:
            _close_run(body, run, first_start, names)
    return _unique(names) if len(names) > 1 else tuple(names)


def _clean_token(token: str) -> str:
    """Drop a possessive and a sentence full stop, keeping U.S. and Gen. intact."""
    for suffix in ("’s", "'s", "’", "'"):
        if token.endswith(suffix) and len(token) > len(suffix):
            token = token[: -len(suffix)]
            break
    if token.endswith(".") and not (_DOTTED.match(token) or token[:-1] in _TITLES):
        token = token[:-1]
    return token


def _after_opening(body: str, offset: int) -> bool:
    """True if offset follows an opening quotation mark or a colon (a new sentence starts)."""
    i = offset - 1
    while i >= 0 and body[i].isspace():
        i -= 1
    return i >= 0 and body[i] in '“"‘:'


def _is_name_word(token: str) -> bool:
    if not token or token.rstrip(".") in _DATE_WORDS:
        return False
    return token[0].isupper() or bool(_PARTICLE_NAME.match(token))


def _close_run(
    body: str, run: list[tuple[int, int, str]], first_start: int, names: list[str]
) -> None:
    while run and run[-1][2] in _CONNECTORS:
        run.pop()
    while run and (run[0][2] in _CAP_STOPWORDS or run[0][2] in _CONNECTORS):
        run.pop(0)
    if not run:
        return
    name = body[run[0][0] : run[-1][1]]
    starts_sentence = run[0][0] == first_start or _after_opening(body, run[0][0])
    if len(run) == 1 and starts_sentence and not _ACRONYM.match(name):
        return  # capitalised only because a sentence (or a quoted one) starts here
    names.append(name)


# ---------------------------------------------------------------------------------------------
# Kind and score
# ---------------------------------------------------------------------------------------------


def _is_heading_or_fragment(body: str, words: int, whole_line: bool) -> str | None:
    """Why the span is a heading, caption, byline or fragment rather than a sentence, if it is.

    Only a span that is a whole line can be a heading or caption; a clause cut from running
    text (one side of a semicolon) lacks a full stop without being a heading.
    """
    if words <= 3:
        return "too short"
    # Either alternative needs a "(" or a leading "Pingback": most sentences skip the scan.
    if ("(" in body or body[:1] in "Pp") and _CAPTION_MARK.search(body):
        return "caption or link list"
    if not whole_line or _TERMINAL_END.search(body):
        return None
    if _BYLINE.match(body):
        return "byline"
    if body.rstrip().endswith(":"):
        return "lead-in"
    if not _VERB_CUE.search(body):
        return "heading or caption"
    long_words = [w for w in _WORD.findall(body) if len(w) > 3]
    capitalised = sum(1 for w in long_words if w[0].isupper())
    if long_words and capitalised / len(long_words) >= 0.8:
        return "heading"
    return None


def _is_whole_line(text: str, start: int, end: int) -> bool:
    """True if only white space shares the span's first and last lines with it."""
    before = start - 1
    while before >= 0 and text[before] in _LINE_SPACE:
        before -= 1
    after = end
    while after < len(text) and text[after] in _LINE_SPACE:
        after += 1
    # Walking only over blanks keeps this cheap even on a megabyte without line breaks.
    return (before < 0 or text[before] == "\n") and (after == len(text) or text[after] == "\n")


def _quote_coverage(text: str, start: int, end: int, quotes: tuple[Quote, ...]) -> float:
    if not quotes:
        return 0.0
    letters = _letter_count(text, start, end)
    if not letters:
        return 0.0
    quoted = sum(_letter_count(text, q.start, q.end) for q in quotes)
    return quoted / letters


def _letter_count(text: str, start: int, end: int) -> int:
    # Runs of letters rather than single letters: a few strings per sentence, not hundreds.
    return sum(map(len, _LETTERS.findall(text, start, end)))


def _kind(sig: _Signals, body: str, coverage: float) -> str:
    if _QUESTION_END.search(body):
        return "question"
    if coverage >= 0.6:
        return "quotation"
    if sig.first_person:
        return "opinion"
    if sig.attribution:
        return "attribution"
    leaning = 2 * bool(sig.normative) + len(sig.hedges) + len(sig.evaluative)
    if sig.concrete == 0 and (leaning >= 2 or (leaning and len(sig.entities) <= 1)):
        return "opinion"
    return "fact"


def _diminishing(count: int, first: float, rest: float, cap: int) -> float:
    count = min(count, cap)
    return 0.0 if count == 0 else first + rest * (count - 1)


def _evidence(sig: _Signals, quotes: tuple[Quote, ...]) -> tuple[float, list[str]]:
    """Points for what a fact-checker can look up, with the reasons to show."""
    points = _diminishing(len(sig.numbers), 1.1, 0.45, 4)
    points += _diminishing(len(sig.vague_numbers), 0.4, 0.1, 2)
    points += _diminishing(len(sig.dates), 0.9, 0.35, 3)
    points += _diminishing(len(sig.entities), 0.45, 0.3, 5)
    reasons = [f"number: {n}" for n in (sig.numbers + sig.vague_numbers)[:4]]
    reasons += [f"date: {d}" for d in sig.dates[:3]]
    reasons += [f"named entity: {e}" for e in sig.entities[:6]]
    for value, weight, label in (
        (sig.attribution, 0.6, "attributed"),
        (sig.comparison, 0.5, "comparison"),
        (sig.causal, 0.4, "causal"),
    ):
        if value:
            points += weight
            reasons.append(f"{label}: {value}")
    if quotes:
        points += 0.3
        reasons.append("quotation")
    return points, reasons


def _doubts(sig: _Signals) -> tuple[float, list[str]]:
    """Points against: the author's own opinion, hedges, evaluative words, very short text."""
    points = 0.5 if sig.words < 6 else 0.0
    reasons: list[str] = []
    if sig.first_person:
        points += 1.5
        reasons.append("first-person opinion")
    if sig.normative:
        points += 0.6
        reasons.append(f"normative: {sig.normative}")
    points += 0.45 * min(len(sig.hedges), 2) + 0.45 * min(len(sig.evaluative), 2)
    reasons += [f"hedged: {h}" for h in sig.hedges[:2]]
    reasons += [f"evaluative: {e}" for e in sig.evaluative[:2]]
    return points, reasons


def _score_and_reasons(
    sig: _Signals, kind: str, quotes: tuple[Quote, ...]
) -> tuple[float, list[str]]:
    plus, reasons = _evidence(sig, quotes)
    minus, against = _doubts(sig)
    # 1 - e^(-x) turns open-ended evidence points into [0, 1) with diminishing returns.
    score = 1.0 - math.exp(-max(plus - minus, 0.0) / 2.2)
    if kind == "opinion":
        score = min(score * 0.5, 0.4)
    elif kind == "question":
        score = min(score * 0.4, 0.25)
        against.append("question")
    elif kind == "quotation":
        score *= 0.9
    # Any real sentence outranks a heading or fragment, so "other" is always at the bottom.
    return max(score, _SENTENCE_FLOOR), reasons + against


# ---------------------------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------------------------

_LeadStart = Callable[[int], int]


def _analyse(
    text: str,
    start: int,
    end: int,
    regions: list[_Region],
    lead_start: _LeadStart,
    speakers: dict[_Region, str | None],
) -> tuple[ClaimCandidate, Sentence | None]:
    """The rule-based candidate for a span, and what the trained model needs (None for a
    heading, separator or fragment, which always stays at the bottom)."""
    span = text[start:end]
    if not _LETTER.search(span):
        reason = "separator" if span.strip() else "empty"
        return ClaimCandidate(start, end, span, "other", 0.0, (reason,)), None
    label = _LABEL.match(span)
    body_at = start + (label.end() if label else 0)
    body = text[body_at:end] if label else span
    quotes = _quotes_in(text, start, end, regions, lead_start, speakers)
    words = _lowered(body)
    # A heading, caption or fragment needs only its word count (a third of the spans of a
    # page with a comment section): the other signals are read for sentences only.
    fragment = _is_heading_or_fragment(body, len(words[1]), _is_whole_line(text, start, end))
    if fragment:
        candidate = ClaimCandidate(start, end, span, "other", _FRAGMENT_SCORE, (fragment,), quotes)
        return candidate, None
    sig = _signals(body, _blank_quotes(body, body_at, quotes) if quotes else None, words)
    kind = _kind(sig, body, _quote_coverage(text, start, end, quotes) if quotes else 0.0)
    score, reasons = _score_and_reasons(sig, kind, quotes)
    if quotes:
        reasons += _pronoun_notes(text, quotes, regions)
    candidate = ClaimCandidate(start, end, span, kind, round(score, 3), tuple(reasons), quotes)
    return candidate, _model_input(candidate, sig)


def _model_input(candidate: ClaimCandidate, sig: _Signals) -> Sentence:
    return Sentence(
        start=candidate.start,
        end=candidate.end,
        text=candidate.text,
        kind=candidate.kind,
        rule_score=candidate.score,
        numbers=len(sig.numbers),
        vague_numbers=len(sig.vague_numbers),
        dates=len(sig.dates),
        names=len(sig.entities),
        attributed=sig.attribution is not None,
        comparison=sig.comparison is not None,
        causal=sig.causal is not None,
        first_person_opinion=sig.first_person,
        normative=sig.normative is not None,
        hedges=len(sig.hedges),
        evaluative=len(sig.evaluative),
        words=sig.words,
        quoted=bool(candidate.quotes),
    )


def _blank_quotes(body: str, body_at: int, quotes: tuple[Quote, ...]) -> str:
    """body with the quoted words replaced by spaces (same length, so offsets still hold)."""
    if not quotes:
        return body
    chars = list(body)
    for quote in quotes:
        lo, hi = max(quote.start - body_at, 0), max(quote.end - body_at, 0)
        chars[lo:hi] = " " * len(chars[lo:hi])
    return "".join(chars)


def _quotes_in(
    text: str,
    start: int,
    end: int,
    regions: list[_Region],
    lead_start: _LeadStart,
    speakers: dict[_Region, str | None],
) -> tuple[Quote, ...]:
    """The quoted words within [start, end), clipped to it, each with its speaker if stated."""
    first = bisect.bisect_right(regions, start, key=_END)
    quotes: list[Quote] = []
    for index in range(first, len(regions)):
        region = regions[index]
        if region.start >= end:
            break
        q_start, q_end = trim_span(text, max(region.start, start), min(region.end, end))
        if q_end <= q_start:
            continue
        if region not in speakers:
            previous = regions[index - 1] if index else None
            speaker = _speaker(text, region, lead_start, previous, speakers)
            if speaker is not None and speaker.lower() in _PRONOUNS:
                speaker = _resolve_pronoun(text, region.open_at, 0) or speaker
            speakers[region] = speaker
        quotes.append(Quote(q_start, q_end, speakers[region]))
    return tuple(quotes)


def _pronoun_notes(text: str, quotes: tuple[Quote, ...], regions: list[_Region]) -> list[str]:
    """Why a quotation's speaker is a name when the text says "he" or "she"."""
    notes = []
    for quote in quotes:
        if quote.speaker is None:
            continue
        region = regions[bisect.bisect_right(regions, quote.start, key=_START) - 1]
        said = _pronoun_of(text, region)
        if said and quote.speaker.lower() != said:
            notes.append(f"speaker: “{said}” taken as {quote.speaker}, the nearest name before")
    return list(dict.fromkeys(notes))


def _pronoun_of(text: str, region: _Region) -> str | None:
    """The pronoun a quotation's own tag uses for its speaker ("…,” he said), if any."""
    trail = _speaker_from_trail(text, region)
    if trail and trail.lower() in _PRONOUNS:
        return trail.lower()
    lead = text[max(0, region.open_at - 60) : region.open_at]
    match = re.search(r"\b([Hh]e|[Ss]he)\s+(?:\w+\s+)?(?:" + _SPEECH_VERBS + r")\b[^.!?]*$", lead)
    return match.group(1).lower() if match else None


_PRONOUNS = _words("he she")
_PERSON_TITLES = _TITLES | _words(
    """Mayor Councillor Councilor President Minister Governor Senator Chancellor Judge Justice
    Professor Chief Secretary Commissioner Inspector Sheriff King Queen Prince Princess Pope
    Ambassador Lord Lady Sir Dame General Colonel Captain Major Deputy Director Chairman
    Chairwoman Chair Superintendent Detective Officer Sergeant Lieutenant Father Sister Bishop"""
)
_NOT_PERSON_WORDS = _words(
    """Courier News Times Post Journal Herald Guardian Gazette Tribune Telegraph Review Press
    Council Ministry Department State States Party University Bank Company Group Agency
    Committee Army Force Forces Government Office Association Union Institute Foundation
    Corporation Inc Ltd Club Court Church Hospital School College Bridge Street Road Town City
    Harbour Harbor River Square Hall House Centre Center Board Authority Service Services
    Commission Organisation Organization Network Radio Television TV Magazine Daily Weekly
    Islamic Republic Kingdom Nations Union Front Brigade Brigades Guard Guards Revolutionary"""
)


def _resolve_pronoun(text: str, before: int, floor: int) -> str | None:
    """The nearest named person in the few sentences before offset before (not before floor):
    a name with a title ("Mayor Tomas Reyes"), the named subject of a speech verb, or a
    two- or three-word name that is not an organisation's."""
    lo = max(floor, before - 1200)
    window = text[lo:before]
    spans = sentence_spans(window)
    for start, end in reversed(spans[-4:]):
        sentence = window[start:end]
        unquoted = "".join(" " if c in '“”"' else c for c in sentence)
        for entity in reversed(_entities(unquoted)):
            name = _person_part(entity)
            if _is_person(name, sentence):
                return name
    return None


def _person_part(name: str) -> str:
    """The person of a name such as "Dr. Jane Smith of the Health Ministry" (Dr. Jane Smith)."""
    words = list(re.finditer(r"\S+", name))
    lead = _person_leading([w.group() for w in words])
    return name[: words[lead - 1].end()] if lead else name


def _is_person(name: str, sentence: str) -> bool:
    words = name.split()
    if words[0].rstrip(".") in _PERSON_TITLES and len(words) >= 2:
        return True
    if any(w.rstrip(".’'s") in _NOT_PERSON_WORDS for w in words) or name.isupper():
        return False
    if re.search(
        re.escape(name) + r"\s+(?:(?:has|had|have)\s+)?(?:" + _SPEECH_VERBS + r")\b", sentence
    ):
        return True
    return 2 <= len(words) <= 3 and all(w[:1].isupper() for w in words)


def _speaker(
    text: str,
    region: _Region,
    lead_start: _LeadStart,
    previous: _Region | None,
    speakers: dict[_Region, str | None],
) -> str | None:
    trail = _speaker_from_trail(text, region)
    if trail:
        return trail
    sentence_start = lead_start(region.open_at)
    lo = sentence_start
    if previous is not None and previous.close_at >= sentence_start:
        lo = previous.close_at + 1  # verbs inside or before an earlier quotation are not ours
    found = _speaker_from_lead(text, lo, region.open_at)
    if found is None and previous is not None and previous.close_at >= sentence_start:
        if previous not in speakers:
            speakers[previous] = _speaker(text, previous, lead_start, None, speakers)
        return speakers[previous]  # 'X said "a" and "b"': both are X's
    return found


def _sentence_start_finder(starts: list[int]) -> _LeadStart:
    def find(offset: int) -> int:
        i = bisect.bisect_right(starts, offset) - 1
        return starts[i] if i >= 0 else 0

    return find


def _clean_spans(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Trimmed, ordered, non-overlapping, non-empty spans, whatever the splitter returned."""
    cleaned: list[tuple[int, int]] = []
    last_end = 0
    for raw_start, raw_end in sorted(spans):
        start, end = trim_span(text, max(raw_start, last_end, 0), min(raw_end, len(text)))
        if end > start:
            cleaned.append((start, end))
            last_end = end
    return cleaned


def _split_semicolons(
    text: str, start: int, end: int, regions: list[_Region]
) -> list[tuple[int, int]]:
    """Split a sentence at semicolons when every part is a clause with its own checkable content.

    Conservative on purpose: a semicolon inside a quotation or brackets never splits, and if
    any part lacks a verb or a number, date, name or attribution, the sentence stays whole.
    """
    if text.find(";", start, end) < 0:
        return [(start, end)]
    cuts: list[int] = []
    depth = 0
    for i in range(start, end):
        ch = text[i]
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth = max(depth - 1, 0)
        elif ch == ";" and depth == 0 and not _inside(regions, i):
            cuts.append(i)
    if not cuts:
        return [(start, end)]
    bounds = [start, *cuts, end]
    parts = []
    for i in range(len(bounds) - 1):
        lo = bounds[i] + (1 if i else 0)
        parts.append(trim_span(text, lo, bounds[i + 1]))
    if all(_independent_clause(text[lo:hi]) for lo, hi in parts):
        return parts
    return [(start, end)]


def _inside(regions: list[_Region], offset: int) -> bool:
    i = bisect.bisect_right(regions, offset, key=_OPEN_AT) - 1
    if i < 0:
        return False
    region = regions[i]
    close = region.close_at if region.close_at >= 0 else region.end
    return region.open_at < offset <= close


def _independent_clause(part: str) -> bool:
    if len(_WORD.findall(part)) < 5 or not _VERB_CUE.search(part):
        return False
    if part[:1].islower() and part.split(maxsplit=1)[0] in ("which", "who", "whose", "whom"):
        return False
    sig = _signals(part)
    return bool(sig.concrete or sig.entities or sig.attribution)


def rule_candidates(text: str) -> list[tuple[ClaimCandidate, Sentence | None]]:
    """Every sentence with its rule-based candidate and model input (used by training too)."""
    regions = _quote_regions(text)
    spans = _join_quoted(_clean_spans(text, list(sentence_spans(text))), regions)
    return _candidates(text, spans, regions)


def _join_quoted(spans: list[tuple[int, int]], regions: list[_Region]) -> list[tuple[int, int]]:
    """Sentences that one closed quotation runs across become one span, so a quotation of
    several sentences is one claim with its speaker ("As one rebel commander put it: “You look
    to the right … We are caught in a pincer.”"). Long quoted passages stay split."""
    if not regions or len(spans) < 2:
        return spans
    starts = [s for s, _ in spans]
    joined: list[tuple[int, int]] = []
    index = 0
    for region in regions:
        if region.close_at < 0 or region.close_at - region.open_at > _MAX_JOINED_QUOTE:
            continue
        first = bisect.bisect_right(starts, region.open_at) - 1
        last = bisect.bisect_right(starts, region.close_at) - 1
        if first < index or last <= first:
            continue
        joined.extend(spans[index:first])
        joined.append((spans[first][0], spans[last][1]))
        index = last + 1
    joined.extend(spans[index:])
    return joined


def _candidates(
    text: str, spans: list[tuple[int, int]], regions: list[_Region]
) -> list[tuple[ClaimCandidate, Sentence | None]]:
    lead_start = _sentence_start_finder([s for s, _ in spans])
    speakers: dict[_Region, str | None] = {}
    return [
        _analyse(text, part_start, part_end, regions, lead_start, speakers)
        for start, end in spans
        for part_start, part_end in _split_semicolons(text, start, end, regions)
    ]


def _rescored(
    text: str, analysed: list[tuple[ClaimCandidate, Sentence | None]]
) -> list[ClaimCandidate]:
    """The candidates with the trained model's score and its main reasons."""
    inputs = [sentence for _, sentence in analysed if sentence is not None]
    if not inputs:
        return [candidate for candidate, _ in analysed]
    model = worthiness.model()
    raw, contributions = worthiness.raw_values(model, worthiness.rows(model, text, inputs))
    scores = worthiness.to_score(model, raw).tolist()  # Python floats, as float() gives
    explained = worthiness.explain(model, contributions)
    out: list[ClaimCandidate] = []
    row = 0
    for candidate, sentence in analysed:
        if sentence is None:
            out.append(candidate)
            continue
        c = candidate
        # Every sentence stays above the headings and fragments, and no two tie at a floor.
        score = round(_FRAGMENT_SCORE + (1.0 - _FRAGMENT_SCORE) * scores[row], 4)
        reasons = c.reasons + tuple(explained[row])
        out.append(ClaimCandidate(c.start, c.end, c.text, c.kind, score, reasons, c.quotes))
        row += 1
    return out


def find_claims(text: str) -> list[ClaimCandidate]:
    """Every sentence of text as a claim candidate, in order, with exact spans.

    Sentences come from segment.sentence_spans; a sentence with several independent checkable
    clauses joined by semicolons comes back as one candidate per clause. Headings, separators
    and fragments are kept (kind "other", lowest scores) so a reader can still pin them. The
    score is the trained model's (see worthiness.py); the reasons list what the sentence
    offers a fact-checker and the model's largest contributions.
    """
    if not isinstance(text, str) or not text:
        return []
    return _rescored(text, rule_candidates(text))


def analyse_span(text: str, start: int, end: int) -> ClaimCandidate:
    """A claim candidate for exactly text[start:end] (a span the reader chose or adjusted).

    Quotation marks and speakers are looked for in the surrounding paragraph, and the model
    sees the span among the sentences of its paragraph and the paragraphs either side (up to a
    few thousand characters), so the result matches what find_claims gives for the same span.
    """
    if not (isinstance(start, int) and isinstance(end, int) and 0 <= start <= end <= len(text)):
        raise InvalidInputError(
            f"The span {start}-{end} is not inside the article text, "
            f"which is {len(text)} characters long."
        )
    lo, hi = _neighbouring_paragraphs(text, *_context(text, start, end))
    regions = _quote_regions(text, lo, hi)
    local = _clean_spans(text[lo:hi], list(sentence_spans(text[lo:hi])))
    spans = _join_quoted([(lo + s, lo + e) for s, e in local], regions)
    lead_start = _sentence_start_finder([s for s, _ in spans] or [lo])
    speakers: dict[_Region, str | None] = {}
    analysed: list[tuple[ClaimCandidate, Sentence | None]] = []
    parts = [p for s, e in spans for p in _split_semicolons(text, s, e, regions)]
    ordered = sorted([*(p for p in parts if p[1] <= start or p[0] >= end), (start, end)])
    chosen = ordered.index((start, end))
    for part in ordered:
        analysed.append(_analyse(text, *part, regions, lead_start, speakers))
    return _rescored(text, analysed)[chosen]


def _neighbouring_paragraphs(text: str, lo: int, hi: int) -> tuple[int, int]:
    """[lo, hi) widened by the paragraph with words before it and the one after it (a line of
    asterisks between paragraphs is stepped over), bounded in length."""
    floor, ceiling = max(0, lo - _CONTEXT_WINDOW), min(len(text), hi + _CONTEXT_WINDOW)
    breaks = [(m.start(), m.end()) for m in _PARAGRAPH_BREAK.finditer(text, floor, lo)]
    new_lo = lo
    while breaks:
        gap_start, _ = breaks.pop()
        start = breaks[-1][1] if breaks else floor
        new_lo = start
        if _LETTER.search(text, start, gap_start):
            break
    else:
        new_lo = floor
    new_hi = hi
    for _ in range(4):
        gap = _PARAGRAPH_BREAK.search(text, new_hi, ceiling)
        if gap is None:
            new_hi = ceiling
            break
        following = _PARAGRAPH_BREAK.search(text, gap.end(), ceiling)
        new_hi = following.start() if following else ceiling
        if following is None or _LETTER.search(text, gap.end(), new_hi):
            break
    return new_lo, max(new_hi, hi)


def _context(text: str, start: int, end: int) -> tuple[int, int]:
    """The paragraph(s) around a span, bounded so a huge paragraph stays cheap."""
    lo = max(0, start - _CONTEXT_WINDOW)
    breaks = list(_PARAGRAPH_BREAK.finditer(text, lo, start))
    if breaks:
        lo = breaks[-1].end()
    hi = min(len(text), end + _CONTEXT_WINDOW)
    following = _PARAGRAPH_BREAK.search(text, end, hi)
    if following:
        hi = following.start()
    return lo, hi
