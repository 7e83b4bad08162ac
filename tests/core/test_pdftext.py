"""Text of PDF sources: real (small, hand-built) PDFs in, their words out; broken ones give ""."""

from __future__ import annotations

import io
import sys
import zlib

import pytest

from workbench.core.sources.fetch import readable
from workbench.core.sources.pdftext import PdfStatus, pdf_text, read_pdf
from workbench.core.sources.snapshot import Snapshot


def make_pdf(pages: list[str], *, compress: bool = False) -> bytes:
    """A valid PDF 1.4 with one line of Helvetica text per page and a correct xref table."""
    count = len(pages)
    font_id = 3 + 2 * count
    objects: dict[int, bytes] = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids ["
        + b" ".join(f"{3 + 2 * i} 0 R".encode() for i in range(count))
        + f"] /Count {count} >>".encode(),
        font_id: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    }
    for i, line in enumerate(pages):
        escaped = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        content = f"BT /F1 12 Tf 72 720 Td ({escaped}) Tj ET".encode("latin-1")
        extra = b""
        if compress:
            content, extra = zlib.compress(content), b" /Filter /FlateDecode"
        objects[3 + 2 * i] = (
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            + f"/Resources << /Font << /F1 {font_id} 0 R >> >> /Contents {4 + 2 * i} 0 R >>".encode()
        )
        objects[4 + 2 * i] = (
            f"<< /Length {len(content)}".encode() + extra + b" >>\nstream\n" + content
        ) + b"\nendstream"
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += f"{number} 0 obj\n".encode() + objects[number] + b"\nendobj\n"
    xref = len(out)
    size = max(objects) + 1
    out += f"xref\n0 {size}\n0000000000 65535 f \n".encode()
    for number in range(1, size):
        out += f"{offsets[number]:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {size} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


REPORT = [
    "Annual report 2023: unemployment fell to 4.1 percent.",
    "Table 2 (revised): exports rose by 12 percent.",
]


def test_text_of_every_page_comes_out_in_order() -> None:
    result = read_pdf(make_pdf(REPORT))
    assert result.status is PdfStatus.COMPLETE
    assert (result.pages_read, result.page_count, result.reason) == (2, 2, "")
    assert "unemployment fell to 4.1 percent" in result.text
    assert result.text.index("4.1 percent") < result.text.index("Table 2 (revised)")
    assert "\n\n" in result.text  # pages are separate blocks


def test_compressed_content_streams_are_read() -> None:
    assert "exports rose by 12 percent" in pdf_text(make_pdf(REPORT, compress=True))


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"%PDF-1.7 ...",  # what an archive's index row promised, and nothing more
        b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 9 0 R >>\nendobj\ntrailer\n<<>>\n%%EOF",
        b"<html><body>Not a PDF at all</body></html>",
        bytes(range(256)) * 40,
    ],
)
def test_broken_pdfs_give_empty_text_and_a_reason(body: bytes) -> None:
    result = read_pdf(body)
    assert result.text == ""
    assert result.status in (PdfStatus.FAILED, PdfStatus.EMPTY)
    assert result.reason
    assert pdf_text(body) == ""


def test_truncated_download_keeps_no_garbage() -> None:
    body = make_pdf(REPORT, compress=True)
    result = read_pdf(body[: len(body) // 2])
    assert "\x00" not in result.text
    assert result.status in (PdfStatus.FAILED, PdfStatus.EMPTY, PdfStatus.COMPLETE)


def test_page_cap_reads_only_the_first_pages_and_says_so() -> None:
    body = make_pdf([f"Page number {n} text." for n in range(1, 8)])
    result = read_pdf(body, max_pages=3)
    assert result.status is PdfStatus.PARTIAL
    assert "Page number 3" in result.text and "Page number 4" not in result.text
    assert result.reason == "only the first 3 of 7 pages were read"


def test_character_cap_cuts_the_text() -> None:
    body = make_pdf(["A" * 50, "B" * 50, "C" * 50])
    result = read_pdf(body, max_chars=60)
    assert len(result.text) <= 60 and result.text.startswith("A" * 50)
    assert result.status is PdfStatus.PARTIAL and "characters" in result.reason


def test_time_budget_is_checked_between_pages() -> None:
    ticks = iter(range(100))  # each look at the clock is one second later
    body = make_pdf([f"Slow page {n}." for n in range(10)])
    result = read_pdf(body, time_budget_s=2.5, clock=lambda: float(next(ticks)))
    assert result.status is PdfStatus.PARTIAL
    assert "Slow page 0" in result.text and "Slow page 9" not in result.text
    assert "time limit" in result.reason


def test_page_without_text_layer_is_empty_not_failed() -> None:
    result = read_pdf(make_pdf([""]))
    assert (result.text, result.status) == ("", PdfStatus.EMPTY)
    assert "no text layer" in result.reason


def test_password_protected_pdf_gives_a_reason() -> None:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(make_pdf(REPORT))))
    writer.encrypt(user_password="secret", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    result = read_pdf(out.getvalue())
    assert (result.text, result.status) == ("", PdfStatus.FAILED)
    assert "password" in result.reason or "encrypted" in result.reason


# ---- readable(): the stored snapshot gets the PDF's text ----------------------------------------


def pdf_snapshot(body: bytes, content_type: str | None = "application/pdf") -> Snapshot:
    return Snapshot(
        "https://stats.example.org/report.pdf",
        "wayback",
        "https://web.archive.org/web/20240301000000/https://stats.example.org/report.pdf",
        "2024-03-01T00:00:00Z",
        200,
        content_type,
        body,
    )


def test_readable_gives_pdf_text() -> None:
    found = readable(pdf_snapshot(make_pdf(REPORT)))
    assert "exports rose by 12 percent" in found.text
    assert found.checks == ()


def test_readable_sniffs_pdf_without_a_content_type() -> None:
    assert "4.1 percent" in readable(pdf_snapshot(make_pdf(REPORT), None)).text


def test_readable_flags_pdf_without_text() -> None:
    found = readable(pdf_snapshot(b"%PDF-1.7 ..."))
    assert found.text == ""
    assert [flag for flag, _ in found.checks] == ["no-text"]


def test_readable_without_the_pdf_library_stores_no_text(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pypdf", None)  # makes `import pypdf` raise ImportError
    found = readable(pdf_snapshot(make_pdf(REPORT)))
    assert (found.text, found.title, found.checks) == ("", "", ())
