"""The model, filter and article view on their own, and the screenshot command."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QColor, QImage

from workbench.cli.main import main as cli_main
from workbench.core.project.records import ClaimRecord, StoredArticle
from workbench.core.project.scales import find_scale
from workbench.gui import style
from workbench.gui.article.view import ArticleView, OffsetMap
from workbench.gui.claims.model import UNRATED, ClaimsFilter, ClaimsModel

SCALE = find_scale("truth6")


def _claim(cid: int, start: int, end: int, text: str, **kw: Any) -> ClaimRecord:
    base: dict[str, Any] = dict(
        kind="fact",
        score=0.5,
        reasons=(),
        quotes=(),
        status="unchecked",
        status_note="",
        origin="auto",
        rating=None,
        rationale="",
        rated_by=None,
        rated_at=None,
        source_count=0,
        created_at="",
        updated_at="",
    )
    base.update(kw)
    return ClaimRecord(id=cid, start=start, end=end, text=text, **base)


def _records() -> list[ClaimRecord]:
    return [
        _claim(1, 0, 10, "Alpha rose 5%", score=0.8, rating="true", status="checked"),
        _claim(2, 11, 20, "Beta fell", score=0.2),
        _claim(3, 21, 30, "Gamma said alpha", score=0.6, status="returned"),
    ]


def test_filter_by_text_verdict_status_and_score(qtbot: Any) -> None:
    model = ClaimsModel()
    model.set_claims(_records(), SCALE)
    proxy = ClaimsFilter()
    proxy.setSourceModel(model)
    assert proxy.rowCount() == 3
    proxy.set_text("ALPHA")
    assert {proxy.claim_id_at(r) for r in range(proxy.rowCount())} == {1, 3}
    proxy.set_rating("true")
    assert proxy.rowCount() == 1 and proxy.claim_id_at(0) == 1
    proxy.set_rating(UNRATED)
    assert proxy.claim_id_at(0) == 3
    proxy.set_text("")
    proxy.set_rating(None)
    proxy.set_status("returned")
    assert proxy.rowCount() == 1 and proxy.claim_id_at(0) == 3
    proxy.set_status(None)
    proxy.set_min_score(0.3)
    assert proxy.rowCount() == 2 and proxy.row_of(2) is None
    assert proxy.is_filtering()


def test_edit_refreshes_one_row_not_the_model(qtbot: Any) -> None:
    model = ClaimsModel()
    records = _records()
    model.set_claims(records, SCALE)
    changed: list[tuple[int, int]] = []
    model.dataChanged.connect(lambda a, b, *_: changed.append((a.row(), b.row())))
    with qtbot.assertNotEmitted(model.modelReset):
        model.update_claim(_claim(2, 11, 20, "Beta fell", rating="false"))
    assert changed == [(1, 1)]
    assert model.index(1, 4).data() == "False"
    with qtbot.assertNotEmitted(model.modelReset):
        model.update_claim(_claim(4, 5, 8, "new"))  # a new claim lands in article order
        model.update_claim(_claim(3, 21, 30, "x", deleted=True))
    assert [model.claim_at(r).id for r in range(model.rowCount())] == [1, 4, 2]
    assert model.neighbours(4)[0].id == 1 and model.neighbours(4)[1].id == 2


def test_sorting_keeps_article_neighbours_and_places_new_rows(qtbot: Any) -> None:
    model = ClaimsModel()
    model.set_claims(_records(), SCALE)
    proxy = ClaimsFilter()
    proxy.setSourceModel(model)
    proxy.sort(2, Qt.SortOrder.DescendingOrder)  # by worth, as the table header does
    assert [proxy.claim_id_at(r) for r in range(3)] == [1, 3, 2]
    assert model.neighbours(3)[0].id == 2 and model.neighbours(1)[1].id == 2
    model.update_claim(_claim(5, 40, 50, "late", score=0.7))
    assert [proxy.claim_id_at(r) for r in range(4)] == [1, 5, 3, 2]
    proxy.sort(-1)
    assert [proxy.claim_id_at(r) for r in range(4)] == [1, 2, 3, 5]


def test_offsets_past_astral_characters() -> None:
    text = "a😀b😀c"
    omap = OffsetMap(text, base=10)
    assert [omap.to_doc(i) for i in range(len(text) + 1)] == [10, 11, 13, 14, 16, 17]
    assert [omap.to_article(omap.to_doc(i)) for i in range(len(text) + 1)] == list(range(6))
    assert omap.to_article(12) == 1  # inside the surrogate pair: the emoji itself


def _article(text: str) -> StoredArticle:
    return StoredArticle(
        id=1,
        title="T",
        byline="B",
        published="2015-10-11",
        url=None,
        text=text,
        links=(),
        source_kind="text",
        encoding="utf-8",
        raw_sha256="",
        loaded_at="",
    )


def _format_at(view: ArticleView, offset: int) -> Any:
    """(background, foreground) the highlighter gave the character at an article offset."""
    pos = view._omap.to_doc(offset)
    block = view.document().findBlock(pos)
    for fr in block.layout().formats():
        if fr.start <= pos - block.position() < fr.start + fr.length:
            fmt = fr.format
            return fmt.background().color(), fmt.foreground().color()
    return None


def test_article_highlights_by_verdict_and_never_loads_resources(qtbot: Any) -> None:
    text = "Alpha rose 5%. Beta fell. Gamma said alpha."
    view = ArticleView()
    qtbot.addWidget(view)
    records = [
        _claim(1, 0, 14, text[0:14], rating="false"),
        _claim(2, 15, 25, text[15:25], score=0.1),
        _claim(3, 26, 43, text[26:43]),
    ]
    view.set_article(_article(text), records, SCALE)
    assert view.toPlainText().endswith(text)
    red = style.tint(SCALE.rating("false").color, 0.62)
    assert _format_at(view, 3)[0] == red
    assert _format_at(view, 17)[1] == QColor(style.MUTED_TEXT)
    assert _format_at(view, 30)[0] == QColor(style.UNRATED_HIGHLIGHT)
    view.update_claim(_claim(3, 26, 43, text[26:43], rating="true"))
    assert _format_at(view, 30)[0] == style.tint(SCALE.rating("true").color, 0.62)
    assert view.claim_at_offset(30).id == 3
    assert view.loadResource(2, QUrl("https://example.org/tracker.png")) is None


def test_shortcuts_show_in_menus(window: Any) -> None:
    assert window.actions_registry.action("claim.next").shortcut().toString() == "J"
    assert window.actions_registry.action("claim.next_unchecked").shortcut().toString() == "N"
    assert window.actions_registry.action("claim.add_source").shortcut().toString() == "Ctrl+L"
    assert window.act_undo.shortcut().toString() == "Ctrl+Z"


def test_screenshot_command(seed_project: Path, tmp_path: Path, capsys: Any) -> None:
    out = tmp_path / "shot.png"
    assert cli_main(["screenshot", str(seed_project), str(out), "--size", "1000x700"]) == 0
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1000, 700)
    assert cli_main(["screenshot", str(seed_project), str(out), "--claim", "99999"]) == 1
    assert "no claim 99999" in capsys.readouterr().err
