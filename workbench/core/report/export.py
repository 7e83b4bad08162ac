"""Verdict reports in several formats: the one entry point the CLI and the GUI call.

    data = gather(project)                      # what the report says (report_data.py)
    text = render(project, "html")              # html, md, csv, json, claimreview -> str
    write_report(project, "pdf", "out.pdf")     # any format, to a file

Formats live beside this module: report_formats.py (HTML, Markdown, CSV through templates),
report_claimreview.py (schema.org JSON-LD), report_pdf.py (Qt's PDF writer, imported only
when a PDF is asked for) and project_json.py (the whole project as JSON).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from workbench.core.errors import InvalidInputError
from workbench.core.files import write_text_atomic
from workbench.core.project.store import Project
from workbench.core.report.claimreview import claim_reviews
from workbench.core.report.data import INCLUDE_MODES, ReportData, gather

FORMATS = ("html", "pdf", "md", "csv", "json", "claimreview")
EXTENSIONS = {
    "html": ".html",
    "pdf": ".pdf",
    "md": ".md",
    "csv": ".csv",
    "json": ".json",
    "claimreview": ".jsonld",
}


@dataclass(frozen=True)
class ReportOptions:
    include: str = "default"  # "default": rated + unrated check-worthy; "all": every claim
    template_dir: str | Path | None = None  # a copy of resources/templates, restyled
    review_url: str | None = None  # ClaimReview url base (defaults to the article URL)
    organization: str | None = None  # ClaimReview author as an Organization
    approved_only: bool = False  # ClaimReview: only claims an editor approved
    now: str | None = None  # report time (UTC ISO 8601); tests pin it
    citation_style: str | None = None  # source lines as citations: apa, chicago, mla, ...


def check_format(fmt: str) -> str:
    fmt = fmt.lower().strip().lstrip(".")
    fmt = {"markdown": "md", "htm": "html", "jsonld": "claimreview"}.get(fmt, fmt)
    if fmt not in FORMATS:
        raise InvalidInputError(
            f"'{fmt}' is not a report format; use one of: {', '.join(FORMATS)}."
        )
    return fmt


def report_data(project: Project, options: ReportOptions | None = None) -> ReportData:
    options = options or ReportOptions()
    if options.include not in INCLUDE_MODES:
        raise InvalidInputError(
            f"'{options.include}' is not a choice of claims; use one of: {', '.join(INCLUDE_MODES)}."
        )
    if options.citation_style is not None:
        from workbench.core.report.citation import CSL_STYLES

        if options.citation_style not in CSL_STYLES:
            raise InvalidInputError(
                f"'{options.citation_style}' is not a citation style for a report; use one of: "
                f"{', '.join(CSL_STYLES)}."
            )
    return gather(
        project, include=options.include, now=options.now, citation_style=options.citation_style
    )


def render(project: Project, fmt: str, options: ReportOptions | None = None) -> str:
    """A text format of the report (everything but PDF) as a string."""
    fmt = check_format(fmt)
    options = options or ReportOptions()
    if fmt == "pdf":
        raise InvalidInputError("A PDF report needs a file to write to; give one with -o FILE.")
    if fmt == "json":
        from workbench.core.project.jsonio import export_project

        return _dumps(export_project(project, now=options.now))
    data = report_data(project, options)
    # The templates (jinja2) only when a report is rendered: the window's first frame and the
    # CLI's argument parser import this module for its names.
    from workbench.core.report.formats import render_csv, render_html, render_markdown

    if fmt == "html":
        return render_html(data, options.template_dir)
    if fmt == "md":
        return render_markdown(data, options.template_dir)
    if fmt == "csv":
        return render_csv(data)
    return _dumps(
        claim_reviews(
            data,
            review_url=options.review_url,
            organization=options.organization,
            approved_only=options.approved_only,
        )
    )


def write_report(
    project: Project, fmt: str, path: str | Path, options: ReportOptions | None = None
) -> Path:
    """Write the report in any format to path; returns the path."""
    fmt = check_format(fmt)
    path = Path(path)
    options = options or ReportOptions()
    if fmt == "pdf":
        from workbench.core.report.pdf import render_pdf

        return render_pdf(report_data(project, options), path, template_dir=options.template_dir)
    if fmt == "json":
        from workbench.core.project.jsonio import write_export

        return write_export(project, path, now=options.now)
    text = render(project, fmt, options)
    # newline="" keeps the CSV's CRLF row ends as the csv module wrote them.
    write_text_atomic(path, text, what="The report", newline="")
    return path


def _dumps(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
