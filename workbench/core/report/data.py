"""What a verdict report says, gathered once from a Project and shared by every format.

Each format (HTML, PDF, Markdown, CSV, ClaimReview) renders the same ReportData, so the
numbers an editor sees in the PDF are the numbers in the CSV. Gathering reads the project
in a few bulk queries rather than one per claim: a 5,000-claim report stays under a second.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

from workbench.core.clock import utc_now_iso
from workbench.core.project.records import STATUS_LABELS, STATUSES, ClaimRecord, StoredArticle
from workbench.core.project.scales import Rating, Scale
from workbench.core.project.store import Project, stored_json
from workbench.core.report.cited import cited_copy_of
from workbench.core.wording import counted

CHECK_WORTHY = 0.5  # claims scoring at least this are expected to get a verdict
INCLUDE_MODES = ("default", "all")

FLAG_UNCHECKED = "UNCHECKED"
FLAG_NOT_APPROVED = "NOT YET APPROVED"
FLAG_RETURNED = "RETURNED TO CHECKER"
FLAG_NO_SOURCES = "NO SOURCES"
FLAG_CHANGED = "CHANGED IN REVISION"  # the article was revised and the claim's words changed
FLAG_GONE = "GONE FROM REVISION"  # ... and the sentence is no longer in it


@dataclass(frozen=True)
class ReportSource:
    url: str
    title: str
    publisher: str
    relation: str
    note: str
    evaluation: dict[str, Any] | None
    archive: str | None  # of the newest snapshot, when one exists
    archive_url: str | None
    captured_at: str | None
    fetched_at: str | None
    sha256: str | None
    citation: str = ""  # the source in the report's citation style, when one was chosen

    @property
    def evaluation_summary(self) -> str:
        """The lateral-reading checklist in one line, or "" when the source was not evaluated."""
        from workbench.core.project.evaluation import summary

        return summary(self.evaluation) if self.evaluation else ""


@dataclass(frozen=True)
class ReportClaim:
    number: int  # position in article order among live claims, 1-based ("Claim 3")
    claim: ClaimRecord
    rating: Rating | None
    rating_value: int | None  # schema.org ratingValue; None outside the ordinal order
    flags: tuple[str, ...]
    sources: tuple[ReportSource, ...]

    @property
    def id(self) -> int:
        return self.claim.id

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.claim.status, self.claim.status)

    @property
    def check_worthy(self) -> bool:
        return self.claim.score >= CHECK_WORTHY


@dataclass(frozen=True)
class Count:
    key: str
    label: str
    count: int
    color: str = "#888888"


@dataclass(frozen=True)
class ReportData:
    article: StoredArticle
    scale: Scale
    generated_at: str  # UTC ISO 8601
    last_verdict_at: str | None
    reviewers: tuple[str, ...]  # distinct reviewers of current verdicts, in first-verdict order
    include: str  # "default" or "all"
    total_claims: int  # live claims in the project, whatever is included
    rated_claims: int
    worthy_claims: int
    worthy_rated: int
    by_rating: tuple[Count, ...]  # every rating of the scale, in scale order
    by_status: tuple[Count, ...]
    claims: tuple[ReportClaim, ...]  # the included claims, in article order

    @property
    def worthy_share(self) -> float:
        return self.worthy_rated / self.worthy_claims if self.worthy_claims else 0.0

    @property
    def unrated_worthy(self) -> int:
        return self.worthy_claims - self.worthy_rated

    # The summary's two sentences, the same in every format. Verdicts on all claims come
    # first, since the chart (or table) by rating beside them counts every rated claim; the
    # check-worthy ones are said apart. With the check-worthy count first, an editor read
    # "0 of 2 check-worthy claims have a verdict" above a chart of three verdicts.
    @property
    def verdicts_said(self) -> str:
        """'3 of 85 claims have a verdict (4%)'."""
        share = self.rated_claims / self.total_claims if self.total_claims else 0.0
        verb = "has" if self.rated_claims == 1 else "have"
        return (
            f"{self.rated_claims:,} of {counted(self.total_claims, 'claim')} {verb} a verdict "
            f"({share:.0%})"
        )

    @property
    def worthy_said(self) -> str:
        """'Of the 2 check-worthy claims (score 0.50 or more), 0 have a verdict (0%)'."""
        line = f"(score {CHECK_WORTHY:.2f} or more)"
        worthy, done = self.worthy_claims, self.worthy_rated
        if worthy == 0:
            return f"No claim scores as check-worthy {line}"
        if worthy == 1:
            return f"The one check-worthy claim {line} has {'a' if done else 'no'} verdict"
        if done == worthy:
            return f"All {worthy:,} check-worthy claims {line} have a verdict"
        verb = "has" if done == 1 else "have"
        return (
            f"Of the {worthy:,} check-worthy claims {line}, {done:,} {verb} a verdict "
            f"({self.worthy_share:.0%})"
        )


def claim_flags(claim: ClaimRecord) -> tuple[str, ...]:
    """The plain warnings an editor must not miss, in the order they matter."""
    flags: list[str] = []
    if claim.rating is None:
        flags.append(FLAG_UNCHECKED)
    elif claim.status != "approved":
        flags.append(FLAG_NOT_APPROVED)
    if claim.status == "returned":
        flags.append(FLAG_RETURNED)
    if claim.rating is not None and claim.source_count == 0:
        flags.append(FLAG_NO_SOURCES)
    if claim.anchor_state == "changed":
        flags.append(FLAG_CHANGED)
    elif claim.anchor_state == "gone":
        flags.append(FLAG_GONE)
    return tuple(flags)


def included(claim: ClaimRecord, include: str) -> bool:
    """Default: every rated claim, plus unrated check-worthy ones (flagged). 'all': everything."""
    return include == "all" or claim.rating is not None or claim.score >= CHECK_WORTHY


def gather(
    project: Project,
    *,
    include: str = "default",
    now: str | None = None,
    citation_style: str | None = None,
) -> ReportData:
    if include not in INCLUDE_MODES:
        raise ValueError(f"include must be one of {INCLUDE_MODES}")
    scale = project.scale
    claims = project.claims()
    ratings = {r.id: r for r in scale.ratings}
    links = _claim_source_rows(project.conn)
    article = project.article()
    snaps = _cited_snapshots(project.conn, article.published)

    citations: dict[int, str] = {}

    def citation(source_id: int) -> str:
        if citation_style and source_id not in citations:
            from workbench.core.report.citation import cite

            citations[source_id] = cite(project, source_id, citation_style)
        return citations.get(source_id, "")

    report_claims = []
    for number, claim in enumerate(claims, start=1):
        if not included(claim, include):
            continue
        sources = tuple(
            _report_source(row, snaps.get(row["source_id"]), citation(row["source_id"]))
            for row in links.get(claim.id, ())
        )
        report_claims.append(
            ReportClaim(
                number=number,
                claim=claim,
                rating=ratings.get(claim.rating) if claim.rating else None,
                rating_value=scale.value(claim.rating) if claim.rating else None,
                flags=claim_flags(claim),
                sources=sources,
            )
        )

    rated = [c for c in claims if c.rating]
    worthy = [c for c in claims if c.score >= CHECK_WORTHY]
    rating_counts = Counter(c.rating for c in rated)
    status_counts = Counter(c.status for c in claims)
    return ReportData(
        article=article,
        scale=scale,
        generated_at=now or utc_now_iso(),
        last_verdict_at=max((c.rated_at for c in rated if c.rated_at), default=None),
        reviewers=_reviewers(rated),
        include=include,
        total_claims=len(claims),
        rated_claims=len(rated),
        worthy_claims=len(worthy),
        worthy_rated=sum(1 for c in worthy if c.rating),
        by_rating=tuple(
            Count(r.id, r.label, rating_counts.get(r.id, 0), r.color) for r in scale.ratings
        ),
        by_status=tuple(Count(s, STATUS_LABELS[s], status_counts.get(s, 0)) for s in STATUSES),
        claims=tuple(report_claims),
    )


def _reviewers(rated: list[ClaimRecord]) -> tuple[str, ...]:
    ordered = sorted(rated, key=lambda c: c.rated_at or "")
    return tuple(dict.fromkeys(c.rated_by for c in ordered if c.rated_by))


def _claim_source_rows(conn: sqlite3.Connection) -> dict[int, list[sqlite3.Row]]:
    """Every claim's sources in one query, in the order Project.claim_sources gives them."""
    cur = conn.execute(
        "SELECT cs.claim_id, cs.source_id, cs.relation, cs.note AS link_note, "
        "s.url, s.title, s.publisher, s.evaluation "
        "FROM claim_sources cs JOIN sources s ON s.id = cs.source_id "
        "ORDER BY cs.claim_id, cs.created_at, s.id"
    )
    cur.row_factory = sqlite3.Row
    out: dict[int, list[sqlite3.Row]] = {}
    for row in cur:
        out.setdefault(row["claim_id"], []).append(row)
    return out


def _cited_snapshots(conn: sqlite3.Connection, published: str | None) -> dict[int, _Copy]:
    """The copy each source's report entry cites (core/report/cited.py); bodies not read."""
    cur = conn.execute(
        "SELECT id, source_id, archive, archive_url, captured_at, fetched_at, sha256 "
        "FROM snapshots ORDER BY source_id, id"
    )
    cur.row_factory = sqlite3.Row
    copies: dict[int, list[_Copy]] = {}
    for row in cur:
        copies.setdefault(row["source_id"], []).append(_Copy(*(row[k] for k in _Copy._fields)))
    chosen = {sid: cited_copy_of(found, published) for sid, found in copies.items()}
    return {sid: copy for sid, copy in chosen.items() if copy is not None}


class _Copy(NamedTuple):
    id: int
    source_id: int
    archive: str
    archive_url: str | None
    captured_at: str | None
    fetched_at: str | None
    sha256: str | None


def _report_source(row: sqlite3.Row, snap: _Copy | None, citation: str = "") -> ReportSource:
    return ReportSource(
        url=row["url"],
        title=row["title"] or "",
        publisher=row["publisher"] or "",
        relation=row["relation"] or "cited",
        note=row["link_note"] or "",
        evaluation=(
            stored_json(row["evaluation"], "A source's evaluation", dict)
            if row["evaluation"]
            else None
        ),
        archive=snap.archive if snap else None,
        archive_url=snap.archive_url if snap else None,
        captured_at=snap.captured_at if snap else None,
        fetched_at=snap.fetched_at if snap else None,
        sha256=snap.sha256 if snap else None,
        citation=citation,
    )


def display_time(iso: str | None) -> str:
    """'2024-05-01 14:03 UTC'. Reports travel between time zones, so they say UTC outright."""
    if not iso:
        return ""
    try:
        moment = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        return iso
    if moment.tzinfo is None:
        return moment.strftime("%Y-%m-%d %H:%M") if "T" in iso else iso
    return moment.strftime("%Y-%m-%d %H:%M UTC")
