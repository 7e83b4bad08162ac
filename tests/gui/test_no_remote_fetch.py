"""Showing an archived page must fetch nothing and run nothing.

A hostile snapshot points every kind of resource (images, scripts, frames, style sheets, CSS
@import, meta refresh, <base href>) at a real HTTP server on 127.0.0.1 that records each request.
After the review pane has shown the page in both modes, the server must have seen nothing, and
javascript:/data:/file: links must never reach the desktop.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices, QTextDocument
from PySide6.QtWidgets import QTextBrowser

from workbench.core.project.store import Project
from workbench.core.sources.fetch import store_snapshot
from workbench.core.sources.snapshot import Snapshot
from workbench.gui.safe_html import SafeTextBrowser, sanitize_html
from workbench.gui.sources import review_view as rv


class _Recorder(BaseHTTPRequestHandler):
    requests: list[str]

    def _record(self) -> None:
        self.server.requests.append(f"{self.command} {self.path}")  # type: ignore[attr-defined]
        body = b"<html><body>tracked</body></html>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    do_GET = do_POST = do_HEAD = do_OPTIONS = _record

    def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
        pass


@pytest.fixture()
def server() -> Iterator[ThreadingHTTPServer]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    httpd.requests = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def hostile_page(base: str) -> str:
    return f"""<!doctype html>
<html><head>
<base href="{base}/base/">
<meta http-equiv="refresh" content="0; url={base}/refresh">
<title>Bridge statement</title>
<link rel="stylesheet" href="{base}/style.css">
<link rel="preload" href="{base}/preload.js" as="script">
<style>@import url("{base}/import.css"); body {{ background: url({base}/bg.png); }}</style>
<script src="{base}/script.js"></script>
<script>new Image().src = "{base}/beacon";</script>
</head>
<body background="{base}/body-bg.png" onload="fetch('{base}/onload')">
<h1>Our statement on the council's bridge vote</h1>
<p>We are not against a new crossing, but the current design could damage the oystercatcher
nesting grounds at Salt Point for years to come.</p>
<p><img src="{base}/pixel.png" srcset="{base}/pixel2x.png 2x" alt="pixel">
<img src="relative.png"><img src="file:///etc/hosts">
<iframe src="{base}/frame"></iframe><object data="{base}/object"></object>
<embed src="{base}/embed"><video poster="{base}/poster.png" src="{base}/video.mp4"></video>
<input type="image" src="{base}/input.png">
<span style="background-image:url({base}/span-bg.png)">styled</span></p>
<p><a href="javascript:fetch('{base}/js-link')">js link</a>
<a href="data:text/html,<script>fetch('{base}/data-link')</script>">data link</a>
<a href="file:///etc/passwd">file link</a>
<a href="{base}/ordinary">ordinary link</a></p>
</body></html>"""


@pytest.fixture()
def project(tmp_path: Path, server: ThreadingHTTPServer) -> Iterator[Project]:
    from workbench.core.project.create import new_project

    base = f"http://127.0.0.1:{server.server_address[1]}"
    article = tmp_path / "article.txt"
    article.write_text(
        "Bridge row\n\nThe Friends of Millbrook Estuary said the current design would destroy "
        "the oystercatcher nesting grounds at Salt Point for years to come.\n",
        "utf-8",
    )
    opened = new_project(tmp_path / "hostile.wbproj", article)
    claim_id = opened.claims()[0].id
    source_id = opened.attach_source(
        claim_id, f"{base}/page", title=f'<img src="{base}/title.png">Statement'
    )
    snapshot = Snapshot(
        f"{base}/page",
        "wayback",
        f"{base}/web/20260310000000/page",
        "2026-03-10T08:15:02Z",
        200,
        "text/html; charset=utf-8",
        hostile_page(base).encode("utf-8"),
    )
    store_snapshot(opened, source_id, snapshot)
    yield opened
    opened.close()


@pytest.fixture()
def opened_urls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    calls: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: calls.append(url.toString()))
    return calls


def test_showing_a_hostile_snapshot_fetches_nothing(
    qtbot: Any, project: Project, server: ThreadingHTTPServer, opened_urls: list[str]
) -> None:
    from workbench.gui.app import ensure_app

    ensure_app()
    view = rv.ReviewView()
    qtbot.addWidget(view)
    view.resize(1200, 700)
    view.set_project(project)
    view.show()
    claim_id = project.claims()[0].id
    view.show_claim(claim_id)
    assert "oystercatcher" in view.text_view.toPlainText()  # the readable text is there
    qtbot.wait(500)
    view.set_original_page(True)
    assert view.source_stack.currentWidget() is view.original_view
    shown = view.original_view.toPlainText()
    assert "oystercatcher" in shown and "ordinary link" in shown
    assert "new Image" not in shown and "@import" not in shown
    assert "<img" not in view.original_view.toHtml()
    view.original_view.verticalScrollBar().setValue(100)
    view.refresh()
    view.set_original_page(True)
    qtbot.wait(500)
    assert server.requests == []  # type: ignore[attr-defined]
    assert opened_urls == []
    # The archived title is shown as the literal characters, never as markup.
    assert view.source_title.text().startswith("<img src=")


def test_archived_markup_is_reduced_to_inert_text_and_http_links(
    server: ThreadingHTTPServer,
) -> None:
    base = f"http://127.0.0.1:{server.server_address[1]}"
    clean = sanitize_html(hostile_page(base), f"{base}/page").lower()
    for banned in (
        "<img", "<script", "<style", "<iframe", "<object", "<embed", "<video", "<input",
        "<base", "<meta", "<link", "src=", "srcset", "style=", "background", "onload",
        "javascript:", "data:", "file:", "@import",
    ):  # fmt: skip
        assert banned not in clean, banned
    assert f'href="{base}/ordinary"' in clean


def test_unsafe_links_never_reach_the_desktop(
    qtbot: Any, project: Project, server: ThreadingHTTPServer, opened_urls: list[str]
) -> None:
    from workbench.gui.app import ensure_app

    ensure_app()
    view = rv.ReviewView()
    qtbot.addWidget(view)
    view.set_project(project)
    view.show_claim(project.claims()[0].id)
    view.set_original_page(True)
    hostile = [
        "javascript:alert(1)",
        "JavaScript:fetch('x')",
        "data:text/html,<script>alert(1)</script>",
        "file:///etc/passwd",
        "ftp://example.org/file",
        "relative/path",
        "http:///no-host",
    ]
    for url in hostile:
        view.original_view.anchorClicked.emit(QUrl(url))
        view.archive_link.linkActivated.emit(url)
    assert opened_urls == []
    # An ordinary web link does open, and only on that explicit click.
    view.original_view.anchorClicked.emit(QUrl("https://example.org/page"))
    assert opened_urls == ["https://example.org/page"]
    assert server.requests == []  # type: ignore[attr-defined]


def test_safe_browser_loads_no_resource_and_never_navigates(
    qtbot: Any, server: ThreadingHTTPServer, tmp_path: Path
) -> None:
    base = f"http://127.0.0.1:{server.server_address[1]}"
    local = tmp_path / "local.png"
    local.write_bytes(b"\x89PNG\r\n\x1a\n")
    browser = SafeTextBrowser()
    qtbot.addWidget(browser)
    browser.setSearchPaths([str(tmp_path)])  # even with a search path set, nothing resolves
    kind = int(QTextDocument.ResourceType.ImageResource.value)
    for url in (f"{base}/x.png", local.as_uri(), "local.png", "qrc:/x.png"):
        assert browser.loadResource(kind, QUrl(url)) is None
    # The control: Qt's own QTextBrowser would have read the local file.
    plain = QTextBrowser()
    qtbot.addWidget(plain)
    assert plain.loadResource(kind, QUrl(local.as_uri())) is not None
    browser.setHtml("<p>evidence</p>")
    browser.setSource(QUrl(f"{base}/navigate"))
    qtbot.wait(100)
    assert browser.toPlainText() == "evidence"
    assert not browser.openLinks() and not browser.openExternalLinks()
    assert server.requests == []  # type: ignore[attr-defined]
