"""The claims table keeps its share of the window's height when the window shrinks and grows.

QMainWindow gives a dock's lost height back to the central widget, never to the dock: a table
squeezed to two rows in a small window stayed two rows in a large one, and the saved layout
kept it so across restarts. Here the bottom dock's share of the height is what is remembered:
the person sets it by dragging the separator, and every window resize puts the dock back at
that share (never below a useful minimum).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication, QDockWidget, QMainWindow

DEFAULT_SHARE = 0.41  # of the height shared by the article and the bottom docks
MIN_SHARE, MAX_SHARE = 0.12, 0.8
MIN_HEIGHT = 150  # the filter row, the header and three rows


class DockShare(QObject):
    def __init__(self, window: QMainWindow, dock: QDockWidget, share: float) -> None:
        super().__init__(window)
        self.window = window
        self.dock = dock
        self.share = min(MAX_SHARE, max(MIN_SHARE, share or DEFAULT_SHARE))
        dock.widget().setMinimumHeight(MIN_HEIGHT)
        dock.installEventFilter(self)
        window.installEventFilter(self)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self.apply)

    def _area(self) -> int:
        central = self.window.centralWidget()
        return (central.height() if central is not None else 0) + self.dock.height()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            if watched is self.window:
                self._timer.start()  # after Qt has laid the docks out for the new size
            elif self._dragged():
                self.share = min(MAX_SHARE, max(MIN_SHARE, self.dock.height() / self._area()))
        return False

    def _dragged(self) -> bool:
        """The person is dragging the separator (the window itself is resized by the window
        manager, which the application does not see as a button held down)."""
        held = QApplication.mouseButtons() & Qt.MouseButton.LeftButton
        return bool(held) and self.dock.isVisible() and not self.dock.isFloating()

    def apply(self) -> None:
        if not self.dock.isVisible() or self.dock.isFloating():
            return
        area = self._area()
        target = max(MIN_HEIGHT, round(self.share * area))
        if area > 0 and abs(self.dock.height() - target) > 3:
            self.window.resizeDocks([self.dock], [target], Qt.Orientation.Vertical)
