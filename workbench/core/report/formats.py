"""Text formats of the verdict report: HTML and Markdown through Jinja2 templates, CSV in code.

Templates live in workbench/resources/templates; a newsroom can copy that folder, restyle it
and pass it as template_dir. Files missing from that folder fall back to the shipped ones, so
a folder holding only report.css is enough to restyle the HTML report.

Article text, claim text, rationales and source titles are hostile input: HTML is rendered
with autoescaping on, links are emitted only for http(s) URLs, Markdown escapes its own
punctuation and any HTML, and CSV neutralises cells a spreadsheet would run as a formula.
"""

from __future__ import annotations

import re
from pathlib import Path

import jinja2
import jinja2.sandbox
from markupsafe import Markup

from workbench.core.csvout import write_csv
from workbench.core.errors import InvalidInputError, NotFoundError
from workbench.core.net.urls import web_url
from workbench.core.report.chart import bar_chart_svg, safe_color
from workbench.core.report.data import ReportData, display_time

CSV_COLUMNS = (
    "id",
    "start",
    "end",
    "claim",
    "kind",
    "score",
    "status",
    "verdict_label",
    "verdict_id",
    "rationale",
    "rated_by",
    "rated_at",
    "sources",
    "flags",
)
_MD_INLINE = re.compile(r"([\\`*_\[\]|~])")
_MD_LINE_START = re.compile(r"^([#>+\-]|\d+(?=[.)]))")


def environment(
    template_dir: str | Path | None = None, *, markdown: bool = False
) -> jinja2.Environment:
    """The Jinja environment for the report templates.

    With `markdown`, every `{{ ... }}` is Markdown-escaped unless a filter already made it safe
    (|md, |url): a field a template forgets to filter (a kind, a flag, a status) is escaped
    anyway, in the shipped templates and in a newsroom's own.
    """
    loaders: list[jinja2.BaseLoader] = []
    if template_dir is not None:
        folder = Path(template_dir)
        if not folder.is_dir():
            raise NotFoundError(f"The template folder {folder} does not exist.")
        loaders.append(jinja2.FileSystemLoader(str(folder)))
    loaders.append(jinja2.PackageLoader("workbench.resources", "templates"))
    # Sandboxed: a newsroom's template folder is shared and copied around like a document, and a
    # plain Environment lets a template reach Python ('cycler.__init__.__globals__.os') and run
    # any command as whoever makes the report.
    env = jinja2.sandbox.SandboxedEnvironment(
        loader=jinja2.ChoiceLoader(loaders),
        # Autoescape every HTML template; Markdown templates use the |md filter instead.
        autoescape=jinja2.select_autoescape(enabled_extensions=("html", "html.j2", "htm")),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
        finalize=_md_finalize if markdown else None,
    )
    env.filters.update(
        when=display_time,
        md=(lambda value: Markup(md_escape(value))) if markdown else md_escape,
        url=(lambda value: Markup(safe_url(value))) if markdown else safe_url,
        color=safe_color,
        pct=lambda x: f"{x * 100:.0f}%",
    )
    return env


def _md_finalize(value: object) -> object:
    if isinstance(value, Markup | int | float):
        return value
    return md_escape(value)


def render_template(name: str, data: ReportData, template_dir: str | Path | None = None) -> str:
    env = environment(template_dir, markdown=name.endswith((".md", ".md.j2")))
    try:
        template = env.get_template(name)
        return template.render(
            data=data,
            chart=Markup(bar_chart_svg(data.by_rating)),
            pdf_bar_width=pdf_bar_widths(data),
        )
    except jinja2.TemplateError as exc:
        raise InvalidInputError(f"The report template {name} cannot be used: {exc}.") from None


def render_html(data: ReportData, template_dir: str | Path | None = None) -> str:
    return render_template("report.html.j2", data, template_dir)


def render_markdown(data: ReportData, template_dir: str | Path | None = None) -> str:
    return render_template("report.md.j2", data, template_dir)


def render_csv(data: ReportData) -> str:
    """One row per claim; every cell neutralised by core.csvout (none can run as a formula)."""
    rows = (
        [
            item.claim.id,
            item.claim.start,
            item.claim.end,
            item.claim.text,
            item.claim.kind,
            f"{item.claim.score:.4f}",
            item.claim.status,
            item.rating.label if item.rating else "",
            item.claim.rating or "",
            item.claim.rationale,
            item.claim.rated_by or "",
            item.claim.rated_at or "",
            " | ".join(s.url for s in item.sources),
            "; ".join(item.flags),
        ]
        for item in data.claims
    )
    return write_csv(CSV_COLUMNS, rows)


def md_escape(value: object) -> str:
    """Markdown-safe text: punctuation backslash-escaped, HTML and newlines defused."""
    text = "" if value is None else str(value)
    text = " ".join(text.split())  # one line: a newline could start a heading or list
    text = _MD_INLINE.sub(r"\\\1", text)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    # Only at the start of a line do #, >, +, - and "1." mean something; escape them there.
    # "1." is defused as "1\." and "# x" as "\# x".
    return _MD_LINE_START.sub(
        lambda m: m.group(1) + "\\" if m.group(1)[0].isdigit() else "\\" + m.group(1), text
    )


def safe_url(value: object) -> str:
    """The URL if it is http(s), else '' so a javascript: or data: URL never becomes a link."""
    url = web_url(value)
    if url is None:
        return ""
    # Characters that would end a Markdown autolink or an attribute are percent-encoded.
    for ch, code in ((" ", "%20"), ("<", "%3C"), (">", "%3E"), ('"', "%22"), ("\n", "%0A")):
        url = url.replace(ch, code)
    return url


def pdf_bar_widths(data: ReportData) -> dict[str, int]:
    """Bar lengths in percent of the chart width (the PDF draws bars as coloured table cells)."""
    top = max((c.count for c in data.by_rating), default=0) or 1
    return {c.key: max(1, round(80 * c.count / top)) if c.count else 0 for c in data.by_rating}
