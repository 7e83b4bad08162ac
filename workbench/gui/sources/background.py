"""One computation on strings in the thread pool, answered with a generation number so the
caller can drop answers that arrive after the person moved on. For work too slow for the UI
thread but too small for a window job (no progress, no Cancel): comparing two long copies,
checking quotations in every stored copy. Never give it a Project: a Project belongs to the
thread that opened it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal


class _Signals(QObject):
    done = Signal(int, object)  # generation, the result (or the exception raised)


class Call(QRunnable):
    def __init__(self, generation: int, fn: Callable[[], Any]) -> None:
        super().__init__()
        self.signals = _Signals()
        self._generation = generation
        self._fn = fn

    def run(self) -> None:
        try:
            result = self._fn()
        except Exception as exc:  # handed to the UI thread, which says it
            result = exc
        self.signals.done.emit(self._generation, result)


class Background:
    """Starts Calls and keeps them alive until they answer; `latest` is the generation whose
    answer is wanted."""

    def __init__(self) -> None:
        self.latest = 0
        self._running: dict[int, Call] = {}

    def next(self) -> int:
        """A new generation: answers for earlier ones are dropped."""
        self.latest += 1
        return self.latest

    def busy(self) -> bool:
        return bool(self._running)

    def start(self, fn: Callable[[], Any], done: Callable[[Any], None]) -> None:
        generation = self.latest
        call = Call(generation, fn)

        def answered(number: int, result: Any) -> None:
            self._running.pop(number, None)
            if number == self.latest:
                done(result)

        call.signals.done.connect(answered, Qt.ConnectionType.QueuedConnection)
        self._running[generation] = call
        QThreadPool.globalInstance().start(call)
