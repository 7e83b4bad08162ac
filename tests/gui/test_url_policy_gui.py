"""Issue 10.1 in the window: only http(s) links ever reach the desktop; the rest are refused
with a message. Projects made before the policy (or edited by hand) may hold file:, smb: or
ms-msdt: addresses, so they are written straight into the file here."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

BAD = ["file:///usr/bin/xcalc", "smb://host/share", "ms-msdt:/id PCWDiagnostic"]


def _plant(project: Path) -> int:
    """A claim with a web source, a non-web source and a file: link in its article text."""
    with sqlite3.connect(project) as conn:
        claim_id, article_id, start, _end = conn.execute(
            'SELECT id, article_id, start, "end" FROM claims ORDER BY start LIMIT 1'
        ).fetchone()
        conn.execute("DELETE FROM links")
        conn.execute(
            'INSERT INTO links(article_id, start, "end", href, text) '
            "SELECT ?, ?, ?, ?, substr(text, ? + 1, ?) FROM articles WHERE id = ?",
            (article_id, start, start + 4, BAD[0], start, 4, article_id),
        )
        conn.execute("DELETE FROM claim_sources WHERE claim_id = ?", (claim_id,))
        for url in [*BAD, "https://example.org/fine"]:
            source = conn.execute(
                "INSERT INTO sources(url, title, publisher, notes, created_at) "
                "VALUES (?, '', '', '', '2024-01-01T00:00:00Z')",
                (url,),
            ).lastrowid
            conn.execute(
                "INSERT INTO claim_sources(claim_id, source_id, relation, note, created_at) "
                "VALUES (?, ?, 'cited', '', '2024-01-01T00:00:00Z')",
                (claim_id, source),
            )
    return int(claim_id)


def test_window_refuses_other_schemes_and_says_so(window: Any, seed_project: Path) -> None:
    _plant(seed_project)
    window.open_path(str(seed_project))
    for url in BAD:
        assert window.open_url(url) is False
        assert "Not opened" in window.statusBar().currentMessage()
        assert "only http:// and https://" in window.statusBar().currentMessage()
    assert window.open_url("https://example.org/fine") is True
    assert window.opened_urls == ["https://example.org/fine"]


def test_source_open_button_never_hands_other_schemes_to_the_desktop(
    window: Any, seed_project: Path
) -> None:
    claim_id = _plant(seed_project)
    window.open_path(str(seed_project))
    window.select_claim(claim_id)
    panel = window.panel
    seen = []
    for row in range(len(window.project.claim_sources(claim_id))):
        panel.sources.setCurrentIndex(panel.sources_model.index(row, 0))
        source = panel.selected_source()
        assert source is not None
        seen.append(source.source.url)
        panel.open_source_button.click()
    assert sorted(seen) == sorted([*BAD, "https://example.org/fine"])
    assert window.opened_urls == ["https://example.org/fine"]


def test_article_links_to_other_schemes_are_not_anchors(window: Any, seed_project: Path) -> None:
    _plant(seed_project)
    window.open_path(str(seed_project))
    view = window.article_view
    document = view.document()
    anchors = []
    block = document.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fmt = it.fragment().charFormat()
            if fmt.isAnchor():
                anchors.append(fmt.anchorHref())
            it += 1
        block = block.next()
    assert anchors == []  # the only link in the article was the file: one


def test_a_new_project_says_which_links_were_kept_as_text(
    qtbot: Any, window: Any, tmp_path: Path
) -> None:
    page = tmp_path / "harbour.html"
    page.write_text(
        "<html><body><article><h1>Harbour</h1><p>"
        + "The port handled 4 million tonnes in 2023, the authority said. " * 5
        + "See <a href='file:///usr/bin/xcalc'>the tool</a>.</p></article></body></html>"
    )
    window.ask.save_path = lambda _title, suggested: tmp_path / "h.wbproj"
    window.open_path(str(page))
    qtbot.waitUntil(lambda: window.has_project() and window.job is None, timeout=20_000)
    message = window.statusBar().currentMessage()
    assert "'file:///usr/bin/xcalc') is not a web address" in message


def test_an_imported_project_says_which_links_were_kept_as_text(
    qtbot: Any, window: Any, tmp_path: Path
) -> None:
    import json

    from workbench.core.project.create import new_project
    from workbench.core.project.jsonio import export_project

    page = tmp_path / "harbour.html"
    page.write_text(
        "<html><body><article><h1>Harbour</h1><p>"
        + "The port handled 4 million tonnes in 2023, the authority said. " * 5
        + "See <a href='https://port.example.org/'>the port</a>.</p></article></body></html>"
    )
    with new_project(tmp_path / "h.wbproj", page) as project:
        data = export_project(project)
    link = data["article"]["links"][0]
    data["article"]["links"].append({**link, "href": "file:///usr/bin/xcalc"})
    exported = tmp_path / "edited.json"
    exported.write_text(json.dumps(data))
    window.features["editing"].import_json(exported, tmp_path / "copy.wbproj")
    qtbot.waitUntil(lambda: window.has_project() and window.job is None, timeout=20_000)
    message = window.statusBar().currentMessage()
    assert "'file:///usr/bin/xcalc') is not a web address" in message
