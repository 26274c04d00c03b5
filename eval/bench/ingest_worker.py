"""citeqa's side of the ingest benchmark: a full `citeqa ingest` into a temporary home, kept
loaded in a process of its own and run on command, as the peers are (ingest_peers.py).

    python -m citeqa.eval.bench.ingest_worker MODEL_DIR THREADS

The settings come from the environment (`CITEQA_SENTENCE_BACKEND`, ...); MODEL_DIR is unused
(citeqa loads its configured model), kept so every system takes the same arguments.
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import numpy as np

from citeqa.index.retrieval.keyword import KeywordIndex
from citeqa.index.storage import ingest
from citeqa.service.settings import Settings

from .ingest_peers import serve


def citeqa_ingest(threads: int) -> Callable[[Path, list[str], Path], int]:
    settings = Settings()
    encoder = settings.load_encoder(threads)
    options = settings.build_options(encoder, compact=False)
    KeywordIndex.build(["a warm-up passage"])  # imports bm25s and the stemmer before timing
    encoder.encode(["a warm-up passage"])
    if not options.embeds_with_encoder:  # as `citeqa ingest` does
        assert options.sentence_encoder is not None
        options.sentence_encoder.encode(["a warm-up passage"])
        encoder.release()

    def run(folder: Path, passages: list[str], vectors: Path) -> int:
        with tempfile.TemporaryDirectory(prefix="citeqa-bench-home-") as home:
            report = ingest([folder], encoder, Path(home), options, rebuild=True)
            segments = sorted((Path(home) / "segments").iterdir())  # in order of their seq
            np.save(vectors, np.concatenate([np.load(s / "vectors.npy") for s in segments]))
            return report.passages

    return run


if __name__ == "__main__":
    serve(citeqa_ingest(int(sys.argv[2])))
