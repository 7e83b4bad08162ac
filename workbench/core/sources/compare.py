"""Two copies of a source side by side: the word diff of their readable text, and what became of
the article's quotations between them; and the quotation check against every stored capture
("found in the 2015 capture, gone from the 2019 one")."""

from __future__ import annotations

from dataclasses import dataclass

from workbench.core.errors import InvalidInputError
from workbench.core.project.records import SnapshotRecord
from workbench.core.project.store import Project
from workbench.core.sources.diff import WordDiff, word_diff
from workbench.core.sources.evidence import check_quote

FOUND = "verbatim"


@dataclass(frozen=True)
class QuoteHistory:
    """One quotation of a claim, checked against each stored copy of one source."""

    claim_id: int
    quote: str
    statuses: tuple[tuple[int, str], ...]  # (snapshot id, "verbatim" | "differs" | "not_found")

    def status(self, snapshot_id: int) -> str | None:
        return dict(self.statuses).get(snapshot_id)

    def describe(self, snapshots: dict[int, SnapshotRecord]) -> str:
        """'found in the 2015-03-01 copy, gone from the 2019-05-02 one' style, oldest first."""
        parts = []
        for snapshot_id, status in self.statuses:
            snap = snapshots.get(snapshot_id)
            when = _day(snap) if snap else f"snapshot {snapshot_id}"
            word = {"verbatim": "found", "differs": "altered", "not_found": "absent"}[status]
            parts.append(f"{word} in the {when} copy")
        return ", ".join(parts)


@dataclass(frozen=True)
class Comparison:
    a: SnapshotRecord
    b: SnapshotRecord
    diff: WordDiff
    quotes: tuple[tuple[int, str, str | None, str | None], ...]  # claim, quote, status a, b

    def summary(self) -> str:
        """One line: '12 words changed in 2 passages; the quotation in claim 7 is in the older
        copy only'."""
        first, second = _names(self.a, self.b)
        clauses = [self.diff.describe()]
        for claim_id, _quote, in_a, in_b in self.quotes:
            if in_a == in_b:
                continue
            where = f"the quotation in claim {claim_id}"
            if in_a == FOUND and in_b == "differs":
                clause = f"{where} differs in the {second} copy"
            elif in_a == FOUND:
                clause = f"{where} is in the {first} copy only"
            elif in_b == FOUND and in_a == "differs":
                clause = f"{where} differs in the {first} copy"
            elif in_b == FOUND:
                clause = f"{where} is in the {second} copy only"
            else:
                continue
            clauses.append(clause)
        return "; ".join(clauses)


def _names(a: SnapshotRecord, b: SnapshotRecord) -> tuple[str, str]:
    """How the summary names the two copies: by age when their times differ."""
    ta, tb = _when(a), _when(b)
    if ta and tb and ta != tb:
        return ("older", "newer") if ta < tb else ("newer", "older")
    return ("first", "second")


def _when(snap: SnapshotRecord) -> str:
    return snap.captured_at or snap.fetched_at or ""


def _day(snap: SnapshotRecord) -> str:
    when = _when(snap)
    return when[:10] if when else f"snapshot {snap.id}"


def _snapshot(project: Project, snapshot_id: int) -> SnapshotRecord:
    for snap in project.snapshots():
        if snap.id == snapshot_id:
            return snap
    raise InvalidInputError(f"There is no snapshot {snapshot_id} in this project.")


@dataclass(frozen=True)
class PairTexts:
    """What a comparison needs from the project, read at once: the two copies, their texts and
    the quotations of the claims citing either. Strings only, so the work can move to another
    thread (a Project belongs to the thread that opened it)."""

    a: SnapshotRecord
    b: SnapshotRecord
    text_a: str
    text_b: str
    quotes: tuple[tuple[int, str], ...]  # (claim id, quoted words)

    @property
    def size(self) -> int:
        return len(self.text_a) + len(self.text_b)


def read_pair(project: Project, a_id: int, b_id: int) -> PairTexts:
    a, b = _snapshot(project, a_id), _snapshot(project, b_id)
    claims = {cid for cid, _ in project.source_claims(a.source_id)}
    claims |= {cid for cid, _ in project.source_claims(b.source_id)}
    return PairTexts(
        a,
        b,
        project.snapshot_text(a_id),
        project.snapshot_text(b_id),
        tuple(_claim_quotes(project, claims)),
    )


def compare_texts(pair: PairTexts) -> Comparison:
    """The diff from copy a to copy b, with each quotation checked in both (the costly part on
    long pages: each check reads the whole text)."""
    quotes = tuple(
        (claim_id, quote, _status(quote, pair.text_a), _status(quote, pair.text_b))
        for claim_id, quote in pair.quotes
    )
    return Comparison(pair.a, pair.b, word_diff(pair.text_a, pair.text_b), quotes)


def compare_snapshots(project: Project, a_id: int, b_id: int) -> Comparison:
    """The diff from snapshot a to snapshot b (of the same source or not), with the quotations
    of the claims citing either source checked in both."""
    return compare_texts(read_pair(project, a_id, b_id))


def _claim_quotes(project: Project, claim_ids: set[int]) -> list[tuple[int, str]]:
    text = project.article().text
    out = []
    for claim in project.claims():
        if claim.id in claim_ids:
            out += [(claim.id, text[q.start : q.end]) for q in claim.quotes if q.end > q.start]
    return out


def _status(quote: str, source_text: str) -> str | None:
    if not source_text.strip():
        return None  # a copy without readable text (an image-only PDF) says nothing
    try:
        return check_quote(quote, source_text).status
    except InvalidInputError:
        return None


@dataclass(frozen=True)
class CopiesTexts:
    """A source's stored copies (oldest first), their texts and the quotations of the claims
    citing it: strings only, so the checks can run in another thread."""

    snapshots: tuple[SnapshotRecord, ...]
    texts: dict[int, str]
    quotes: tuple[tuple[int, str], ...]

    @property
    def size(self) -> int:
        return sum(len(t) for t in self.texts.values())


def read_copies(project: Project, source_id: int) -> CopiesTexts:
    snapshots = tuple(sorted(project.snapshots(source_id), key=_when))
    claims = {cid for cid, _ in project.source_claims(source_id)}
    return CopiesTexts(
        snapshots,
        {s.id: project.snapshot_text(s.id) for s in snapshots},
        tuple(_claim_quotes(project, claims)),
    )


def check_copies(copies: CopiesTexts) -> list[QuoteHistory]:
    history = []
    for claim_id, quote in copies.quotes:
        statuses = []
        for snap in copies.snapshots:
            status = _status(quote, copies.texts[snap.id])
            if status is not None:
                statuses.append((snap.id, status))
        history.append(QuoteHistory(claim_id, quote, tuple(statuses)))
    return history


def quotation_history(project: Project, source_id: int) -> list[QuoteHistory]:
    """Every quotation of the claims citing the source, checked in each stored copy of it,
    oldest copy first."""
    return check_copies(read_copies(project, source_id))


def comparison_json(comparison: Comparison) -> dict[str, object]:
    """The stable JSON shape of `workbench diff --json`."""

    def side(snap: SnapshotRecord) -> dict[str, object]:
        return {
            "snapshot": snap.id,
            "source": snap.source_id,
            "archive": snap.archive,
            "archive_url": snap.archive_url,
            "captured_at": snap.captured_at,
            "sha256": snap.sha256,
        }

    diff = comparison.diff
    return {
        "a": side(comparison.a),
        "b": side(comparison.b),
        "summary": comparison.summary(),
        "words_changed": diff.words_changed,
        "passages": [
            {
                "a_start": p.a_start,
                "a_end": p.a_end,
                "b_start": p.b_start,
                "b_end": p.b_end,
                "removed": p.removed,
                "added": p.added,
                "words_removed": p.words_removed,
                "words_added": p.words_added,
            }
            for p in diff.passages
        ],
        "quotations": [
            {"claim": cid, "quote": quote, "a": in_a, "b": in_b}
            for cid, quote, in_a, in_b in comparison.quotes
        ],
    }
