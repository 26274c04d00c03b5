"""Dense search over an index version's vectors, memory-mapped so worker processes share them.

Exact search while the index is small; above FLAT_LIMIT passages an IVF index with 8-bit scalar
quantised vectors (`ivf.faiss`), chosen by measurement at 1M derived vectors (README, Performance):
recall@10 ≥ 0.95 at nprobe 256 in about 2 ms, 380 MB on disk against 1.5 GB for the float vectors.
HNSW was as fast but 1.6× larger, slower to build and cannot delete; IVF-PQ lost too much recall.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import faiss
import numpy as np

FLAT_LIMIT = 250_000  # exact search costs ~10 ms per question here on one core
NPROBE = 256  # IVF lists visited per question: recall@10 ≥ 0.95 (README, Performance)
IVF_FILE = "ivf.faiss"


class DenseIndex(Protocol):
    def search(self, query: np.ndarray, k: int) -> np.ndarray:
        """Rows of the `k` vectors most similar to `query` (float32[d]), best first."""
        ...


@dataclass
class ExactSearch:
    vectors: np.ndarray  # float32[n, d], usually a read-only memory map

    def __post_init__(self) -> None:
        self.vectors = np.asarray(self.vectors)  # a plain view of the memory map

    def search(self, query: np.ndarray, k: int) -> np.ndarray:
        k = min(k, len(self.vectors))
        if k <= 0:
            return np.zeros(0, dtype=np.int64)
        # One question: FAISS scans without BLAS, whose threads stall on a busy machine.
        _, rows = faiss.knn(query[None, :], self.vectors, k, metric=faiss.METRIC_INNER_PRODUCT)
        return rows[0]


@dataclass
class IvfSearch:
    index: faiss.Index  # an IndexIVF (read_index gives the concrete type)
    nprobe: int = NPROBE

    def search(self, query: np.ndarray, k: int) -> np.ndarray:
        params = faiss.SearchParametersIVF()
        params.nprobe = self.nprobe
        _, rows = self.index.search(query[None, :], k, params=params)
        return rows[0][rows[0] >= 0]


def ivf_lists(n: int) -> int:
    """About 4·√n inverted lists, a power of two."""
    return 2 ** round(math.log2(4 * math.sqrt(max(n, 1))))


def build_ivf(vectors: np.ndarray, seed: int = 0) -> faiss.IndexIVF:
    n, d = vectors.shape
    nlist = ivf_lists(n)
    index = faiss.IndexIVFScalarQuantizer(
        faiss.IndexFlatIP(d), d, nlist, faiss.ScalarQuantizer.QT_8bit, faiss.METRIC_INNER_PRODUCT
    )
    index.cp.spherical = True  # unit vectors: centroids on the sphere
    index.cp.niter = 10
    sample = np.random.default_rng(seed).choice(n, min(n, 40 * nlist), replace=False)
    index.train(np.ascontiguousarray(vectors[np.sort(sample)]))
    for start in range(0, n, 65_536):  # from a memory map, a slice at a time
        index.add(np.ascontiguousarray(vectors[start : start + 65_536]))
    return index


def write_dense_index(vectors: np.ndarray, folder: Path) -> None:
    """Beside vectors.npy, the ANN index a version of this size needs (none while small)."""
    if len(vectors) <= FLAT_LIMIT:
        return
    path = folder / IVF_FILE
    faiss.write_index(build_ivf(vectors), str(path))
    with path.open("rb") as f:
        os.fsync(f.fileno())


def open_dense_index(folder: Path, vectors: np.ndarray) -> DenseIndex:
    """The version's dense index, memory-mapped (nothing is read until searched)."""
    path = folder / IVF_FILE
    if not path.is_file():
        return ExactSearch(vectors)
    # IO_FLAG_MMAP_IFC maps codes and lists read-only, shared by every process that opens it.
    index = faiss.read_index(str(path), faiss.IO_FLAG_MMAP_IFC)
    if index.ntotal != len(vectors):
        raise ValueError(f"{IVF_FILE} holds {index.ntotal} vectors for {len(vectors)} passages")
    return IvfSearch(index)  # keep this object: a cast of it would not keep it alive


def warm_page_cache(folder: Path) -> None:
    """Read the files a version's questions search through once, into the page cache: the maps
    are advised random access, so otherwise each early question waits for its own disk reads."""
    searched = folder / IVF_FILE  # above FLAT_LIMIT only a few rows of vectors.npy are read
    if not searched.is_file():
        searched = folder / "vectors.npy"
    with searched.open("rb") as f:
        while f.read(1 << 24):
            pass
