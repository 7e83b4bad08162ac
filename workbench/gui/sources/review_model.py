"""What the review pane shows, computed without Qt: claim context, passage and quote checks,
archive wording and warnings. Kept free of widgets so it can run in a worker and be tested alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from workbench.core.article.segment import sentence_spans
from workbench.core.errors import InvalidInputError
from workbench.core.project.records import ClaimRecord, SnapshotRecord
from workbench.core.sources.evidence import QuoteCheck, ScoredPassage, check_quote, rank_passages
from workbench.core.sources.flags import FLAG_SENTENCES

PASSAGES_SHOWN = 5
SENTENCES_BEFORE = 2
SENTENCES_AFTER = 1
LIVE_WARNING = "Live copy, not archived — the page may have changed since the article"
AFTER_WARNING = "Captured after the article's date; the page may have changed since."
# Flags whose clause is in the note: (how the clause starts, what to say when the note lacks it).
CHECK_WARNINGS: dict[str, tuple[str, str]] = {
    **{flag: (clause, clause) for flag, clause in FLAG_SENTENCES.items()},
    "archived-error": (
        "the page already answered HTTP",
        "the archived copy is an error page the site served when it was captured",
    ),
}


@dataclass(frozen=True)
class ClaimContext:
    """A stretch of the article around a claim; offsets are into the article text."""

    start: int
    end: int
    claim_start: int
    claim_end: int


@dataclass(frozen=True)
class QuoteItem:
    start: int  # in the article text
    end: int
    text: str
    speaker: str | None


@dataclass(frozen=True)
class SourceAnalysis:
    """Passages of one source ranked against a claim, and each quotation checked against it."""

    passages: tuple[ScoredPassage, ...]
    checks: tuple[QuoteCheck | None, ...]  # one per quote; None when the quote is empty


@dataclass(frozen=True)
class Warning:
    kind: str  # "after-publication", "live", "note" or a CHECK_WARNINGS flag ("soft-404", ...)
    text: str


def claim_context(
    text: str,
    spans: list[tuple[int, int]],
    claim_start: int,
    claim_end: int,
    before: int = SENTENCES_BEFORE,
    after: int = SENTENCES_AFTER,
) -> ClaimContext:
    """The claim with a sentence or two either side, taken from the article's sentence spans."""
    first = next((i for i, (_, e) in enumerate(spans) if e > claim_start), len(spans))
    last = first
    while last + 1 < len(spans) and spans[last + 1][0] < claim_end:
        last += 1
    lo = spans[max(0, first - before)][0] if spans else claim_start
    hi = spans[min(len(spans) - 1, last + after)][1] if spans else claim_end
    return ClaimContext(min(lo, claim_start), max(hi, claim_end), claim_start, claim_end)


def article_context(text: str, claim: ClaimRecord) -> ClaimContext:
    return claim_context(text, sentence_spans(text), claim.start, claim.end)


def quote_items(text: str, claim: ClaimRecord) -> tuple[QuoteItem, ...]:
    return tuple(QuoteItem(q.start, q.end, text[q.start : q.end], q.speaker) for q in claim.quotes)


def analyse(claim_text: str, quotes: tuple[QuoteItem, ...], source_text: str) -> SourceAnalysis:
    """Rank the source's passages against the claim and check every quotation in it."""
    passages = tuple(rank_passages(claim_text, source_text, PASSAGES_SHOWN))
    checks: list[QuoteCheck | None] = []
    for quote in quotes:
        try:
            checks.append(check_quote(quote.text, source_text))
        except InvalidInputError:
            checks.append(None)  # a quote of only punctuation: nothing to look for
    return SourceAnalysis(passages, tuple(checks))


def archive_name(archive: str) -> str:
    """How a snapshot's archive reads on screen."""
    if archive == "wayback":
        return "Internet Archive (Wayback Machine)"
    if archive.startswith("memento:"):
        return f"{archive.removeprefix('memento:')} (via Memento)"
    if archive == "warc":
        return "Imported WARC file"
    if archive == "live":
        return "Live web (not archived)"
    return archive


def parse_utc(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def local_time(value: str | None) -> str:
    """A stored UTC time as local time for the screen, e.g. '5 Mar 2026, 15:12'."""
    moment = parse_utc(value)
    if moment is None:
        return "unknown"
    local = moment.astimezone()
    return f"{local.day} {local:%b %Y, %H:%M} {local:%Z}".rstrip()


def local_date(value: str | None) -> str:
    """A stored date (or time) as a readable date, e.g. '12 Mar 2026'."""
    if value and len(value) == 10:  # a bare date: no time zone to convert
        try:
            day = datetime.fromisoformat(value)
        except ValueError:
            return value
        return f"{day.day} {day:%b %Y}"
    moment = parse_utc(value)
    if moment is None:
        return value or "unknown"
    local = moment.astimezone()
    return f"{local.day} {local:%b %Y}"


def warnings_for(snapshot: SnapshotRecord) -> list[Warning]:
    """What a fact-checker must know before trusting this copy as what the article saw."""
    note, checks = _split_note(snapshot)
    found: list[Warning] = []
    if "live" in snapshot.flags or snapshot.archive == "live":
        found.append(Warning("live", LIVE_WARNING))
    if "after-publication" in snapshot.flags:
        found.append(Warning("after-publication", note or AFTER_WARNING))
    elif note and not found:
        found.append(Warning("note", note))
    found.extend(checks)
    known = ("live", "after-publication", *CHECK_WARNINGS)
    other = [f for f in snapshot.flags if f not in known]
    if other:
        found.append(Warning("note", "Flagged: " + ", ".join(other).replace("-", " ") + "."))
    return found


def _split_note(snapshot: SnapshotRecord) -> tuple[str, list[Warning]]:
    """The note without the checks' clauses, and one warning per check flag, worded as the
    note words it (with its details) or, for copies stored before the check, in general."""
    parts = [part for part in snapshot.note.split("; ") if part] if snapshot.note else []
    checks: list[Warning] = []
    for flag in snapshot.flags:
        if flag not in CHECK_WARNINGS:
            continue
        start, fallback = CHECK_WARNINGS[flag]
        said = next((part for part in parts if part.startswith(start)), None)
        if said is not None:
            parts.remove(said)
        checks.append(Warning(flag, _sentence(said or fallback)))
    return "; ".join(parts), checks


def _sentence(clause: str) -> str:
    clause = clause.strip()
    return clause[:1].upper() + clause[1:] + ("" if clause.endswith((".", "!", "?")) else ".")


def short_hash(sha256: str) -> str:
    return sha256[:12]
