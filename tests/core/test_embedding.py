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


def test_two_threads_asking_at_once_load_the_model_once() -> None:
    """A window preloads the model while its first match may already ask for it: the second
    waits for the first load instead of loading it again (run in a fresh process: the model
    is loaded once per process)."""
    import subprocess
    import sys
    from pathlib import Path

    code = (
        "import threading, time\n"
        "from wordllama import WordLlama\n"
        "from workbench.core import embedding\n"
        "real, loads = WordLlama.load, []\n"
        "def slow(*args, **kwargs):\n"
        "    loads.append(1)\n"
        "    time.sleep(0.3)\n"
        "    return real(*args, **kwargs)\n"
        "WordLlama.load = slow\n"
        "threads = [threading.Thread(target=embedding.embed, args=(['a claim'],)) for _ in range(3)]\n"
        "[t.start() for t in threads]\n"
        "[t.join() for t in threads]\n"
        "print(len(loads))\n"
    )
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=root
    )
    assert done.stdout.split() == ["1"]
