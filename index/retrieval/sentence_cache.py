"""Sentence vectors already made by an ingest, so that no text is embedded twice across it.

Within one window of passages (storage/windows.py) a repeated sentence is embedded once; the
same sentence in another window, another part or another file would be embedded again. Real
collections repeat a great deal across files: licence and disclaimer paragraphs, page headers,
changelog entries copied from package to package (a 50 MB text of Debian documentation holds
~217k distinct sentences, yet its windows embedded 579k). An ingest therefore keeps the int8
codes of the sentences it has embedded, by a 128-bit digest of their text, up to a memory
budget; past it, new sentences are embedded as before and not kept (the first ones seen are the
ones a collection's boilerplate repeats).

The codes are what the segment stores anyway, and a passage's vector is the mean of its
sentences' vectors as stored (the codes times their scale), so a sentence found here counts in
its passages exactly as the first time it was embedded. Embedding it again would differ only by
the model's rounding, which moves a little with the other texts of its batch (the 8-bit encoder
quantises its activations per batch).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np

# Bytes a cached sentence costs beside its codes: its 16-byte digest as a bytes object, the
# row number and the dict's slot (~120 B), and its float32 scale.
ENTRY_OVERHEAD = 124


def sentence_key(text: str) -> bytes:
    """The digest a sentence is cached under (128 bits: no collection meets a collision)."""
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


class SentenceCache:
    """int8 codes and scales of sentences by `sentence_key`, for at most `max_bytes`."""

    def __init__(self, dimension: int, max_bytes: int) -> None:
        self.dimension = dimension
        self.capacity = max(int(max_bytes) // (dimension + ENTRY_OVERHEAD), 0)
        self._rows: dict[bytes, int] = {}
        self._codes = np.zeros((0, dimension), dtype=np.int8)
        self._scales = np.zeros(0, dtype=np.float32)

    def __len__(self) -> int:
        return len(self._rows)

    def find(self, keys: Sequence[bytes]) -> np.ndarray:
        """int64[len(keys)]: each key's row in the cache, or -1."""
        rows = self._rows
        return np.fromiter((rows.get(k, -1) for k in keys), dtype=np.int64, count=len(keys))

    def vectors(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(int8 codes, float32 scales) of cached rows."""
        return self._codes[rows], self._scales[rows]

    def add(self, keys: Sequence[bytes], codes: np.ndarray, scales: np.ndarray) -> None:
        """Keep these sentences' codes while there is room; the rest are dropped."""
        room = self.capacity - len(self._rows)
        fresh = [i for i, k in enumerate(keys) if k not in self._rows][: max(room, 0)]
        if not fresh:
            return
        start = len(self._rows)
        self._grow(start + len(fresh))
        self._codes[start : start + len(fresh)] = codes[fresh]
        self._scales[start : start + len(fresh)] = scales[fresh]
        for offset, i in enumerate(fresh):
            self._rows[keys[i]] = start + offset

    def _grow(self, needed: int) -> None:
        if needed <= len(self._scales):
            return
        size = min(max(needed, 2 * len(self._scales), 4096), self.capacity)
        codes = np.zeros((size, self.dimension), dtype=np.int8)
        scales = np.zeros(size, dtype=np.float32)
        codes[: len(self._codes)] = self._codes
        scales[: len(self._scales)] = self._scales
        self._codes, self._scales = codes, scales
