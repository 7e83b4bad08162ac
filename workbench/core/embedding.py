"""Sentence embeddings for ranking claims and matching them against past fact checks.

WordLlama's 256-dimension model ships inside its PyPI wheel, so it runs offline on numpy alone.
A plain `WordLlama.load()` tries to download its tokenizer; loading from the package folder with
downloads disabled never touches the network. The model is loaded once per process, lazily,
because most commands (and the window's first frame) never need it.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING

from workbench.core.errors import WorkbenchError

if TYPE_CHECKING:
    from collections.abc import Sequence

    import numpy as np

DIMENSIONS = 256
_LOCK = threading.Lock()


class EmbeddingError(WorkbenchError):
    """The embedding model could not be loaded (a broken install, not a user error)."""


_MODEL = None  # wordllama.WordLlama once loaded


def _model():  # -> wordllama.WordLlama; untyped so importing this module stays cheap
    global _MODEL
    if _MODEL is not None:
        return _MODEL
    # A second thread asking meanwhile (a window's preload and its first match) waits for this
    # load instead of loading the model again.
    with _LOCK:
        if _MODEL is None:
            _MODEL = _load()
        return _MODEL


def _load():  # -> wordllama.WordLlama
    try:
        import wordllama
        from wordllama import WordLlama

        return WordLlama.load(
            dim=DIMENSIONS,
            cache_dir=Path(wordllama.__file__).parent,
            disable_download=True,
        )
    except Exception as exc:  # a missing or damaged wheel: say so in one line
        raise EmbeddingError(
            f"The sentence-embedding model (WordLlama) could not be loaded: {exc}. "
            "Reinstall Workbench to repair it."
        ) from exc


def load_model() -> None:
    """Loads the model now, if not yet: a window does it while idle, so that its first match
    does not wait for it (~0.2-0.4 s)."""
    _model()


def model_loaded() -> bool:
    return _MODEL is not None


def embed(texts: Sequence[str], *, normalize: bool = True) -> np.ndarray:
    """One float32 row of DIMENSIONS per text; rows have unit length unless normalize=False."""
    import numpy as np

    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    vectors = _model().embed(list(texts), norm=normalize)
    return np.asarray(vectors, dtype=np.float32)
