"""The article's own revisions (issue 14): both texts kept as versions, every claim re-anchored
(exact, moved, changed with the word diff, gone), verdicts kept, new sentences as new claims."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.core.article.anchor import anchor
from workbench.core.article.model import Article
from workbench.core.claims.finder import find_claims
from workbench.core.project.records import claim_json
from workbench.core.project.revisions import refresh_article
from workbench.core.project.store import Project

A = "The council approved the budget on Tuesday."
B = "Spending on roads rises by 12 per cent this year, the finance officer said."
B2 = "Spending on roads rises by 14 per cent this year, the finance officer said."
C = "The mayor promised a new bridge by 2028."
D = "Officials expect the harbour to reopen in May."
E = "A new ferry service will start in June, the operator announced."
OLD = "\n\n".join([A, B, C, D])
NEW = "\n\n".join([D, A, B2, E])


@pytest.fixture()
def project(tmp_path: Path) -> Project:
    article = Article("Budget", "A. Writer", "2026-03-12", None, OLD, (), OLD.encode())
    p = Project.create(tmp_path / "r.wbproj", article, find_claims(OLD))
    yield p
    p.close()


def _by_text(project: Project) -> dict[str, int]:
    return {c.text: c.id for c in project.claims()}


def test_each_claim_is_re_anchored_and_verdicts_stay(project: Project) -> None:
    ids = _by_text(project)
    project.set_verdict(ids[B], "true", "The finance report says 12 per cent.")
    revised = Article("Budget", "A. Writer", "2026-03-12", None, NEW, (), NEW.encode())
    revision = refresh_article(project, location="revised.txt", article=revised)
    assert revision.version == 2
    assert revision.counts() == {"exact": 1, "moved": 1, "changed": 1, "gone": 1}
    assert revision.describe() == (
        "Version 2 kept (25 words changed in 3 passages); claims: 1 unchanged, 1 moved, "
        "1 changed in the revision, 1 gone from the revision; 1 new claim"
    )

    text = project.article().text
    assert text == NEW
    claims = {c.id: c for c in project.claims()}
    assert claims[ids[A]].anchor_state == "exact"
    assert text[claims[ids[A]].start : claims[ids[A]].end] == A
    assert claims[ids[D]].anchor_state == "moved"
    assert (claims[ids[D]].start, claims[ids[D]].end) == (0, len(D))
    changed = claims[ids[B]]
    assert changed.anchor_state == "changed"
    assert text[changed.start : changed.end] == B2
    assert changed.text == B  # the wording as checked is kept; the span shows the new one
    assert changed.rating == "true"  # the verdict stayed with its claim
    detail = project.claim_anchor(ids[B])
    assert detail is not None
    assert detail["changes"] == [
        ["equal", "Spending on roads rises by"],
        ["delete", "12"],
        ["insert", "14"],
        ["equal", "per cent this year, the finance officer said."],
    ]
    quote_sel, position = detail["selector"]
    assert quote_sel == {
        "type": "TextQuoteSelector",
        "exact": B,
        "prefix": OLD[OLD.index(B) - 32 : OLD.index(B)],
        "suffix": OLD[OLD.index(B) + len(B) : OLD.index(B) + len(B) + 32],
    }
    assert position == {
        "type": "TextPositionSelector",
        "start": OLD.index(B),
        "end": OLD.index(B) + len(B),
    }
    gone = claims[ids[C]]
    assert gone.anchor_state == "gone" and gone.start == gone.end
    assert claim_json(gone, text)["anchor"] == "gone"

    [new_id] = revision.new_claims
    assert claims[new_id].text == E and claims[new_id].status == "unchecked"
    assert claims[new_id].anchor_state == "new"


def test_both_texts_are_kept_as_versions(project: Project) -> None:
    revised = Article("Budget (updated)", "", None, None, NEW, (), NEW.encode())
    refresh_article(project, location="revised.txt", article=revised)
    versions = project.article_versions()
    assert [(v.version, v.origin, v.chars) for v in versions] == [
        (1, "loaded", len(OLD)),
        (2, "file", len(NEW)),
    ]
    assert project.article_version_text(1) == OLD
    assert project.article_version_text(2) == NEW
    assert project.article().title == "Budget (updated)"
    assert project.article().byline == "A. Writer"  # an empty field keeps what was known
    actions = [e.action for e in project.history()]
    assert "article-revision" in actions


def test_an_unchanged_article_adds_no_version(project: Project) -> None:
    same = Article("Budget", "A. Writer", "2026-03-12", None, OLD, (), OLD.encode())
    revision = refresh_article(project, location="same.txt", article=same)
    assert revision.version is None
    assert revision.describe() == "No revision: the article at same.txt has the same text as before"
    assert len(project.article_versions()) == 1


def test_context_picks_the_right_one_of_two_identical_sentences() -> None:
    old = "Prices rose. The council met. Rents fell. The council met. Taxes rose."
    new = "Prices rose sharply. The council met. Rents fell a little. The council met. Taxes rose."
    second = old.rindex("The council met.")
    found = anchor(old, new, second, second + len("The council met."))
    assert found.state == "exact"
    assert found.start == new.rindex("The council met.")


def test_the_sample_article_and_its_revision(tmp_path: Path) -> None:
    """sample_data/sample-article-revised.html: the traffic figure corrected, the Friends'
    chair's paragraph removed, an UPDATE paragraph added."""
    from workbench.core.project.create import new_project

    root = Path(__file__).resolve().parents[2] / "sample_data"
    with new_project(tmp_path / "s.wbproj", str(root / "sample-article.html")) as project:
        revision = refresh_article(project, location=str(root / "sample-article-revised.html"))
        assert revision.counts() == {"exact": 17, "moved": 0, "changed": 1, "gone": 1}
        changed = next(c for c, a in revision.outcomes if a.state == "changed")
        assert ("delete", "14,000") in dict.fromkeys(
            tuple(x) for x in project.claim_anchor(changed.id)["changes"]
        )
        new_texts = [project.claim(cid).text for cid in revision.new_claims]
        assert new_texts[1] == (
            "The council said on Friday that tenders for the construction contract will open "
            "in May."
        )


def test_the_report_flags_changed_and_gone_claims(project: Project) -> None:
    from workbench.core.report.data import FLAG_CHANGED, FLAG_GONE, gather

    ids = _by_text(project)
    revised = Article("Budget", "A. Writer", "2026-03-12", None, NEW, (), NEW.encode())
    refresh_article(project, location="revised.txt", article=revised)
    flags = {c.id: c.flags for c in gather(project, include="all").claims}
    assert FLAG_CHANGED in flags[ids[B]]
    assert FLAG_GONE in flags[ids[C]]
    assert not {FLAG_CHANGED, FLAG_GONE} & set(flags[ids[A]])


def test_a_revised_project_round_trips_through_json(project: Project, tmp_path: Path) -> None:
    """Versions, each claim's re-anchoring and capture listings travel in the JSON export."""
    from workbench.core.project.jsonio import export_project, import_project

    ids = _by_text(project)
    project.set_verdict(ids[B], "true", "The finance report says 12 per cent.")
    source_id = project.attach_source(ids[B], "https://council.example.org/budget")
    project.set_capture_listing(
        source_id,
        ["wayback"],
        [
            {
                "archive": "wayback",
                "original_url": "https://council.example.org/budget",
                "archive_url": "https://web.example.org/web/20260301000000/https://council.example.org/budget",
                "timestamp": "20260301000000",
                "captured_at": "2026-03-01T00:00:00Z",
                "digest": "ABC",
                "http_status": 200,
                "mimetype": "text/html",
                "length": 1234,
                "duplicates": 2,
            }
        ],
    )
    revised = Article("Budget", "A. Writer", "2026-03-12", None, NEW, (), NEW.encode())
    refresh_article(project, location="revised.txt", article=revised)
    first = export_project(project, now="2026-04-01T00:00:00Z")
    assert [v["version"] for v in first["article_versions"]] == [1, 2]
    assert first["article_versions"][0]["text"] == OLD
    gone = next(c for c in first["claims"] if c["anchor"] == "gone")
    assert gone["start"] == gone["end"]

    with import_project(first, tmp_path / "copy.wbproj", now="2026-04-02T00:00:00Z") as again:
        assert [v.version for v in again.article_versions()] == [1, 2]
        assert again.article_version_text(1) == OLD
        assert again.claim(ids[B]).anchor_state == "changed"
        assert again.claim_anchor(ids[B]) == project.claim_anchor(ids[B])
        assert [c.archive_url for c in again.capture_listing(source_id)] == [
            c.archive_url for c in project.capture_listing(source_id)
        ]
        second = export_project(again, now="2026-04-01T00:00:00Z")
    second["project"]["imported_at"] = first["project"]["imported_at"]
    assert second == first


def test_an_import_refuses_a_version_whose_bytes_were_altered(
    project: Project, tmp_path: Path
) -> None:
    from workbench.core.errors import InvalidInputError
    from workbench.core.project.jsonio import export_project, import_project

    revised = Article("Budget", "A. Writer", "2026-03-12", None, NEW, (), NEW.encode())
    refresh_article(project, location="revised.txt", article=revised)
    data = export_project(project)
    data["article_versions"][0]["raw_base64"] = "QUJD"  # "ABC", not what was hashed
    with pytest.raises(InvalidInputError, match="version 1's bytes do not match"):
        import_project(data, tmp_path / "forged.wbproj")


def test_a_gone_claim_that_comes_back_is_found_again(project: Project) -> None:
    """A sentence taken out and later put back (or an older capture loaded again) is the claim
    it was, with its verdict: not 'unchanged' on an empty span, and not a new claim."""
    ids = _by_text(project)
    project.set_verdict(ids[C], "false", "No bridge is in the capital plan.")
    revised = Article("Budget", "A. Writer", "2026-03-12", None, NEW, (), NEW.encode())
    original = Article("Budget", "A. Writer", "2026-03-12", None, OLD, (), OLD.encode())
    refresh_article(project, location="revised.txt", article=revised)
    assert project.claim(ids[C]).anchor_state == "gone"
    still = refresh_article(project, location="again.txt", article=revised)
    assert still.version is None  # the same text: nothing to do

    back = refresh_article(project, location="original.txt", article=original)
    outcome = dict((c.id, o) for c, o in back.outcomes)[ids[C]]
    assert (outcome.state, outcome.detail) == ("moved", {"returned": True})
    claim = project.claim(ids[C])
    assert project.article().text[claim.start : claim.end] == C
    assert claim.anchor_state == "moved" and claim.rating == "false"
    assert [c.text for c in project.claims()].count(C) == 1  # no second claim for it
    assert C not in [project.claim(n).text for n in back.new_claims]

    gone_again = refresh_article(project, location="revised.txt", article=revised)
    assert dict((c.id, o.state) for c, o in gone_again.outcomes)[ids[C]] == "gone"
    assert project.claim_anchor(ids[C])["old_text"] == C  # its words are remembered
    third = refresh_article(project, location="original.txt", article=original)
    assert dict((c.id, o.state) for c, o in third.outcomes)[ids[C]] == "moved"


def test_a_claim_still_gone_stays_gone(project: Project) -> None:
    ids = _by_text(project)
    revised = Article("Budget", "A. Writer", "2026-03-12", None, NEW, (), NEW.encode())
    refresh_article(project, location="revised.txt", article=revised)
    newer = NEW + "\n\nThe budget takes effect in April."
    again = Article("Budget", "A. Writer", "2026-03-12", None, newer, (), newer.encode())
    revision = refresh_article(project, location="newer.txt", article=again)
    assert dict((c.id, o.state) for c, o in revision.outcomes)[ids[C]] == "gone"
    assert revision.counts()["gone"] == 1 and revision.counts()["exact"] == 4  # A, B, D, E


def test_a_quotation_that_comes_back_is_a_quotation_again(tmp_path: Path) -> None:
    """A gone claim has no span, so its quotation spans go with it; the quoted words and the
    speaker are kept and found again when the sentence comes back, through any number of
    revisions without it."""
    quote = "“We will not raise the levy again,” Ann Cole said on Tuesday."
    with_quote = "\n\n".join([A, quote, D])
    without = "\n\n".join([A, D, E])
    article = Article("Budget", "", "2026-03-12", None, with_quote, (), with_quote.encode())
    with Project.create(tmp_path / "q.wbproj", article, find_claims(with_quote)) as project:
        claim = next(c for c in project.claims() if c.text == quote)
        (before,) = claim.quotes
        words = with_quote[before.start : before.end]
        assert "raise the levy" in words and before.speaker

        for text in (without, without + "\n\nThe levy is 2 per cent."):
            gone = Article("Budget", "", "2026-03-12", None, text, (), text.encode())
            refresh_article(project, location="gone.txt", article=gone)
            assert project.claim(claim.id).anchor_state == "gone"
            assert project.claim(claim.id).quotes == ()

        back = Article("Budget", "", "2026-03-12", None, with_quote, (), with_quote.encode())
        refresh_article(project, location="back.txt", article=back)
        returned = project.claim(claim.id)
        assert returned.anchor_state == "moved"
        (after,) = returned.quotes
        assert with_quote[after.start : after.end] == words
        assert after.speaker == before.speaker
