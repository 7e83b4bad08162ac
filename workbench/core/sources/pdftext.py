"""Text of PDF sources, so quotations can be checked against the reports fact-checkers cite.

pypdf does the reading (pure Python, with its own output limits on decompression). It is
imported when a PDF is read, not with this module: without it the PDF is still stored as
evidence, only with no text. A PDF from the web is untrusted input, so reading stops at a page
count, a character count and a time budget checked between pages, and any error of the library
ends in empty text with a reason instead of an exception.
"""

from __future__ import annotations

import io
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any

MAX_PAGES = 200
MAX_CHARS = 2_000_000
TIME_BUDGET_S = 30.0


class PdfStatus(Enum):
    COMPLETE = "complete"  # every page was read (some may hold no text)
    PARTIAL = "partial"  # a limit stopped reading, or some pages could not be read
    EMPTY = "empty"  # readable, but no page has a text layer (scanned images, usually)
    FAILED = "failed"  # damaged, encrypted, or not a PDF
    UNAVAILABLE = "unavailable"  # no PDF library installed


@dataclass(frozen=True)
class PdfText:
    text: str
    status: PdfStatus
    pages_read: int = 0
    page_count: int = 0
    reason: str = ""  # why the text is missing or partial; "" when complete


def pdf_text(body: bytes, *, max_pages: int = MAX_PAGES, max_chars: int = MAX_CHARS) -> str:
    """The text of a PDF's pages ("" when none can be read); see read_pdf for the reason."""
    return read_pdf(body, max_pages=max_pages, max_chars=max_chars).text


def read_pdf(
    body: bytes,
    *,
    max_pages: int = MAX_PAGES,
    max_chars: int = MAX_CHARS,
    time_budget_s: float = TIME_BUDGET_S,
    clock: Callable[[], float] = time.monotonic,
) -> PdfText:
    """The text of a PDF, pages separated by a blank line, and how complete it is."""
    try:
        from pypdf import PdfReader
    except ImportError:
        return PdfText("", PdfStatus.UNAVAILABLE, reason="no PDF reader (pypdf) is installed")
    start = clock()
    try:
        reader = PdfReader(io.BytesIO(body), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            return PdfText("", PdfStatus.FAILED, reason="the PDF is protected by a password")
        pages = reader.pages
        page_count = len(pages)
    # pypdf raises many exception types on malformed files (its own, but also KeyError,
    # TypeError, RecursionError...): any of them means "no text", never a crash.
    except Exception as error:
        return PdfText("", PdfStatus.FAILED, reason=_describe(error))
    return _read_pages(pages, page_count, max_pages, max_chars, start + time_budget_s, clock)


def _read_pages(
    pages: Sequence[Any],  # pypdf's lazy page list
    page_count: int,
    max_pages: int,
    max_chars: int,
    deadline: float,
    clock: Callable[[], float],
) -> PdfText:
    texts: list[str] = []
    size = 0
    failed = 0
    stopped = ""
    read = 0
    for index in range(page_count):
        if index >= max_pages:
            stopped = f"only the first {max_pages} of {page_count} pages were read"
            break
        if clock() > deadline:
            stopped = f"reading stopped after {index} of {page_count} pages (time limit)"
            break
        read = index + 1
        try:
            page_text = pages[index].extract_text()
        except Exception:  # one damaged page must not lose the others (see read_pdf)
            failed += 1
            continue
        cleaned = _clean(page_text)
        if cleaned:
            texts.append(cleaned)
            size += len(cleaned) + 2
        if size >= max_chars:
            stopped = f"only the first {max_chars:,} characters were kept"
            break
    text = "\n\n".join(texts)[:max_chars]
    return _result(text, read, page_count, failed, stopped)


def _result(text: str, read: int, page_count: int, failed: int, stopped: str) -> PdfText:
    if failed and failed == read and not text:
        return PdfText("", PdfStatus.FAILED, read, page_count, "no page of the PDF could be read")
    if not text and not stopped:
        reason = "the PDF has no text layer (it may be scanned images)"
        return PdfText("", PdfStatus.EMPTY, read, page_count, reason)
    problems = [stopped] if stopped else []
    if failed:
        problems.append(f"{failed} page{'s' if failed != 1 else ''} could not be read")
    status = PdfStatus.PARTIAL if problems else PdfStatus.COMPLETE
    return PdfText(text, status, read, page_count, ", ".join(problems))


def _clean(text: str | None) -> str:
    # NUL and other C0 controls appear in text of badly embedded fonts; they are never content.
    cleaned = "".join(ch for ch in (text or "") if ch >= " " or ch in "\n\t")
    return cleaned.strip()


def _describe(error: Exception) -> str:
    if type(error).__name__ in ("EmptyFileError",):
        return "the PDF file is empty"
    if type(error).__name__ in ("FileNotDecryptedError", "WrongPasswordError", "DependencyError"):
        return "the PDF is encrypted and could not be opened"
    return "the PDF is damaged or not a PDF"
