"""A fact check attached from the library shows in the report and in ClaimReview output."""

from __future__ import annotations

import json
from pathlib import Path

from workbench.core.project.create import new_project
from workbench.core.report.export import ReportOptions, render


def test_previously_checked_source_in_report_and_claimreview(
    tmp_path: Path, seed_path: Path
) -> None:
    with new_project(tmp_path / "p.wbproj", seed_path) as project:
        claim = project.claims()[0]
        project.set_verdict(claim.id, "false")
        project.attach_source(
            claim.id,
            "https://factcheck.example/earlier",
            relation="previously checked",
            note="False · Example Fact Desk · 2015-10-10",
        )
        reviews = json.loads(render(project, "claimreview", ReportOptions()))
        html = render(project, "html", ReportOptions())
    reviews = reviews if isinstance(reviews, list) else reviews.get("@graph", reviews)
    (review,) = [r for r in reviews if r["claimReviewed"] == claim.text]
    assert review["citation"] == [
        {"@type": "ClaimReview", "url": "https://factcheck.example/earlier"}
    ]
    assert "https://factcheck.example/earlier" in html and "previously checked" in html
