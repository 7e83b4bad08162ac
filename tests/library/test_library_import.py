"""Reading ClaimReview in each shape it is published in, bad entries counted, re-import idempotent."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from workbench.core.errors import InvalidInputError
from workbench.core.library.importing import import_file, remove_source
from workbench.core.library.shapes import BadRow, read_file
from workbench.core.library.store import Library

REVIEW = {
    "@context": "https://schema.org",
    "@type": "ClaimReview",
    "url": "https://factcheck.example/wind-turbines",
    "claimReviewed": "Wind turbines kill more birds than cats do.",
    "name": "Do wind turbines kill more birds than cats?",
    "datePublished": "2024-03-02",
    "author": {"@type": "Organization", "name": "Example Checks"},
    "reviewRating": {
        "@type": "Rating",
        "alternateName": "False",
        "ratingValue": "1",
        "bestRating": 5,
        "worstRating": 1,
    },
    "itemReviewed": {
        "@type": "Claim",
        "author": {"@type": "Person", "name": "A. Senator"},
        "datePublished": "2024-02-27",
        "appearance": [{"@type": "CreativeWork", "url": "https://social.example/post/1"}],
        "firstAppearance": {"@type": "CreativeWork", "url": "https://tv.example/clip"},
    },
}


def second(
    url: str = "https://factcheck.example/vaccines", claim: str = "Vaccines contain microchips."
) -> dict:
    return {
        "@type": "ClaimReview",
        "url": url,
        "claimReviewed": claim,
        "reviewRating": {"alternateName": "Pants on Fire"},
        "publisher": {"name": "Other Desk"},
    }


def good(path: Path) -> list:
    return [x for x in read_file(path) if not isinstance(x, BadRow)]


def bad(path: Path) -> list[BadRow]:
    return [x for x in read_file(path) if isinstance(x, BadRow)]


def test_single_json_ld_object_keeps_every_field(tmp_path: Path) -> None:
    path = tmp_path / "one.json"
    path.write_text(json.dumps(REVIEW), "utf-8")
    (check,) = good(path)
    assert check.claim_reviewed == "Wind turbines kill more birds than cats do."
    assert check.url == "https://factcheck.example/wind-turbines"
    assert (check.rating, check.rating_value, check.best_rating, check.worst_rating) == (
        "False",
        1.0,
        5.0,
        1.0,
    )
    assert check.title == "Do wind turbines kill more birds than cats?"
    assert (check.publisher, check.author) == ("Example Checks", "Example Checks")
    assert check.date == "2024-03-02"
    assert (check.claimant, check.claim_date) == ("A. Senator", "2024-02-27")
    assert check.appearances == ("https://social.example/post/1", "https://tv.example/clip")


def test_array_and_graph_skip_page_furniture_and_count_broken_reviews(tmp_path: Path) -> None:
    path = tmp_path / "array.json"
    path.write_text(json.dumps([REVIEW, second(), "junk"]), "utf-8")
    assert [c.rating for c in good(path)] == ["False", "Pants on Fire"]
    assert [str(b) for b in bad(path)] == ["document[2]: not an object"]

    graph = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "WebPage", "name": "A page", "mainEntity": REVIEW},
            {"@type": "Organization", "name": "Example Checks"},
            {"@type": "ClaimReview", "url": "https://factcheck.example/empty"},
        ],
    }
    path.write_text(json.dumps(graph), "utf-8")
    assert [c.url for c in good(path)] == ["https://factcheck.example/wind-turbines"]
    assert [b.reason for b in bad(path)] == ["ClaimReview without claimReviewed"]


def test_json_lines_feed_counts_broken_lines(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    lines = [
        json.dumps(REVIEW),
        "{not json",
        json.dumps({"@type": "Person"}),
        "",
        json.dumps(second()),
    ]
    path.write_text("\n".join(lines), "utf-8")
    assert len(good(path)) == 2
    assert [b.where for b in bad(path)] == ["line 2", "line 3"]
    # The same lines in a .json file are recognised as JSON Lines too.
    other = tmp_path / "feed.json"
    other.write_text(json.dumps(REVIEW) + "\n" + json.dumps(second()) + "\n", "utf-8")
    assert len(good(other)) == 2


def test_data_feed_elements(tmp_path: Path) -> None:
    feed = {
        "@context": "https://schema.org",
        "@type": "DataFeed",
        "dataFeedElement": [
            {"@type": "DataFeedItem", "item": [REVIEW]},
            {"@type": "DataFeedItem", "item": second()},
            {"@type": "DataFeedItem", "dateCreated": "2024-01-01"},
        ],
    }
    path = tmp_path / "feed.json"
    path.write_text(json.dumps(feed), "utf-8")
    assert [c.publisher for c in good(path)] == ["Example Checks", "Other Desk"]
    assert [str(b) for b in bad(path)] == ["dataFeedElement[2]: no ClaimReview in it"]


def test_fact_check_tools_claims_search_response(tmp_path: Path) -> None:
    response = {
        "claims": [
            {
                "text": "The moon landing was filmed in a studio.",
                "claimant": "Viral post",
                "claimDate": "2019-07-20T00:00:00Z",
                "claimReview": [
                    {
                        "publisher": {"name": "Desk A", "site": "a.example"},
                        "url": "https://a.example/moon",
                        "title": "No, it was not",
                        "reviewDate": "2019-07-21T00:00:00Z",
                        "textualRating": "False",
                        "languageCode": "en",
                    },
                    {
                        "publisher": {"site": "b.example"},
                        "url": "https://b.example/moon",
                        "textualRating": "Fake",
                    },
                ],
            },
            {"text": "No review here", "claimReview": []},
        ],
        "nextPageToken": "abc",
    }
    path = tmp_path / "google.json"
    path.write_text(json.dumps(response), "utf-8")
    checks = good(path)
    assert [(c.publisher, c.rating, c.url) for c in checks] == [
        ("Desk A", "False", "https://a.example/moon"),
        ("b.example", "Fake", "https://b.example/moon"),
    ]
    assert checks[0].claimant == "Viral post" and checks[0].language == "en"
    assert checks[0].date == "2019-07-21T00:00:00Z" and checks[0].title == "No, it was not"
    assert [b.where for b in bad(path)] == ["claims[1]"]


def test_csv_with_common_column_names(tmp_path: Path) -> None:
    path = tmp_path / "checks.csv"
    path.write_text(
        "Claim,Rating,URL,Publisher,Date\n"
        '"Crime fell 14% in 2023.",Mostly true,https://c.example/crime,Desk C,2024-01-05\n'
        ",False,https://c.example/empty,Desk C,2024-01-06\n"
        '"Bread costs €5, said the minister",False,https://c.example/bread,Desk C,2024-01-07\n',
        "utf-8",
    )
    checks = good(path)
    assert [(c.claim_reviewed, c.rating, c.publisher) for c in checks] == [
        ("Crime fell 14% in 2023.", "Mostly true", "Desk C"),
        ("Bread costs €5, said the minister", "False", "Desk C"),
    ]
    assert [str(b) for b in bad(path)] == ["row 3: no claim"]
    path.write_text("name,score\nx,1\n", "utf-8")
    with pytest.raises(InvalidInputError, match="no claim column"):
        list(read_file(path))


def test_html_page_json_ld_blocks(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(
        "<html><head><script type='application/ld+json'>"
        + json.dumps(REVIEW)
        + '</script><script type="application/ld+json">{broken</script></head>'
        "<body>Fact check</body></html>",
        "utf-8",
    )
    assert len(good(path)) == 1
    assert [b.where for b in bad(path)] == ["JSON-LD block 2"]


def test_not_a_claimreview_file_is_one_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("just some notes", "utf-8")
    with pytest.raises(InvalidInputError, match="not a ClaimReview file"):
        list(read_file(path))


def test_reimport_is_idempotent_and_updates_changed_reviews(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    path.write_text(json.dumps(REVIEW) + "\n" + json.dumps(second()) + "\n{bad\n", "utf-8")
    with Library.open(tmp_path / "lib.sqlite") as library:
        first = import_file(library, path)
        assert (first.added, first.updated, first.unchanged, first.bad) == (2, 0, 0, 1)
        again = import_file(library, path)
        assert (again.added, again.updated, again.unchanged, again.bad) == (0, 0, 2, 1)
        assert library.count() == 2
        # Same url and same claim (other quotation marks and case) is the same entry.
        changed = dict(REVIEW, claimReviewed="WIND turbines kill more birds than cats do!")
        changed["reviewRating"] = {"alternateName": "Mostly false"}
        path.write_text(json.dumps(changed) + "\n", "utf-8")
        third = import_file(library, path)
        assert (third.added, third.updated) == (0, 1)
        assert library.count() == 2
        (match,) = [e for e in library.entries([1, 2]).values() if "WIND" in e.check.claim_reviewed]
        assert match.check.rating == "Mostly false"
        assert remove_source(library, path) == 2
        assert library.count() == 0


def test_a_large_import_or_removal_leaves_the_full_text_index_in_one_segment(
    tmp_path: Path,
) -> None:
    """Each import transaction adds index segments that every query word is looked up in; a
    large import merges them afterwards (a small one into a large library does not), and so
    does a large removal."""
    from workbench.core.library import store
    from workbench.core.library.model import FactCheck

    def checks(n: int, tag: str) -> list[FactCheck]:
        return [
            FactCheck(
                f"Claim {tag} {i} about budget item {i * 7}", url=f"https://x.example/{tag}{i}"
            )
            for i in range(n)
        ]

    def segments(lib: Library) -> int:
        return lib._db.execute("SELECT count(DISTINCT segid) FROM entries_fts_idx").fetchone()[0]

    with Library.open(tmp_path / "lib.sqlite") as lib:
        lib.add_imported(checks(store.OPTIMIZE_AT_LEAST, "a"), "feed-a", batch=100)
        assert segments(lib) == 1
        lib.add_imported(checks(50, "b"), "feed-b", batch=10)  # 5% of the library: left as is
        assert segments(lib) > 1
        lib._db.execute("INSERT INTO entries_fts(entries_fts) VALUES ('integrity-check')")
        assert lib.count() == store.OPTIMIZE_AT_LEAST + 50
        # Removing a large feed merges too: its words no longer wait in the index as deleted.
        assert lib.remove_origin("import", "feed-a") == store.OPTIMIZE_AT_LEAST
        assert segments(lib) == 1 and lib.count() == 50
        remaining = {row[0] for row in lib._db.execute("SELECT id FROM entries")}
        assert {i for i, _ in lib.lexical('"budget"', 100)} == remaining
