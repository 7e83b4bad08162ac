"""File ▸ Settings: the settings a person may change, built from workbench/core/settings.py.

One field per setting with a label, in three tabs (Network, Archives, You). A setting given
for this run as WORKBENCH_<NAME> is shown with that value, read-only, and says so. Values are
checked by the core's own rules; a bad one is named in one line and nothing is saved.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLineEdit,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from workbench.core.errors import InvalidInputError
from workbench.core.settings import SETTINGS, Setting, Settings, check
from workbench.gui.labels import plain_label

TABS = (("network", "Network"), ("archives", "Archives"), ("user", "You"))


class SettingsDialog(QDialog):
    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.setWindowTitle("Settings")
        self.fields: dict[str, QWidget] = {}
        layout = QVBoxLayout(self)
        tabs = QTabWidget()
        for section, title in TABS:
            page = QWidget()
            form = QFormLayout(page)
            form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
            for setting in SETTINGS:
                if setting.section == section and setting.label:
                    form.addRow(setting.label, self._field(setting))
            tabs.addTab(page, title)
        layout.addWidget(tabs)
        layout.addWidget(
            plain_label(
                "Network settings can also be given for one run as WORKBENCH_<NAME> "
                "environment variables (for example WORKBENCH_DEADLINE_S=90).",
                objectName="hint",
                wordWrap=True,
            )
        )
        self.error = plain_label(objectName="error", wordWrap=True)
        self.error.setVisible(False)
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save
            | QDialogButtonBox.StandardButton.Cancel
            | QDialogButtonBox.StandardButton.RestoreDefaults
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        restore = buttons.button(QDialogButtonBox.StandardButton.RestoreDefaults)
        restore.clicked.connect(self.restore_defaults)
        layout.addWidget(buttons)
        self.resize(560, 420)

    def _field(self, setting: Setting) -> QWidget:
        from_env = self.settings.env_value(setting.name) if setting.env else None
        value = from_env if from_env is not None else self.settings.stored(setting.name)
        field: QWidget
        if setting.type is int:
            field = QSpinBox()
            field.setRange(int(setting.minimum or 0), int(setting.maximum or 10**9))
            field.setValue(int(value))
        elif setting.type is float:
            field = QDoubleSpinBox()
            field.setDecimals(1)
            field.setRange(float(setting.minimum or 0), float(setting.maximum or 1e9))
            field.setValue(float(value))
        else:
            field = QLineEdit(str(value))
            field.setCursorPosition(0)  # a long value shows its start, not its last words
            field.setPlaceholderText(str(setting.default) or "(none)")
        field.setObjectName(setting.name)
        tip = setting.help
        if setting.env:
            tip += f"\nEnvironment variable: {setting.env_name}"
        if from_env is not None:
            field.setEnabled(False)
            tip += " (set for this run, so it cannot be changed here)"
        field.setToolTip(tip)
        self.fields[setting.name] = field
        return field

    def values(self) -> dict[str, Any]:
        """What the fields say, for the settings not fixed by the environment."""
        out: dict[str, Any] = {}
        for setting in SETTINGS:
            field = self.fields.get(setting.name)
            if field is None or not field.isEnabled():
                continue
            if isinstance(field, QSpinBox | QDoubleSpinBox):
                out[setting.name] = field.value()
            elif isinstance(field, QLineEdit):
                out[setting.name] = field.text().strip()
        return out

    def restore_defaults(self) -> None:
        for setting in SETTINGS:
            field = self.fields.get(setting.name)
            if field is None or not field.isEnabled():
                continue
            if isinstance(field, QSpinBox | QDoubleSpinBox):
                field.setValue(setting.default)
            elif isinstance(field, QLineEdit):
                field.setText(str(setting.default))
                field.setCursorPosition(0)

    def accept(self) -> None:
        values = self.values()
        try:
            checked = {name: check(_setting(name), value) for name, value in values.items()}
            self.settings.update(checked)
        except InvalidInputError as exc:
            self._show_error(str(exc))
            return
        except OSError as exc:
            self._show_error(f"The settings could not be saved: {exc.strerror or exc}.")
            return
        super().accept()

    def _show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.setVisible(True)


def _setting(name: str) -> Setting:
    return next(s for s in SETTINGS if s.name == name)
