"""What the window shows before a project is open: the first step as buttons, and the recent
projects one click away."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from workbench.core.project.backends import is_team_url, team_label
from workbench.gui.labels import plain_label, rich_label

MAX_ROWS = 8
MIN_WIDTH, MAX_WIDTH = 320, 720


class Welcome(QWidget):
    newFromFile = Signal()
    newFromUrl = Signal()
    newFromText = Signal()
    openProject = Signal()
    openRecent = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("welcome")
        title = rich_label("<h2>Open an article to start checking</h2>")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        hint = plain_label(
            "A text or HTML file, a web address, or pasted text becomes a project of claims.\n"
            "You can also drop an article or a .wbproj project on this window."
        )
        hint.setObjectName("hint")
        hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        hint.setTextFormat(Qt.TextFormat.PlainText)

        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for text, signal in (
            ("New from file…", self.newFromFile),
            ("New from URL…", self.newFromUrl),
            ("New from pasted text…", self.newFromText),
            ("Open project…", self.openProject),
        ):
            button = QPushButton(text)
            button.clicked.connect(signal.emit)
            buttons.addWidget(button)
        buttons.addStretch(1)

        self.recent_label = plain_label("Recent projects")
        self.recent_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.recent = QListWidget()
        # A long folder is shortened in its middle, never scrolled sideways: the list showed
        # ~250 px of each line ("sample-article.wbproj — /tmp/ux") over a scroll bar.
        self.recent.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.recent.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.recent.itemActivated.connect(
            lambda item: self.openRecent.emit(item.data(Qt.ItemDataRole.UserRole))
        )

        layout = QVBoxLayout(self)
        layout.addStretch(2)
        layout.addWidget(title)
        layout.addWidget(hint)
        layout.addSpacing(12)
        layout.addLayout(buttons)
        layout.addSpacing(18)
        layout.addWidget(self.recent_label)
        layout.addWidget(self.recent, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(3)

    def set_recent(self, paths: list[str]) -> None:
        """Existing recent projects (files and team projects), newest first; the list hides
        when there are none."""
        self.recent.clear()
        for path in paths:
            if is_team_url(path):  # a team project: its name and server (no password is kept)
                item = QListWidgetItem("    —    ".join(team_label(path)))
            else:
                item = QListWidgetItem(f"{Path(path).name}    —    {Path(path).parent}")
            item.setData(Qt.ItemDataRole.UserRole, path)
            item.setToolTip(path)
            self.recent.addItem(item)
        self.recent_label.setVisible(bool(paths))
        self.recent.setVisible(bool(paths))
        if paths:  # as tall as its rows (up to eight), so it reads as a list, not a box
            rows = min(len(paths), MAX_ROWS)
            frame = 2 * self.recent.frameWidth()
            self.recent.setFixedHeight(rows * self.recent.sizeHintForRow(0) + frame)
            # As wide as its longest line, within the welcome's width.
            bar = self.recent.verticalScrollBar().sizeHint().width() if len(paths) > rows else 0
            wanted = self.recent.sizeHintForColumn(0) + frame + bar + 8
            self.recent.setFixedWidth(min(max(wanted, MIN_WIDTH), MAX_WIDTH))
