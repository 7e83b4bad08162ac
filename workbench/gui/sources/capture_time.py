"""Article ▸ Check for revisions in the Wayback Machine: which capture to load.

A dialog rather than a text box: the common answer (the newest capture after the text held)
is one click, and a time is picked on a calendar in UTC, the archive's clock, so nobody has to
know the archive's 14-digit timestamps.
"""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import QDate, QDateTime, QTime, QTimeZone
from PySide6.QtWidgets import (
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from workbench.gui.labels import plain_label
from workbench.gui.style import MUTED_TEXT

FIRST_CAPTURES = QDate(1996, 1, 1)  # the Wayback Machine's earliest


class CaptureTimeDialog(QDialog):
    """Newest capture after the held text, or the capture closest to a picked UTC time."""

    def __init__(
        self, parent: QWidget | None, held: datetime | None, held_reason: str, start: datetime
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Revision from the Wayback Machine")
        layout = QVBoxLayout(self)
        layout.addWidget(plain_label("Load the article from an archived capture of its URL:"))
        self.newest = QRadioButton("The newest capture made after the text you have")
        self.since = since = plain_label(
            f"after {held:%Y-%m-%d %H:%M} UTC, {held_reason}" if held else ""
        )
        since.setStyleSheet(f"color: {MUTED_TEXT}")
        self.newest.setChecked(True)
        self.closest = QRadioButton("The capture closest to this time (UTC):")
        self.when = QDateTimeEdit(_utc(start))
        self.when.setTimeZone(QTimeZone.utc())
        self.when.setCalendarPopup(True)
        self.when.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.when.setDateTimeRange(
            QDateTime(FIRST_CAPTURES, QTime(0, 0), QTimeZone.utc()),
            QDateTime.currentDateTimeUtc(),
        )
        self.when.setEnabled(False)
        self.closest.toggled.connect(self.when.setEnabled)
        # Editing the time means "this one": nobody should have to tick the button as well.
        self.when.dateTimeChanged.connect(lambda _t: self.closest.setChecked(True))
        layout.addWidget(self.newest)
        layout.addLayout(_indented(since))
        since.setVisible(held is not None)
        layout.addWidget(self.closest)
        layout.addLayout(_indented(self.when))
        layout.addWidget(
            plain_label("Times are the archive's (UTC); the capture nearest the time is loaded.")
        )
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Load")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def answer(self) -> str:
        """'' for the newest capture after the held text, else YYYYMMDDhhmmss (UTC)."""
        if self.newest.isChecked():
            return ""
        return self.when.dateTime().toUTC().toString("yyyyMMddHHmmss")


def _indented(widget: QWidget) -> QHBoxLayout:
    row = QHBoxLayout()
    row.addSpacing(24)  # under the radio button's text, not its circle
    row.addWidget(widget)
    row.addStretch(0)
    return row


def _utc(moment: datetime) -> QDateTime:
    moment = moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)
    return QDateTime(
        QDate(moment.year, moment.month, moment.day),
        QTime(moment.hour, moment.minute),
        QTimeZone.utc(),
    )
