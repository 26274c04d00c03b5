"""Dense search over an index version's vectors, memory-mapped so worker processes share them.

Exact search while the index is small; above FLAT_LIMIT passages an IVF index with 8-bit scalar
quantised vectors (`ivf.faiss`), chosen by measurement at 1M derived vectors (docs/benchmarks.md):
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
NPROBE = 256  # IVF lists visited per question: recall@10 ≥ 0.95 (docs/benchmarks.md)
IVF_FILE = "ivf.faiss"
TRAINED_FILE = "ivf-trained.faiss"  # the same index, empty: what a merge can start from
WARM_SENTENCES_BYTES = 512 << 20  # sentences.npy read ahead at load up to this size


class DenseIndex(Protocol):
    def search(
        self,
        query: np.ndarray,
        k: int,
        dead: np.ndarray | None = None,
        allowed: np.ndarray | None = None,
    ) -> tuple[np.ndarray, np.ndarray]:
        """(rows int64[m], inner products float32[m]) of the m <= k vectors most similar to
        `query` (float32[d]), best first, leaving out the rows in `dead` (sorted int64). With
        `allowed` (bool[rows], dead rows already False), only those rows are searched."""
        ...


# Below this share of rows allowed, exact search gathers the allowed vectors and scores only
# them; above it, scoring every row and masking costs less than the gather's copy.
GATHER_SHARE = 0.25


def _exact_allowed(
    vectors: np.ndarray, query: np.ndarray, k: int, allowed: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The k best of the `allowed` rows by an exact scan (see GATHER_SHARE)."""
    rows = np.flatnonzero(allowed)
    k = min(k, rows.size)
    if k <= 0:
        return np.zeros(0, np.int64), np.zeros(0, np.float32)
    if rows.size <= GATHER_SHARE * len(vectors):
        scores = np.asarray(vectors[rows], dtype=np.float32) @ query
    else:
        scores = (vectors @ query)[rows]
    top = np.argpartition(-scores, k - 1)[:k] if k < scores.size else np.arange(scores.size)
    top = top[np.argsort(-scores[top], kind="stable")]
    return rows[top].astype(np.int64), scores[top].astype(np.float32)


def _overfetch(dead: np.ndarray | None, k: int) -> int | None:
    """How many to fetch so that k live rows remain after dropping `dead` ones, or None when
    so many rows are dead that excluding them in the search itself is cheaper."""
    if dead is None or dead.size == 0:
        return k
    return k + dead.size if dead.size <= 4 * k + 256 else None


def _drop_dead(
    rows: np.ndarray, scores: np.ndarray, dead: np.ndarray | None, k: int
) -> tuple[np.ndarray, np.ndarray]:
    keep = rows >= 0
    if dead is not None and dead.size:
        keep &= ~np.isin(rows, dead, assume_unique=False)
    return rows[keep][:k].astype(np.int64), scores[keep][:k].astype(np.float32)


@dataclass
class ExactSearch:
    vectors: np.ndarray  # float32[n, d], usually a read-only memory map

    def __post_init__(self) -> None:
        self.vectors = np.asarray(self.vectors)  # a plain view of the memory map

    def search(
        self,
        query: np.ndarray,
        k: int,
        dead: np.ndarray | None = None,
        allowed: np.ndarray | None = None,
    ) -> tuple[np.ndarray, np.ndarray]:
        if allowed is not None:
            return _exact_allowed(self.vectors, query, k, allowed)
        n = len(self.vectors)
        fetch = _overfetch(dead, k)
        if fetch is None:  # most rows dead: score all, mask the dead
            scores = self.vectors @ query
            scores[dead] = -np.inf
            top = np.argsort(-scores, kind="stable")[: min(k, n - len(dead))]  # type: ignore[arg-type]
            return top.astype(np.int64), scores[top].astype(np.float32)
        fetch = min(fetch, n)
        if fetch <= 0:
            return np.zeros(0, np.int64), np.zeros(0, np.float32)
        # One question: FAISS scans without BLAS, whose threads stall on a busy machine.
        scores, rows = faiss.knn(query[None, :], self.vectors, fetch, faiss.METRIC_INNER_PRODUCT)
        return _drop_dead(rows[0], scores[0], dead, k)


@dataclass
class IvfSearch:
    index: faiss.Index  # an IndexIVF (read_index gives the concrete type)
    nprobe: int = NPROBE

    def search(
        self,
        query: np.ndarray,
        k: int,
        dead: np.ndarray | None = None,
        allowed: np.ndarray | None = None,
    ) -> tuple[np.ndarray, np.ndarray]:
        params = faiss.SearchParametersIVF()
        params.nprobe = self.nprobe
        if allowed is not None:
            return self._search_allowed(query, k, allowed, params)
        fetch = _overfetch(dead, k)
        if fetch is None:  # skip the dead rows inside the scan (works on the mapped index)
            mask = np.zeros(self.index.ntotal, dtype=bool)
            mask[dead] = True
            bitmap = np.packbits(mask, bitorder="little")
            inner = faiss.IDSelectorBitmap(self.index.ntotal, faiss.swig_ptr(bitmap))
            selector = faiss.IDSelectorNot(inner)
            params.sel = selector
            fetch = k
        scores, rows = self.index.search(query[None, :], fetch, params=params)
        return _drop_dead(rows[0], scores[0], dead, k)

    def _search_allowed(
        self, query: np.ndarray, k: int, allowed: np.ndarray, params: faiss.SearchParametersIVF
    ) -> tuple[np.ndarray, np.ndarray]:
        """Only the `allowed` rows, skipped inside the scan by an ID selector: a few allowed
        rows are listed (IDSelectorBatch, a hash set); many are a bitmap, one bit a row. The
        probed lists may hold fewer than k allowed rows (a narrow filter whose documents lie
        in lists far from the question): then all lists are probed."""
        count = int(np.count_nonzero(allowed))
        if count == 0 or k <= 0:
            return np.zeros(0, np.int64), np.zeros(0, np.float32)
        selector: faiss.IDSelector
        if count <= 65_536:
            ids = np.flatnonzero(allowed).astype(np.int64)
            selector = faiss.IDSelectorBatch(ids.size, faiss.swig_ptr(ids))
        else:
            bitmap = np.packbits(allowed, bitorder="little")
            selector = faiss.IDSelectorBitmap(allowed.size, faiss.swig_ptr(bitmap))
        params.sel = selector
        want = min(k, count)
        scores, rows = self.index.search(query[None, :], want, params=params)
        if int(np.count_nonzero(rows[0] >= 0)) < want:
            params.nprobe = faiss.extract_index_ivf(self.index).nlist
            scores, rows = self.index.search(query[None, :], want, params=params)
        return _drop_dead(rows[0], scores[0], None, k)


def ivf_lists(n: int) -> int:
    """About 4·√n inverted lists, a power of two."""
    return 2 ** round(math.log2(4 * math.sqrt(max(n, 1))))


def train_ivf(vectors: np.ndarray, seed: int = 0) -> faiss.IndexIVF:
    """An empty IVF-SQ8 index trained on a sample of `vectors`."""
    n, d = vectors.shape
    nlist = ivf_lists(n)
    index = faiss.IndexIVFScalarQuantizer(
        faiss.IndexFlatIP(d), d, nlist, faiss.ScalarQuantizer.QT_8bit, faiss.METRIC_INNER_PRODUCT
    )
    index.cp.spherical = True  # unit vectors: centroids on the sphere
    index.cp.niter = 10
    sample = np.random.default_rng(seed).choice(n, min(n, 40 * nlist), replace=False)
    index.train(np.ascontiguousarray(vectors[np.sort(sample)]))
    return index


def build_ivf(
    vectors: np.ndarray, seed: int = 0, trained: faiss.Index | None = None
) -> faiss.IndexIVF:
    """`vectors` in an IVF-SQ8 index: `trained` (emptied) when given, else trained anew."""
    n = len(vectors)
    ivf = faiss.extract_index_ivf(trained) if trained is not None else None
    if ivf is not None and ivf.nlist == ivf_lists(n):
        index = ivf
        index.reset()
    else:
        index = train_ivf(vectors, seed)
    for start in range(0, n, 65_536):  # from a memory map, a slice at a time
        index.add(np.ascontiguousarray(vectors[start : start + 65_536]))
    return index


def write_dense_index(vectors: np.ndarray, folder: Path, reuse: Path | None = None) -> None:
    """Beside vectors.npy, the ANN index a segment of this size needs (none while small).

    `reuse`: another segment's folder whose trained IVF (centroids, quantiser ranges) is taken
    when it has the number of lists this size wants: a merge then only assigns the vectors.
    """
    if len(vectors) <= FLAT_LIMIT:
        return
    trained = None
    if reuse is not None and (reuse / TRAINED_FILE).is_file():
        trained = faiss.read_index(str(reuse / TRAINED_FILE))
    index = build_ivf(vectors, trained=trained)
    empty = faiss.clone_index(index)
    empty.reset()
    for name, written in ((IVF_FILE, index), (TRAINED_FILE, empty)):
        faiss.write_index(written, str(folder / name))
        with (folder / name).open("rb") as f:
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
        searched = folder / "vectors.npy"  # absent when the vectors live in Milvus
    paths = [searched]
    # Search also reads its candidates' sentence vectors (sentences.py), a few thousand
    # rows a question at random: read ahead while small (about 4.7 kB a passage in float16,
    # ~110k passages to the limit), on demand above, where reading them all would cost more.
    sentences = folder / "sentences.npy"
    if sentences.is_file() and sentences.stat().st_size <= WARM_SENTENCES_BYTES:
        paths.append(sentences)
    for path in paths:
        if path.is_file():
            with path.open("rb") as f:
                while f.read(1 << 24):
                    pass
