"""The article pane: the full text with every claim highlighted in its verdict's colour.

Built on QPlainTextEdit because its layout is lazy (only visible blocks are laid out), which
keeps a 20,000-claim article smooth. Highlights come from a QSyntaxHighlighter that looks up
the claims of each block by bisection, so one edited claim re-highlights one or two blocks.
Claim offsets are Python (code point) offsets into the article text; Qt counts UTF-16 units,
so OffsetMap converts between the two.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QEvent, QPoint, QRectF, Qt, QUrl, Signal
from PySide6.QtGui import (
    QColor,
    QContextMenuEvent,
    QFont,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QResizeEvent,
    QSyntaxHighlighter,
    QTextBlock,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QTextEdit, QToolTip, QWidget

from workbench.core.net.urls import is_web_url
from workbench.core.project.records import STATUS_LABELS, ClaimRecord, StoredArticle
from workbench.core.project.scales import Scale
from workbench.gui import style
from workbench.gui.safe_html import plain_tooltip

READING_WIDTH = 760  # px: beyond this, lines get too long to read comfortably


class OffsetMap:
    """Article (code point) offsets <-> document (UTF-16) positions, past a header."""

    def __init__(self, text: str, base: int) -> None:
        self.base = base
        astral = [i for i, ch in enumerate(text) if ord(ch) > 0xFFFF]
        self._astral = astral
        self._astral_doc = [a + k for k, a in enumerate(astral)]

    def to_doc(self, offset: int) -> int:
        if not self._astral:
            return self.base + offset
        return self.base + offset + bisect.bisect_left(self._astral, offset)

    def to_article(self, position: int) -> int:
        p = position - self.base
        if not self._astral:
            return p
        return p - bisect.bisect_left(self._astral_doc, p)


@dataclass(frozen=True)
class _Entry:
    start: int  # document positions
    end: int
    claim: ClaimRecord


class ClaimIndex:
    """Claims by document position: which claims touch a block, which claim is under a point."""

    def __init__(self, claims: Iterable[ClaimRecord], omap: OffsetMap) -> None:
        self._omap = omap
        self._entries: list[_Entry] = []
        self._starts: list[int] = []
        self._by_id: dict[int, _Entry] = {}
        self._max_len = 0
        self.replace_all(claims)

    def replace_all(self, claims: Iterable[ClaimRecord]) -> None:
        entries = [self._entry(c) for c in claims if not c.deleted]
        entries.sort(key=lambda e: (e.start, e.end))
        self._entries = entries
        self._starts = [e.start for e in entries]
        self._by_id = {e.claim.id: e for e in entries}
        self._max_len = max((e.end - e.start for e in entries), default=0)

    def _entry(self, c: ClaimRecord) -> _Entry:
        return _Entry(self._omap.to_doc(c.start), self._omap.to_doc(c.end), c)

    def update(self, claim: ClaimRecord) -> tuple[int, int] | None:
        """Put in (or take out) one claim; returns the document range to repaint."""
        old = self._by_id.pop(claim.id, None)
        if old is not None:
            i = bisect.bisect_left(self._starts, old.start)
            while self._entries[i].claim.id != claim.id:
                i += 1
            del self._entries[i]
            del self._starts[i]
        ranges = [] if old is None else [(old.start, old.end)]
        if not claim.deleted:
            new = self._entry(claim)
            i = bisect.bisect_right(self._starts, new.start)
            self._entries.insert(i, new)
            self._starts.insert(i, new.start)
            self._by_id[claim.id] = new
            self._max_len = max(self._max_len, new.end - new.start)
            ranges.append((new.start, new.end))
        if not ranges:
            return None
        return min(r[0] for r in ranges), max(r[1] for r in ranges)

    def overlapping(self, lo: int, hi: int) -> Iterator[_Entry]:
        i = bisect.bisect_left(self._starts, lo - self._max_len)
        while i < len(self._entries) and self._entries[i].start < hi:
            e = self._entries[i]
            if e.end > lo:
                yield e
            i += 1

    def at(self, position: int) -> ClaimRecord | None:
        """The innermost claim containing the position (a click on a nested claim picks it)."""
        hits = [e for e in self.overlapping(position, position + 1) if e.start <= position < e.end]
        if not hits:
            return None
        return min(hits, key=lambda e: e.end - e.start).claim

    def span(self, claim_id: int) -> tuple[int, int] | None:
        e = self._by_id.get(claim_id)
        return None if e is None else (e.start, e.end)

    def claim(self, claim_id: int) -> ClaimRecord | None:
        e = self._by_id.get(claim_id)
        return None if e is None else e.claim


class ClaimHighlighter(QSyntaxHighlighter):
    """Paints each claim in its block: verdict colour, neutral when unrated, grey when weak."""

    def __init__(self, document: QTextDocument, view: ArticleView) -> None:
        super().__init__(document)
        self._view = view

    def highlightBlock(self, text: str) -> None:
        index = self._view.index
        if index is None:
            return
        block = self.currentBlock()
        lo = block.position()
        hi = lo + block.length() - 1
        for e in index.overlapping(lo, hi):
            a, b = max(e.start, lo), min(e.end, hi)
            if b > a:
                self.setFormat(a - lo, b - a, self._view.claim_format(e.claim))


class ArticleView(QPlainTextEdit):
    """Read-only article with claim highlights, selectable text, and its own links."""

    claimClicked = Signal(int)
    makeClaimRequested = Signal(int, int)  # article start, end
    splitRequested = Signal(int, int)  # claim id, article offset
    linkOpenRequested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("articleView")
        self.setReadOnly(True)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
            | Qt.TextInteractionFlag.LinksAccessibleByMouse
        )
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setMouseTracking(True)
        self.document().setDocumentMargin(18)
        self.setStyleSheet("QPlainTextEdit#articleView { background: #ffffff; border: none; }")
        self.index: ClaimIndex | None = None
        self._omap = OffsetMap("", 0)
        self._scale: Scale | None = None
        self._colors: dict[str, str] = {}
        self._formats: dict[tuple[str | None, bool], QTextCharFormat] = {}
        self._selected: int | None = None
        self._article: StoredArticle | None = None
        self._highlighter = ClaimHighlighter(self.document(), self)
        # Whether the open claim was in view before a resize (see resizeEvent): noted when the
        # claim is chosen and whenever the text scrolls, read before the text reflows.
        self._claim_shown = False
        self._resizing = False
        self.verticalScrollBar().valueChanged.connect(lambda _v: self._note_claim_shown())

    # ------------------------------------------------------------------ content
    def set_article(
        self, article: StoredArticle, claims: Iterable[ClaimRecord], scale: Scale
    ) -> None:
        """Lay out the article (header, then body with links) and highlight its claims."""
        self._article = article
        self._scale = scale
        self._colors = {r.id: r.color for r in scale.ratings}
        self._formats.clear()
        self._selected = None
        self.index = None  # no highlighting while the text goes in
        doc = self.document()
        doc.clear()
        cursor = QTextCursor(doc)
        base = self._insert_header(cursor, article)
        self._omap = OffsetMap(article.text, base)
        self._insert_body(cursor, article)
        self.index = ClaimIndex(claims, self._omap)
        self._highlighter.rehighlight()
        self.setExtraSelections([])
        self.moveCursor(QTextCursor.MoveOperation.Start)

    def _insert_header(self, cursor: QTextCursor, article: StoredArticle) -> int:
        title = QTextCharFormat()
        title.setFontFamilies(["DejaVu Sans", "Sans Serif"])
        title.setFontPointSize(17)
        title.setFontWeight(QFont.Weight.Bold)
        title.setForeground(QColor("#14181f"))
        cursor.insertText(" ".join((article.title or "Untitled article").split()), title)
        meta = " · ".join(x for x in (article.byline, _date(article.published)) if x)
        if article.url:
            meta = f"{meta} · {article.url}" if meta else article.url
        if meta:
            fmt = QTextCharFormat()
            fmt.setFontFamilies(["DejaVu Sans", "Sans Serif"])
            fmt.setFontPointSize(10)
            fmt.setForeground(QColor("#5f6670"))
            cursor.insertText("\n" + meta, fmt)
        cursor.insertText("\n\n", self._body_format())
        return cursor.position()

    def _body_format(self) -> QTextCharFormat:
        fmt = QTextCharFormat()
        fmt.setFontFamilies([style.ARTICLE_FONT, "Serif"])
        fmt.setFontPointSize(12)
        fmt.setForeground(QColor("#1d2129"))
        return fmt

    def _insert_body(self, cursor: QTextCursor, article: StoredArticle) -> None:
        body = self._body_format()
        link = QTextCharFormat(body)
        link.setForeground(QColor(style.LINK_COLOR))
        link.setFontUnderline(True)
        link.setAnchor(True)
        text = article.text
        done = 0
        for lk in sorted(article.links, key=lambda k: k.start):
            if lk.start < done or lk.end <= lk.start:
                continue  # overlapping or empty links cannot be shown as anchors
            if not is_web_url(lk.href):
                continue  # a file:, smb: ... link (an older or imported project) stays text
            cursor.insertText(text[done : lk.start], body)
            link.setAnchorHref(lk.href)
            link.setToolTip(plain_tooltip(f"{lk.href}\nCtrl+click to open in your browser"))
            cursor.insertText(text[lk.start : lk.end], link)
            done = lk.end
        cursor.insertText(text[done:], body)

    def set_claims(self, claims: Iterable[ClaimRecord]) -> None:
        if self.index is None:
            return
        self.index.replace_all(claims)
        self._highlighter.rehighlight()
        self._show_selection()

    def update_claim(self, claim: ClaimRecord) -> None:
        """Repaint only the blocks the claim covered and covers now."""
        if self.index is None:
            return
        touched = self.index.update(claim)
        if touched:
            self._rehighlight_range(*touched)
        if claim.id == self._selected:
            self._show_selection()

    def _rehighlight_range(self, lo: int, hi: int) -> None:
        block = self.document().findBlock(lo)
        while block.isValid() and block.position() <= hi:
            self._highlighter.rehighlightBlock(block)
            block = block.next()

    def set_scale(self, scale: Scale) -> None:
        self._scale = scale
        self._colors = {r.id: r.color for r in scale.ratings}
        self._formats.clear()
        self._highlighter.rehighlight()

    # ------------------------------------------------------------------ formats
    def claim_format(self, claim: ClaimRecord) -> QTextCharFormat:
        muted = claim.score < style.LOW_SCORE
        key = (claim.rating, muted and not claim.rating)
        fmt = self._formats.get(key)
        if fmt is None:
            fmt = QTextCharFormat()
            if claim.rating:
                fmt.setBackground(style.tint(self._colors.get(claim.rating, "#888888"), 0.62))
            elif muted:
                fmt.setForeground(QColor(style.MUTED_TEXT))
            else:
                fmt.setBackground(QColor(style.UNRATED_HIGHLIGHT))
            self._formats[key] = fmt
        return fmt

    # ------------------------------------------------------------------ selection
    def select_claim(self, claim_id: int | None, *, scroll: bool = True) -> None:
        self._selected = claim_id
        self._show_selection()
        span = self.index.span(claim_id) if (self.index and claim_id is not None) else None
        if span and scroll:
            self._bring_into_view(span)
        self._note_claim_shown()

    def _bring_into_view(self, span: tuple[int, int]) -> None:
        # A claim already in full view is not scrolled to: centring it anyway cut the
        # title in half when a project opened, and made the text jump on every J/K.
        in_view = self._span_in_view(span)
        cursor = QTextCursor(self.document())
        cursor.setPosition(span[1])
        self.setTextCursor(cursor)
        cursor.setPosition(span[0])
        self.setTextCursor(cursor)  # start last, so the claim's first line is in view
        if not in_view:
            self.centerCursor()

    def _note_claim_shown(self) -> None:
        if not self._resizing:
            span = self.index.span(self._selected) if (self.index and self._selected) else None
            self._claim_shown = bool(span) and self._span_in_view(span)

    def _span_in_view(self, span: tuple[int, int]) -> bool:
        cursor = QTextCursor(self.document())
        cursor.setPosition(span[0])
        top = self.cursorRect(cursor).top()
        cursor.setPosition(span[1])
        bottom = self.cursorRect(cursor).bottom()
        return top >= 0 and bottom <= self.viewport().height()

    def selected_claim(self) -> int | None:
        return self._selected

    def _show_selection(self) -> None:
        span = self.index.span(self._selected) if (self.index and self._selected) else None
        if not span:
            self.setExtraSelections([])
            self.viewport().update()
            return
        claim = self.index.claim(self._selected) if self.index else None
        sel = QTextEdit.ExtraSelection()
        cursor = QTextCursor(self.document())
        cursor.setPosition(span[0])
        cursor.setPosition(span[1], QTextCursor.MoveMode.KeepAnchor)
        sel.cursor = cursor
        fmt = QTextCharFormat()
        color = self._colors.get(claim.rating or "", "") if claim else ""
        fmt.setBackground(style.tint(color, 0.35) if color else QColor("#c9dbf5"))
        fmt.setForeground(QColor("#000000"))
        fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline)
        fmt.setUnderlineColor(QColor(style.SELECTED_OUTLINE))
        sel.format = fmt
        self.setExtraSelections([sel])
        self.viewport().update()

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        span = self.index.span(self._selected) if (self.index and self._selected) else None
        if span:
            self._outline(span[0], span[1])

    def _outline(self, start: int, end: int) -> None:
        """A box around each line of the selected claim: visible whatever its verdict colour."""
        painter = QPainter(self.viewport())
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(QColor(style.SELECTED_OUTLINE), 1.6))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        visible = self.viewport().rect()
        for rect in self._line_rects(start, end):
            if rect.intersects(QRectF(visible)):
                painter.drawRoundedRect(rect.adjusted(-2, -1, 2, 1), 3, 3)
        painter.end()

    def _line_rects(self, start: int, end: int) -> Iterator[QRectF]:
        block = self.document().findBlock(start)
        offset = self.contentOffset()
        while block.isValid() and block.position() < end:
            geom = self.blockBoundingGeometry(block).translated(offset)
            if geom.top() > self.viewport().height():
                break
            yield from _block_line_rects(block, geom, start, end)
            block = block.next()

    # ------------------------------------------------------------------ positions
    def article_offset_at(self, point: QPoint) -> int:
        return self._omap.to_article(self.cursorForPosition(point).position())

    def claim_at(self, point: QPoint) -> ClaimRecord | None:
        if self.index is None:
            return None
        cursor = self.cursorForPosition(point)
        rect = self.cursorRect(cursor)
        pos = cursor.position()
        # cursorForPosition rounds to the nearest gap; a click on a glyph's right half lands
        # after it, so look at the character left of the gap when the click is left of it.
        if point.x() < rect.center().x() and pos > 0:
            pos -= 1
        return self.index.at(pos)

    def claim_at_offset(self, offset: int) -> ClaimRecord | None:
        return self.index.at(self._omap.to_doc(offset)) if self.index else None

    def viewport_point_for(self, offset: int) -> QPoint:
        """Where an article offset is drawn, in viewport coordinates (tests click here)."""
        cursor = QTextCursor(self.document())
        cursor.setPosition(self._omap.to_doc(offset) + 1)
        rect = self.cursorRect(cursor)
        return QPoint(rect.left() - 2, rect.center().y())

    def selected_span(self) -> tuple[int, int] | None:
        cursor = self.textCursor()
        if not cursor.hasSelection():
            return None
        a = self._omap.to_article(cursor.selectionStart())
        b = self._omap.to_article(cursor.selectionEnd())
        n = len(self._article.text) if self._article else 0
        a, b = max(0, a), min(n, b)
        return (a, b) if b > a else None

    def cursor_offset(self) -> int | None:
        """The caret's article offset, when it is in the body (used by Split at cursor)."""
        pos = self.textCursor().position()
        if pos < self._omap.base:
            return None
        return self._omap.to_article(pos)

    # ------------------------------------------------------------------ mouse
    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        if event.button() != Qt.MouseButton.LeftButton or self.textCursor().hasSelection():
            return
        point = event.position().toPoint()
        href = self.anchorAt(point)
        if href and event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.linkOpenRequested.emit(href)
            return
        claim = self.claim_at(point)
        if claim is not None:
            self.claimClicked.emit(claim.id)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        super().mouseMoveEvent(event)
        point = event.position().toPoint()
        over_link = bool(self.anchorAt(point))
        shape = Qt.CursorShape.PointingHandCursor if over_link else Qt.CursorShape.IBeamCursor
        self.viewport().setCursor(shape)

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            pos = event.pos()  # type: ignore[attr-defined]
            tip = self._tooltip_at(pos)
            if tip:
                QToolTip.showText(event.globalPos(), tip, self)  # type: ignore[attr-defined]
            else:
                QToolTip.hideText()
            return True
        return super().viewportEvent(event)

    def _tooltip_at(self, point: QPoint) -> str:
        href = self.anchorAt(point)
        if href:
            return plain_tooltip(f"{href}\nCtrl+click to open in your browser")
        claim = self.claim_at(point)
        if claim is None:
            return ""
        verdict = self._rating_label(claim.rating) if claim.rating else "not rated"
        status = STATUS_LABELS.get(claim.status, claim.status)
        return plain_tooltip(
            f"Claim {claim.id} · {verdict} · {status} · check-worthiness {claim.score:.2f}"
        )

    def _rating_label(self, rating: str) -> str:
        for r in self._scale.ratings if self._scale else ():
            if r.id == rating:
                return r.label
        return rating

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        menu = self.createStandardContextMenu(event.pos())
        first = menu.actions()[0] if menu.actions() else None
        extra: list[Any] = []
        span = self.selected_span()
        make = menu.addAction("Make claim from selection")
        make.setEnabled(span is not None)
        if span:
            make.triggered.connect(lambda: self.makeClaimRequested.emit(*span))
        extra.append(make)
        claim = self.claim_at(event.pos())
        if claim is not None:
            offset = self.article_offset_at(event.pos())
            split = menu.addAction(f"Split claim {claim.id} here")
            split.triggered.connect(lambda: self.splitRequested.emit(claim.id, offset))
            extra.append(split)
        href = self.anchorAt(event.pos())
        if href:
            open_link = menu.addAction("Open link in browser")
            open_link.triggered.connect(lambda: self.linkOpenRequested.emit(href))
            extra.append(open_link)
        if first is not None:
            for action in extra:
                menu.removeAction(action)
            menu.insertActions(first, extra)
            menu.insertSeparator(first)
        menu.exec(event.globalPos())

    def loadResource(self, type: int, name: QUrl) -> Any:
        """Never fetch anything: an article must not make the app reach the network."""
        return None

    def resizeEvent(self, event: QResizeEvent) -> None:
        # Centre a column of comfortable reading width; margins grow on wide windows.
        # The viewport's own resize lands here too, so only act when the margin changes.
        keep = self._claim_shown
        self._resizing = True
        try:
            side = max(0, (self.width() - READING_WIDTH) // 2)
            if side != self.viewportMargins().left():
                self.setViewportMargins(side, 0, side, 0)
            super().resizeEvent(event)
        finally:
            self._resizing = False
        # The text keeps its first line at the top as it reflows, so a smaller window pushed
        # the open claim below the bottom edge: a claim that was in view stays in view.
        span = self.index.span(self._selected) if (self.index and self._selected) else None
        if keep and span and not self._span_in_view(span):
            self._bring_into_view(span)
        self._note_claim_shown()


def _block_line_rects(block: QTextBlock, geom: QRectF, start: int, end: int) -> Iterator[QRectF]:
    layout = block.layout()
    base = block.position()
    for i in range(layout.lineCount()):
        line = layout.lineAt(i)
        line_start = base + line.textStart()
        line_end = line_start + line.textLength()
        a, b = max(start, line_start), min(end, line_end)
        if b <= a:
            continue
        x1, _ = line.cursorToX(a - base)
        x2, _ = line.cursorToX(b - base)
        top = geom.top() + line.y()
        yield QRectF(geom.left() + x1, top, x2 - x1, line.height())


def _date(published: str | None) -> str:
    """ISO date as people read it (11 October 2015); anything else as stored."""
    if not published:
        return ""
    from datetime import date

    try:
        d = date.fromisoformat(published[:10])
    except ValueError:
        return published
    return f"{d.day} {d.strftime('%B %Y')}"


class Legend(QLabel):
    """What the highlight colours mean, for the project's scale."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("legend")
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.RichText)

    def set_scale(self, scale: Scale) -> None:
        chips = [
            _chip(style.tint(r.color, 0.62).name(), r.label, f"{i}")
            for i, r in enumerate(scale.ratings, 1)
        ]
        chips.append(_chip(style.UNRATED_HIGHLIGHT, "Unrated"))
        muted = f'<span style="color:{style.MUTED_TEXT}">grey = low score</span>'
        self.setText("&nbsp; ".join(chips) + f"&nbsp; {muted}")
        self.setToolTip(
            "Highlight colours are the claims' verdicts; keys 1–9 set them.\n"
            f"Grey text: check-worthiness below {style.LOW_SCORE}, probably not worth checking."
        )


def _chip(color: str, label: str, key: str = "") -> str:
    prefix = f"<b>{key}</b>&nbsp;" if key else ""
    return (
        f'<span style="background-color:{color}; color:#1d2129;">&nbsp;{prefix}{label}&nbsp;</span>'
    )
