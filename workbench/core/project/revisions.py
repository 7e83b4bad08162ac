"""The article's own revisions: load it again, keep both texts as versions, re-anchor every
claim in the new text (verdicts stay with their claims), and add the revision's new sentences
as unchecked claims. `workbench refresh` and Article ▸ Check for revisions call this."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from workbench.core.article.anchor import Anchored, Mapper, TextQuoteSelector, anchor, find_again
from workbench.core.article.load import load_article
from workbench.core.article.model import Article
from workbench.core.claims.finder import ClaimCandidate, Quote, find_claims
from workbench.core.errors import InvalidInputError
from workbench.core.project.records import ClaimAnchor, ClaimRecord
from workbench.core.project.schema import ARTICLE_SOURCE_KEY
from workbench.core.project.store import Project
from workbench.core.sources.diff import WordDiff, word_diff

STATES = ("exact", "moved", "changed", "gone")
STATE_LABELS = {
    "exact": "unchanged",
    "moved": "moved",
    "changed": "changed in the revision",
    "gone": "gone from the revision",
    "new": "new in the revision",
}


@dataclass(frozen=True)
class Revision:
    """What a refresh found: nothing new, or a new version with every claim's outcome."""

    location: str
    version: int | None  # None when the text had not changed
    diff: WordDiff
    outcomes: tuple[tuple[ClaimRecord, Anchored], ...]
    new_claims: tuple[int, ...]

    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(STATES, 0)
        for _, outcome in self.outcomes:
            counts[outcome.state] += 1
        return counts

    def describe(self) -> str:
        if self.version is None:
            return f"No revision: the article at {self.location} has the same text as before"
        counts = self.counts()
        parts = [f"{counts[s]} {STATE_LABELS[s] if s != 'exact' else 'unchanged'}" for s in STATES]
        return (
            f"Version {self.version} kept ({self.diff.describe()}); claims: {', '.join(parts)}; "
            f"{len(self.new_claims)} new claim{'s' if len(self.new_claims) != 1 else ''}"
        )


def article_location(project: Project) -> str:
    """Where the article is loaded again from: its URL, else the file it was made from."""
    art = project.article()
    location = art.url or project.meta().get(ARTICLE_SOURCE_KEY, "")
    if not location:
        raise InvalidInputError(
            "The article has no URL or file to load again; give one with --from."
        )
    if not location.lower().startswith(("http://", "https://")) and not Path(location).exists():
        raise InvalidInputError(
            f"The article's file {location} is no longer there; give one with --from."
        )
    return location


def refresh_article(
    project: Project,
    *,
    location: str | None = None,
    article: Article | None = None,
    origin: str | None = None,
    archive_url: str | None = None,
    captured_at: str | None = None,
    actor: str | None = None,
) -> Revision:
    """Load the article again (from `location`, or where it came from; or take `article`
    already loaded) and keep it as a new version when its text changed."""
    location = location or article_location(project)
    new = article or load_article(location)
    old = project.article()
    diff = word_diff(old.text, new.text)
    if diff.identical and new.text == old.text:
        return Revision(location, None, diff, (), ())
    claims = project.claims()
    mapper = Mapper(word_diff(old.text, new.text, readable=False))
    outcomes = tuple((c, _anchor_claim(project, c, old.text, new.text, mapper)) for c in claims)
    anchors = [_claim_anchor(project, c, a, old.text, new.text) for c, a in outcomes]
    candidates = _new_sentences(new.text, diff, [a for _, a in outcomes])
    kind = origin or ("live" if location.lower().startswith(("http://", "https://")) else "file")
    version = project.add_article_version(
        new,
        anchors,
        candidates,
        origin=kind,
        archive_url=archive_url,
        captured_at=captured_at,
        actor=actor,
    )
    added = tuple(
        c.id for c in project.claims() if c.anchor_state == "new" and c.origin == "revision"
    )
    return Revision(location, version, diff, outcomes, added)


def _anchor_claim(
    project: Project, claim: ClaimRecord, old: str, new: str, mapper: Mapper
) -> Anchored:
    if claim.anchor_state == "gone" and claim.end == claim.start:
        return find_again(claim.start, new, _last_selector(project, claim), mapper)
    return anchor(old, new, claim.start, claim.end, mapper)


def _last_selector(project: Project, claim: ClaimRecord) -> TextQuoteSelector:
    """The words and context a gone claim had when it was last in the article."""
    detail = project.claim_anchor(claim.id) or {}
    for selector in detail.get("selector", []):
        if selector.get("type") == "TextQuoteSelector" and selector.get("exact"):
            return TextQuoteSelector(
                selector["exact"], selector.get("prefix", ""), selector.get("suffix", "")
            )
    return TextQuoteSelector(claim.text, "", "")


def _claim_anchor(
    project: Project, claim: ClaimRecord, outcome: Anchored, old: str, new: str
) -> ClaimAnchor:
    kept = _quote_words(project, claim, old)
    quotes: list[Quote] = []
    if outcome.state != "gone":
        for words, speaker in kept:
            at = new.find(words, outcome.start, outcome.end) if words else -1
            if at != -1:
                quotes.append(Quote(at, at + len(words), speaker))
    detail = outcome.to_json()
    detail["old_text"] = outcome.selector.exact  # a gone claim keeps the words it last had
    detail["new_text"] = new[outcome.start : outcome.end]
    if outcome.state == "gone" and kept:
        # ...and its quotations, so a sentence put back is a quotation again with its speaker.
        detail["quotes"] = [{"words": words, "speaker": speaker} for words, speaker in kept]
    return ClaimAnchor(claim.id, outcome.state, outcome.start, outcome.end, tuple(quotes), detail)


def _quote_words(project: Project, claim: ClaimRecord, old: str) -> list[tuple[str, str | None]]:
    """The claim's quoted words and speakers: from its spans in the old text, or, for a gone
    claim (no span), from what was kept when it went."""
    if claim.quotes:
        return [(old[q.start : q.end], q.speaker) for q in claim.quotes]
    if claim.anchor_state != "gone":
        return []
    detail = project.claim_anchor(claim.id) or {}
    return [
        (str(q["words"]), q.get("speaker"))
        for q in detail.get("quotes", [])
        if isinstance(q, dict) and q.get("words")
    ]


def _new_sentences(text: str, diff: WordDiff, anchored: list[Anchored]) -> list[ClaimCandidate]:
    """Sentences of the new text that the revision added: mostly inserted words, and not the
    new place of an existing claim."""
    inserted = [(op.b_start, op.b_end) for op in diff.ops if op.kind == "insert"]
    taken = [(a.start, a.end) for a in anchored if a.end > a.start]
    out = []
    for cand in find_claims(text):
        if any(s < cand.end and cand.start < e for s, e in taken):
            continue
        added = sum(max(0, min(e, cand.end) - max(s, cand.start)) for s, e in inserted)
        if added * 2 >= cand.end - cand.start:
            out.append(cand)
    return out
