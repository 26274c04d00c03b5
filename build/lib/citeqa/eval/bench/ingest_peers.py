"""One system of the ingest benchmark, kept loaded in a process of its own and run on command.

    python ingest_peers.py SYSTEM MODEL_DIR THREADS

SYSTEM is `floor` (bare `SentenceTransformer.encode` of the passages, batch 32), `txtai` (txtai
Embeddings, hybrid: dense + BM25, content stored, the same model) or `langchain` (the plain loop
of LangChain / LlamaIndex tutorials: read the files, split with a recursive character splitter,
encode, add to a FAISS flat index). The peers run in their own virtualenv (`.venv-bench`, made by
`make bench-ingest`), not citeqa's, so this file imports nothing of citeqa; citeqa's own side is
`ingest_worker.py`, which speaks the same protocol.

Protocol: the process loads its model, prints `ready`, then for each line `run FOLDER PASSAGES
VECTORS` on stdin ingests FOLDER (PASSAGES: a file of the passage texts, one JSON string a line,
for the systems that take passages) and prints one JSON line: seconds, units indexed, peak RSS.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


def _floor(model_dir: str, threads: int) -> Callable[[Path, list[str], Path], int]:
    import numpy as np
    import torch
    from sentence_transformers import SentenceTransformer

    torch.set_num_threads(threads)
    model = SentenceTransformer(model_dir, device="cpu")

    def run(folder: Path, passages: list[str], vectors: Path) -> int:
        out = model.encode(passages, batch_size=32, normalize_embeddings=True)
        np.save(vectors, np.asarray(out, dtype=np.float32))
        return len(passages)

    return run


def _txtai(model_dir: str, threads: int) -> Callable[[Path, list[str], Path], int]:
    import torch
    from txtai import Embeddings

    torch.set_num_threads(threads)

    def run(folder: Path, passages: list[str], vectors: Path) -> int:
        embeddings = Embeddings(path=model_dir, hybrid=True, content=True, batch=1024)
        embeddings.index([(i, text, None) for i, text in enumerate(passages)])
        count = int(embeddings.count())
        embeddings.close()
        return count

    Embeddings(path=model_dir).transform("a warm-up passage")  # loads the model before timing
    return run


def _langchain(model_dir: str, threads: int) -> Callable[[Path, list[str], Path], int]:
    import faiss
    import numpy as np
    import torch
    from langchain_text_splitters import RecursiveCharacterTextSplitter
    from sentence_transformers import SentenceTransformer

    torch.set_num_threads(threads)
    faiss.omp_set_num_threads(threads)
    model = SentenceTransformer(model_dir, device="cpu")
    # The splitter's common tutorial setting: ~1,000 characters with 200 of overlap, about
    # citeqa's 180 words with 40 carried.
    splitter = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200)

    def run(folder: Path, passages: list[str], vectors: Path) -> int:
        chunks = [
            chunk
            for path in sorted(p for p in folder.rglob("*") if p.is_file())
            for chunk in splitter.split_text(path.read_text(errors="replace"))
        ]
        out = model.encode(chunks, batch_size=32, normalize_embeddings=True)
        index = faiss.IndexFlatIP(out.shape[1])
        index.add(np.asarray(out, dtype=np.float32))
        return int(index.ntotal)

    return run


SYSTEMS = {"floor": _floor, "txtai": _txtai, "langchain": _langchain}


def main() -> None:
    system, model_dir, threads = sys.argv[1], sys.argv[2], int(sys.argv[3])
    serve(SYSTEMS[system](model_dir, threads))


def serve(run: Callable[[Path, list[str], Path], int]) -> None:
    """Answer `run` commands on stdin until it closes (the protocol above)."""
    print("ready", flush=True)
    for line in sys.stdin:
        _, folder, passages_file, vectors = line.split()
        passages = [json.loads(p) for p in Path(passages_file).read_text().splitlines()]
        started = time.perf_counter()
        units = run(Path(folder), passages, Path(vectors))
        seconds = time.perf_counter() - started
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        result: dict[str, Any] = {"seconds": seconds, "units": units, "peak_rss_mb": peak_mb}
        print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
