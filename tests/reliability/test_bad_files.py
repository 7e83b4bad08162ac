"""Hostile and broken input files: each ends in one specific sentence, never a traceback.

The small files live in tests/data/bad/; the big ones (a 50 MB page, 100,000 nested divs, gzip
bombs) are generated in tmp_path so nothing large is committed. Every case is checked through
the core loaders and through the `workbench` command (exit 1, one line on stderr), and files
that are valid enough to read (a mislabelled charset, a cut-off last character) must load.
"""

from __future__ import annotations

import contextlib
import io
import threading
import zlib
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from reliability_helpers import BAD, run_cli
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from workbench.core.article.load import article_from_url, load_article
from workbench.core.errors import LoadError, NetworkError
from workbench.core.net.http import SafeClient
from workbench.core.net.settings import ArchiveSettings
from workbench.core.sources.warc import import_warc

BOMB_BYTES = 100 * 1024 * 1024  # unpacks to 100 MB, five times the 20 MB page limit
PARAGRAPHS = [
    f"<p>Officials said {n} convoys reached the northern province on day {n} of the truce.</p>"
    for n in range(1, 6)
]


# --- generated files ----------------------------------------------------------------------------


def gzip_bomb(size: int = BOMB_BYTES) -> bytes:
    """`size` zero bytes, gzip-compressed: about a thousandth of that on the wire."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    block = bytes(1024 * 1024)
    parts = [packer.compress(block) for _ in range(size // len(block))]
    return b"".join([*parts, packer.flush()])


@pytest.fixture(scope="module")
def bomb() -> bytes:
    return gzip_bomb()


def deeply_nested(depth: int = 100_000, before: str = "") -> str:
    inner = "<p>This sentence sits under a hundred thousand divs.</p>"
    return (
        f"<!DOCTYPE html><html><head><title>Deep</title></head><body><article>{before}"
        f"{'<div>' * depth}{inner}{'</div>' * depth}</article></body></html>"
    )


def fifty_megabytes(path: Path) -> Path:
    row = b"<p>The ministry said sixty targets were hit on Friday, and more would follow.</p>\n"
    with path.open("wb") as fh:
        fh.write(b"<!DOCTYPE html><html><head><title>Huge</title></head><body>\n")
        fh.write(row * (50 * 1024 * 1024 // len(row) + 1))
        fh.write(b"</body></html>\n")
    return path


def warc_with_gzip_bomb(path: Path, bomb: bytes) -> Path:
    """One response record whose payload is Content-Encoding: gzip and unpacks to 100 MB."""
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=True)
    http = StatusAndHeaders(
        "200 OK",
        [
            ("Content-Type", "text/html"),
            ("Content-Encoding", "gzip"),
            ("Content-Length", str(len(bomb))),
        ],
        protocol="HTTP/1.1",
    )
    record = writer.create_warc_record(
        "http://example.org/bomb",
        "response",
        payload=io.BytesIO(bomb),
        http_headers=http,
        warc_headers_dict={"WARC-Date": "2024-03-01T10:00:00Z"},
    )
    writer.write_record(record)
    path.write_bytes(out.getvalue())
    return path


# --- loading through the core -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("empty.txt", r"^The file '.*empty\.txt' is empty\.$"),
        ("binary.bin", r"^The file 'binary\.bin' is a binary file \(it contains NUL bytes\)"),
        (
            "no-body.html",
            r"^The file 'no-body\.html' has no readable article text, only navigation",
        ),
    ],
)
def test_bad_article_files_are_refused_with_a_specific_sentence(name: str, message: str) -> None:
    with pytest.raises(LoadError, match=message):
        load_article(BAD / name)


def test_mislabelled_charset_is_decoded_as_what_it_really_is() -> None:
    # The page says <meta charset="utf-8"> but its bytes are windows-1251.
    article = load_article(BAD / "mislabelled-charset.html")
    assert article.encoding == "windows-1251"
    assert article.title == "Удары по Алеппо"
    assert "поразила шестьдесят целей в провинции Алеппо." in article.text
    assert "\ufffd" not in article.text


def test_utf8_cut_inside_its_last_character_still_loads() -> None:
    article = load_article(BAD / "truncated-utf8.txt")
    assert (article.encoding, article.title) == ("utf-8", "Удары по Алеппо")
    assert article.text.startswith("Министерство обороны сообщило, что за сутки поражено")
    # Only the half character at the very end is lost, shown as a browser shows it.
    assert article.text.endswith("операция продолжитс\ufffd")
    assert article.text.count("\ufffd") == 1


def test_a_hundred_thousand_nested_divs(tmp_path: Path) -> None:
    only_deep = tmp_path / "deeply-nested.html"
    only_deep.write_text(deeply_nested(), "utf-8")
    with pytest.raises(LoadError, match="has no readable article text"):
        load_article(only_deep)
    # Readable text before the nesting is kept: the parser gives up on the depth, not the page.
    with_text = tmp_path / "nested-after-text.html"
    with_text.write_text(deeply_nested(before="".join(PARAGRAPHS)), "utf-8")
    article = load_article(with_text)
    for n in range(1, 6):
        assert f"{n} convoys reached the northern province on day {n}" in article.text


def test_a_fifty_megabyte_page_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    huge = fifty_megabytes(tmp_path / "huge.html")
    with pytest.raises(LoadError, match=r"is 50\.0 MB, over the 20 MB limit for an article\."):
        load_article(huge)


# --- the same pages served over HTTP ------------------------------------------------------------


@pytest.fixture(scope="module")
def server(bomb: bytes, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    huge = fifty_megabytes(tmp_path_factory.mktemp("huge") / "huge.html").read_bytes()
    pages = {"/bomb": (bomb, "gzip"), "/huge": (huge, None)}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body, encoding = pages[self.path]
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            if encoding:
                self.send_header("Content-Encoding", encoding)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            # The client stops reading at its limit and hangs up; that is the point.
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture()
def client(server: str) -> Iterator[SafeClient]:
    settings = ArchiveSettings(allowed_private_hosts=frozenset({server}), retries=1, deadline_s=10)
    with SafeClient(settings) as safe:
        yield safe


def test_gzip_bomb_article_url_is_cut_off_at_the_page_limit(
    server: str, client: SafeClient
) -> None:
    with pytest.raises(NetworkError, match=r"^The page unpacks to more than 20 MB, so Workbench"):
        article_from_url(f"http://{server}/bomb", client=client)


def test_fifty_megabyte_article_url_is_cut_off_at_the_download_limit(
    server: str, client: SafeClient
) -> None:
    with pytest.raises(NetworkError, match=r"^The page is larger than 10 MB, so Workbench stopped"):
        article_from_url(f"http://{server}/huge", client=client)


# --- web archive files --------------------------------------------------------------------------


def test_gzip_bomb_inside_a_warc_record_is_skipped_with_a_warning(
    tmp_path: Path, bomb: bytes
) -> None:
    result = import_warc(warc_with_gzip_bomb(tmp_path / "bomb.warc.gz", bomb))
    assert result.snapshots == ()
    assert result.warnings == (
        "The capture of http://example.org/bomb in bomb.warc.gz is larger than 20 MB and was "
        "skipped.",
    )


def test_whole_file_gzip_bomb_is_not_a_web_archive(tmp_path: Path, bomb: bytes) -> None:
    path = tmp_path / "zeros.warc.gz"
    path.write_bytes(bomb)
    with pytest.raises(LoadError, match=r"^zeros\.warc\.gz is not a web archive; choose a \.warc"):
        import_warc(path)


def test_warc_with_a_broken_record_keeps_the_good_one() -> None:
    result = import_warc(BAD / "broken-record.warc")
    assert [s.original_url for s in result.snapshots] == ["http://example.org/good"]
    assert b"A good capture." in result.snapshots[0].body
    assert any(
        w.startswith("A damaged record at byte") and "broken-record.warc was skipped" in w
        for w in result.warnings
    ), result.warnings


def test_warc_with_nothing_but_a_broken_record_is_refused() -> None:
    with pytest.raises(LoadError, match=r"^The WARC file is damaged: a damaged record at byte \d+"):
        import_warc(BAD / "only-broken.warc")


# --- through the command line -------------------------------------------------------------------


def one_error_line(run_stderr: str, *words: str) -> None:
    lines = run_stderr.splitlines()
    assert len(lines) == 1, run_stderr
    assert lines[0].startswith("workbench: "), run_stderr
    for word in words:
        assert word in lines[0], run_stderr


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("empty.txt", ("empty.txt' is empty.",)),
        ("binary.bin", ("binary.bin' is a binary file",)),
        ("no-body.html", ("no readable article text",)),
        ("deeply-nested.html", ("no readable article text",)),
        ("huge.html", ("is 50.0 MB, over the 20 MB limit",)),
    ],
)
def test_cli_new_refuses_bad_files_in_one_line(
    tmp_path: Path, name: str, words: tuple[str, ...]
) -> None:
    source = BAD / name
    if name == "deeply-nested.html":
        source = tmp_path / name
        source.write_text(deeply_nested(), "utf-8")
    elif name == "huge.html":
        source = fifty_megabytes(tmp_path / name)
    project = tmp_path / "out.wbproj"
    run = run_cli("new", project, source)
    assert run.returncode == 1
    one_error_line(run.stderr, *words)
    assert not project.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temp left


@pytest.mark.parametrize("name", ["mislabelled-charset.html", "truncated-utf8.txt"])
def test_cli_new_loads_files_that_are_valid_enough(tmp_path: Path, name: str) -> None:
    run = run_cli("new", tmp_path / "ok.wbproj", BAD / name)
    assert run.returncode == 0, run.stderr
    assert run.stdout.split("\t")[0] in ("1 claims", "2 claims", "3 claims")
    assert run.stderr == ""


def test_cli_import_warc_reports_damage_and_bombs_without_warcio_noise(
    tmp_path: Path, bomb: bytes
) -> None:
    project = tmp_path / "p.wbproj"
    assert run_cli("new", project, BAD / "mislabelled-charset.html").returncode == 0

    refused = run_cli("import-warc", project, BAD / "only-broken.warc")
    assert refused.returncode == 1
    one_error_line(refused.stderr, "The WARC file is damaged: a damaged record at byte")

    partly = run_cli("import-warc", project, BAD / "broken-record.warc")
    assert partly.returncode == 0, partly.stderr
    assert partly.stdout.startswith("1 captures read")
    # Only our own one-sentence warnings: warcio's multi-line WARNING must not leak through.
    lines = partly.stderr.splitlines()
    assert lines and all(line.startswith("warning: ") for line in lines), partly.stderr
    assert "damaged record at byte" in partly.stderr

    bombed = run_cli("import-warc", project, warc_with_gzip_bomb(tmp_path / "b.warc.gz", bomb))
    assert bombed.returncode == 1  # nothing usable in the file is an error, not "0 imported"
    one_error_line(
        bombed.stderr,
        "b.warc.gz holds no readable web page captures: The capture of http://example.org/bomb "
        "in b.warc.gz is larger than 20 MB and was skipped.",
    )
