"""Item views whose rows grow to show their whole text."""

from __future__ import annotations

import math

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QFont, QPainter, QPalette, QTextLayout, QTextOption
from PySide6.QtWidgets import (
    QAbstractItemView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeView,
)


class WrappingDelegate(QStyledItemDelegate):
    """Rows as tall as their wrapped text at the column's current width, for a QTreeView: it
    gives each row one line otherwise, and a long text is cut off with "…" (a fetch failure's
    reason, a history entry). Long addresses, which have no spaces, break anywhere."""

    PADDING = 4

    def __init__(self, view: QTreeView) -> None:
        super().__init__(view)
        self._tree = view
        view.setWordWrap(True)
        view.setUniformRowHeights(False)
        view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        # Narrower or wider columns wrap the text anew.
        view.header().sectionResized.connect(lambda *_a: view.scheduleDelayedItemsLayout())
        self._wrap = QTextOption()
        self._wrap.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        hint = super().sizeHint(option, index)
        width = self._tree.columnWidth(index.column()) - 4 * self.PADDING
        text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        if width <= 0 or not text:
            return hint
        height = self._text_height(text, option.font, width) + 2 * self.PADDING
        return QSize(hint.width(), max(hint.height(), height))

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        text, opt.text = opt.text, ""
        style = self._tree.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, self._tree)
        area = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, opt, self._tree)
        p = self.PADDING
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        painter.save()
        painter.setPen(opt.palette.color(role))
        painter.setFont(opt.font)
        painter.drawText(QRectF(area.adjusted(p, p, -p, -p)), text, self._wrap)
        painter.restore()

    def _text_height(self, text: str, font: QFont, width: int) -> int:
        layout = QTextLayout(text, font)
        layout.setTextOption(self._wrap)
        layout.beginLayout()
        height = 0.0
        while True:
            line = layout.createLine()
            if not line.isValid():
                break
            line.setLineWidth(width)
            line.setPosition(QPointF(0, height))
            height += line.height()
        layout.endLayout()
        return math.ceil(height)
