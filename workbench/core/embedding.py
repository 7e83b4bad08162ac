"""Sentence embeddings for ranking claims and matching them against past fact checks.

WordLlama's 256-dimension model ships inside its PyPI wheel, so it runs offline on numpy alone.
A plain `WordLlama.load()` tries to download its tokenizer; loading from the package folder with
downloads disabled never touches the network. The model is loaded once per process, lazily,
because most commands (and the window's first frame) never need it.
"""

from __future__ import annotations

import threading
from functools import cache
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


@cache
def _model():  # -> wordllama.WordLlama; untyped so importing this module stays cheap
    with _LOCK:
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


def embed(texts: Sequence[str], *, normalize: bool = True) -> np.ndarray:
    """One float32 row of DIMENSIONS per text; rows have unit length unless normalize=False."""
    import numpy as np

    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    vectors = _model().embed(list(texts), norm=normalize)
    return np.asarray(vectors, dtype=np.float32)
