"""Issue 10.4: every text cell of every CSV Workbench writes is neutralised, and every field of
the Markdown report is escaped, including the ones no one thought hostile (kind, verdict id,
dates, flags, student names)."""

from __future__ import annotations

import csv
import io
import sqlite3
from pathlib import Path

from test_report_fixtures import build_small

from workbench.core.csvout import csv_cell, write_csv
from workbench.core.practice.grade import ClassRow, class_csv
from workbench.core.report.export import render

EVIL = '=HYPERLINK("http://evil.example","x")'
FORMULAS = [EVIL, "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1", " =1+1"]


def _formula(cell: str) -> bool:
    return cell.lstrip(" ").startswith(("=", "+", "-", "@", "\t", "\r"))


def test_every_formula_start_is_neutralised() -> None:
    for text in FORMULAS:
        assert csv_cell(text) == "'" + text
    assert csv_cell("-0.2500") == "-0.2500"  # a negative kappa stays a number
    assert csv_cell(-1) == "-1" and csv_cell(None) == "" and csv_cell("plain") == "plain"


def test_write_csv_neutralises_header_and_cells() -> None:
    rows = list(csv.reader(io.StringIO(write_csv(["=h"], [[EVIL], [3]]))))
    assert rows == [["'=h"], ["'" + EVIL], ["3"]]


def test_class_results_neutralise_a_students_own_name() -> None:
    row = ClassRow(
        student=EVIL, file="@evil.wbproj", rated=1, exact=1.0, within_one=1.0, kappa=-0.25,
        source_agreement=None,
    )  # fmt: skip
    table = list(csv.DictReader(io.StringIO(class_csv([row]))))
    assert table[0]["student"] == "'" + EVIL
    assert table[0]["file"] == "'@evil.wbproj"
    assert table[0]["kappa"] == "-0.2500"


def _poison(path: Path) -> None:
    """Fields the store never writes this way, as an imported or hand-edited project may hold."""
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE claims SET kind = ? WHERE id IN (1, 2)", (EVIL,))
        conn.execute(
            "UPDATE verdicts SET rating = ?, created_at = ?, reviewer = ? WHERE claim_id = 2",
            ("@cmd", "+1+1", "-1+1"),
        )


def test_report_csv_has_no_cell_a_spreadsheet_would_run(tmp_path: Path) -> None:
    project = build_small(tmp_path / "p.wbproj")
    project.close()
    _poison(tmp_path / "p.wbproj")
    from workbench.core.project.store import Project

    project = Project.open(tmp_path / "p.wbproj")
    table = list(csv.reader(io.StringIO(render(project, "csv"))))
    cells = [cell for row in table for cell in row]
    offenders = [c for c in cells if _formula(c) and not _is_number(c)]
    assert offenders == []
    assert {"'" + EVIL, "'@cmd", "'+1+1", "'-1+1"} <= set(cells)  # the poison reached the CSV


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def test_markdown_escapes_every_field(tmp_path: Path) -> None:
    project = build_small(tmp_path / "p.wbproj")
    project.close()
    with sqlite3.connect(tmp_path / "p.wbproj") as conn:
        conn.execute("UPDATE claims SET kind = ? WHERE id = 1", ("*x* <img src=x> [a](b)",))
    from workbench.core.project.store import Project

    markdown = render(Project.open(tmp_path / "p.wbproj"), "md")
    assert "<img" not in markdown
    assert "\\*x\\* &lt;img src=x&gt; \\[a\\](b)" in markdown
