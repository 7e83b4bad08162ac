"""The embedding model loads from the installed wheel, offline, and gives unit vectors."""

from __future__ import annotations

import numpy as np

from workbench.core.embedding import DIMENSIONS, embed


def test_embeds_offline_with_unit_rows() -> None:
    vectors = embed(["The mayor said 140 people died.", "Rainfall was 20% above average."])
    assert vectors.shape == (2, DIMENSIONS)
    assert vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)


def test_similar_sentences_are_closer_than_unrelated_ones() -> None:
    a, b, c = embed(
        [
            "The council voted to close the library.",
            "Councillors decided the library will shut.",
            "The striker scored twice in the final.",
        ]
    )
    assert float(a @ b) > float(a @ c)


def test_no_texts_no_rows() -> None:
    assert embed([]).shape == (0, DIMENSIONS)
