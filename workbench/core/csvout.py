"""Every CSV file Workbench writes goes through here, so no cell can run as a formula.

Claim text, rationales, reviewer and student names, kinds, ids and dates can all come from
outside (an imported project, a student's submission), and a spreadsheet evaluates a cell that
starts with =, +, -, @ (or a tab or carriage return before one). OWASP's advice is applied to
every text cell, not to the ones thought risky: such a cell gets a leading apostrophe, which
spreadsheets show as text. Plain numbers, including negative ones, stay numbers.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
_PLAIN_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?")


def csv_cell(value: object) -> str:
    """`value` as CSV cell text that a spreadsheet shows and never evaluates."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float):
        return str(value)
    text = str(value)
    if _PLAIN_NUMBER.fullmatch(text):
        return text
    # Leading spaces do not stop every spreadsheet from reading a formula, so look past them.
    if text.lstrip(" ").startswith(FORMULA_START):
        return "'" + text
    return text


def write_csv(
    header: Sequence[str], rows: Iterable[Sequence[object]], *, lineterminator: str = "\r\n"
) -> str:
    """A whole CSV document, header included, with every cell passed through `csv_cell`."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=lineterminator)
    writer.writerow([csv_cell(h) for h in header])
    for row in rows:
        writer.writerow([csv_cell(v) for v in row])
    return out.getvalue()
