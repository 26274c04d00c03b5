"""Sentence vectors beside a segment's passage vectors, for sentence-level dense scoring.

A passage of 180 words mixes several topics, and its one vector blurs them: a question about one
sentence of it can find the passage far down the dense ranking. Each passage is also split into
sentences with the highlight's splitter (`corpus.sentences.split_sentences`), each sentence
embedded by the same encoder, and search scores a candidate passage by its own cosine and its best
sentence's (search.py, fusion.py).

    segments/<name>/sentences.npy       int8[sentences, d]: each L2-normalised vector divided by
                                        its scale and rounded; memory-mapped. A quarter of float32
                                        on disk and in the page cache, and, unlike float16, cheap
                                        to widen on the query path (numpy widens float16 slowly:
                                        0.2-0.4 ms a question for ~500 candidate sentences)
    segments/<name>/sentence_scales.npy float32[sentences]: vector i = sentences[i] * scales[i]
    segments/<name>/sentence_rows.npy   int32[sentences, 3]: (passage row in the segment, start,
                                        end) with offsets into the passage text; sorted by row

An index built without sentence vectors (`BuildOptions.sentence_vectors`) has neither file: its
passages are scored by their own cosine only. A merge copies the sentences of the rows it keeps.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from citeqa.corpus import Passage
from citeqa.corpus.sentences import split_sentences
from citeqa.index.encoder.base import INGEST_BATCH_SIZE, Encoder

from .sentence_cache import SentenceCache, sentence_key

SENTENCES_FILE = "sentences.npy"
SENTENCE_ROWS_FILE = "sentence_rows.npy"
SENTENCE_SCALES_FILE = "sentence_scales.npy"


def quantise(vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(int8 codes, float32 scales) with vectors[i] ≈ codes[i] * scales[i]: each vector's largest
    component maps to ±127 (for unit vectors, cosines move by about 1e-4)."""
    vectors = np.asarray(vectors, dtype=np.float32)
    scales = np.abs(vectors).max(axis=1, initial=0.0) / 127
    scales[scales == 0] = 1.0
    codes = np.rint(vectors / scales[:, None]).astype(np.int8)
    return codes, scales.astype(np.float32)


def passage_sentences(text: str) -> list[tuple[int, int]]:
    """The sentence spans of a passage as the highlight and abstention see them."""
    return split_sentences(text) or [(0, len(text))]


@dataclass
class SentenceVectors:
    """The sentences of a segment's passages: `vectors[i]` (times `scales[i]`) embeds passage
    `rows[i, 0]`'s text `[rows[i, 1]:rows[i, 2]]`. `starts[r]:starts[r + 1]` are passage r's
    sentences."""

    # int8 codes with `scales` (often a memory map), or float32 vectors without
    vectors: np.ndarray = field(repr=False)
    rows: np.ndarray = field(repr=False)  # int32[n, 3]
    passages: int  # rows of the segment
    scales: np.ndarray | None = field(default=None, repr=False)  # float32[n] for int8 codes
    starts: np.ndarray = field(init=False, repr=False)  # int64[passages + 1]

    def __post_init__(self) -> None:
        if len(self.vectors) != len(self.rows) or self.rows.ndim != 2 or self.rows.shape[1] != 3:
            raise ValueError(
                f"{len(self.vectors)} sentence vectors for sentence rows of shape {self.rows.shape}"
            )
        if (self.scales is not None) != (self.vectors.dtype == np.int8) or (
            self.scales is not None and len(self.scales) != len(self.vectors)
        ):
            raise ValueError("int8 sentence vectors need one scale each (and only they)")
        owners = np.asarray(self.rows[:, 0], dtype=np.int64)
        if owners.size and (np.any(np.diff(owners) < 0) or owners[-1] >= self.passages):
            raise ValueError("sentence rows are not sorted passage rows of this segment")
        self.starts = np.searchsorted(owners, np.arange(self.passages + 1), side="left")

    def __len__(self) -> int:
        return len(self.rows)

    def cosines(self, taken: np.ndarray, query: np.ndarray) -> np.ndarray:
        """float32: the cosines between `query` (float32[d]) and sentences `taken`."""
        if self.scales is None:
            return np.asarray(self.vectors[taken], dtype=np.float32) @ query
        return (self.vectors[taken].astype(np.float32) @ query) * self.scales[taken]

    def quantised(self) -> tuple[np.ndarray, np.ndarray]:
        """(int8 codes, scales) of all the sentences; stored codes as they are (a memory map
        stays one, so that writing it need not read it into memory)."""
        if self.scales is not None:
            return self.vectors, self.scales
        return quantise(self.vectors)

    def of_passages(self, start: int, end: int, new_start: int) -> SentenceVectors:
        """The sentences of passage rows [start, end), renumbered from `new_start` (a merge)."""
        a, b = int(self.starts[start]), int(self.starts[end])
        rows = np.array(self.rows[a:b], dtype=np.int32)
        rows[:, 0] += new_start - start
        scales = None if self.scales is None else np.asarray(self.scales[a:b])
        return SentenceVectors(np.asarray(self.vectors[a:b]), rows, new_start + end - start, scales)

    def files(self) -> dict[str, np.ndarray]:
        """The segment's three sentence files (name -> array), as the segment writer saves them."""
        codes, scales = self.quantised()
        rows = self.rows if self.rows.dtype == np.int32 else self.rows.astype(np.int32)
        return {SENTENCES_FILE: codes, SENTENCE_SCALES_FILE: scales, SENTENCE_ROWS_FILE: rows}


def concatenate(parts: Sequence[SentenceVectors], passages: int, dimension: int) -> SentenceVectors:
    """Parts already renumbered into one segment of `passages` rows, in row order."""
    if not parts:
        codes, scales = np.zeros((0, dimension), np.int8), np.zeros(0, np.float32)
        return SentenceVectors(codes, np.zeros((0, 3), np.int32), passages, scales)
    # An int8 part re-quantises to the same codes: its largest code is ±127 already.
    quantised = [p.quantised() for p in parts]
    return SentenceVectors(
        np.concatenate([codes for codes, _ in quantised]),
        np.concatenate([p.rows for p in parts]),
        passages,
        np.concatenate([scales for _, scales in quantised]),
    )


def load_sentences(folder: Path, passages: int, dimension: int) -> SentenceVectors | None:
    """The segment's sentence vectors, memory-mapped, or None for a segment written without."""
    if not (folder / SENTENCES_FILE).is_file():
        return None
    # Plain views of the maps: numpy's memmap subclass costs per indexing on the query path.
    vectors = np.asarray(np.load(folder / SENTENCES_FILE, mmap_mode="r"))
    rows = np.asarray(np.load(folder / SENTENCE_ROWS_FILE, mmap_mode="r"))
    if vectors.dtype != np.int8:
        raise ValueError(f"{SENTENCES_FILE} holds {vectors.dtype}, not int8 codes")
    scales = np.asarray(np.load(folder / SENTENCE_SCALES_FILE, mmap_mode="r"))
    if vectors.ndim != 2 or vectors.shape[1] != dimension:
        raise ValueError(f"{SENTENCES_FILE} has shape {vectors.shape}, expected [n, {dimension}]")
    return SentenceVectors(vectors, rows, passages, scales)


# Text tokenised and encoded at a time, in characters: bounds the tokenizer's and the float
# vectors' memory and how often progress is reported (~250 passages or ~3,000 sentences: a few
# seconds on 2 cores when the machine is quiet, a minute when it is loaded). Each slice ends with
# its last batches running on fewer threads than there are: slices of 256 sentences (~8 batches)
# encoded them at 0.90× the rate of slices of 1,024 or more.
SLICE_CHARS = 250_000

# Cached sentences put into their rows and passages at a time: each costs ~5 KB of float
# copies while it is (its vector repeated into every row that holds it, then weighted).
KNOWN_SLICE = 4096


def slices(lengths: Sequence[int], budget: int = SLICE_CHARS) -> Iterator[np.ndarray]:
    """Indices of texts of these lengths, longest first, in runs of about `budget` characters
    (at least one text each)."""
    order = np.argsort([-n for n in lengths], kind="stable")
    ends = np.cumsum(np.asarray(lengths, dtype=np.int64)[order])
    start = 0
    while start < len(order):
        stop = int(np.searchsorted(ends, ends[start] - lengths[order[start]] + budget, "right"))
        stop = max(stop, start + 1)
        yield order[start:stop]
        start = stop


def embed_passages(
    passages: Sequence[Passage],
    encoder: Encoder,
    batch_size: int = INGEST_BATCH_SIZE,
    *,
    sentences: bool = True,
    sentence_encoder: Encoder | None = None,
    cache: SentenceCache | None = None,
    on_embedded: Callable[[int, int, int], None] | None = None,
) -> tuple[np.ndarray, SentenceVectors | None]:
    """float32[len(passages), d] passage vectors and, with `sentences`, the passages'
    sentences embedded (by `sentence_encoder`, default `encoder`; rows in passage order).

    With `sentences` only sentences go through the model: a passage's vector is the mean of its
    sentences' vectors weighted by their length in characters, L2-normalised. The encoder's own
    pooling is a mean over word pieces too, so this stays close to the passage embedded whole
    (cosine 0.91 on SciFact's passages) and retrieval scores the same or better on every set
    measured (docs/evaluation.md, "What was tried"), while the model reads each word piece once
    instead of twice: half the time of an ingest, which is nearly all embedding
    (docs/benchmarks.md). A sentence repeated in the overlap of neighbouring passages (or
    anywhere else) is embedded once, and one in `cache` (embedded earlier in the same ingest:
    sentence_cache.py) not at all. Without `sentences` the passages are embedded whole.

    Texts go longest first in slices of SLICE_CHARS, each cut into batches of one length
    (onnx.token_budget_batches); sentence vectors are quantised slice by slice, so no float32
    matrix of all sentences is ever held. `on_embedded(passages, sentences, sentences to embed)`
    is called with the counts of each slice as it is done, and once more with the passages when
    their vectors are made."""
    texts = [p.text for p in passages]
    if not sentences:
        return _encode_slices(encoder, texts, batch_size, on_embedded), None
    rows = [
        (row, start, end)
        for row, passage in enumerate(passages)
        for start, end in passage_sentences(passage.text)
    ]
    table = np.array(rows, dtype=np.int32).reshape(-1, 3)
    del rows
    first: dict[str, int] = {}  # sentence text -> its distinct index
    owner = np.empty(len(table), dtype=np.int64)
    for i, (row, start, end) in enumerate(table.tolist()):
        owner[i] = first.setdefault(texts[row][start:end], len(first))
    distinct = list(first)
    del first
    # Each distinct sentence's rows, so its codes go straight to them (no all-sentences copy).
    by_owner = np.argsort(owner, kind="stable")
    counts = np.bincount(owner, minlength=len(distinct))
    firsts = np.cumsum(counts) - counts
    codes = np.zeros((len(table), encoder.dimension), dtype=np.int8)
    scales = np.ones(len(table), dtype=np.float32)
    sums = np.zeros((len(passages), encoder.dimension), dtype=np.float32)
    weights = (table[:, 2] - table[:, 1]).astype(np.float32)

    def put(at: np.ndarray, part_codes: np.ndarray, part_scales: np.ndarray) -> None:
        """Codes of distinct sentences `at`, into every row they appear in and, as vectors
        weighted by length, into their passages' sums."""
        taken = by_owner[ranges(firsts[at], counts[at])]
        codes[taken] = np.repeat(part_codes, counts[at], axis=0)
        scales[taken] = np.repeat(part_scales, counts[at])
        stored = part_codes.astype(np.float32) * part_scales[:, None]
        weighted = np.repeat(stored, counts[at], axis=0) * weights[taken, None]
        np.add.at(sums, table[taken, 0], weighted)

    todo = np.arange(len(distinct))
    keys: list[bytes] = []
    if cache is not None:
        keys = [sentence_key(text) for text in distinct]
        cached = cache.find(keys)
        known = np.flatnonzero(cached >= 0)
        for begin in range(0, known.size, KNOWN_SLICE):  # a window all cached: ~70 MB a go
            at = known[begin : begin + KNOWN_SLICE]
            put(at, *cache.vectors(cached[at]))
        todo = np.flatnonzero(cached < 0)
    by = sentence_encoder or encoder
    for picked in slices([len(distinct[i]) for i in todo]):
        at = todo[picked]
        part_codes, part_scales = quantise(by.encode([distinct[i] for i in at], batch_size))
        put(at, part_codes, part_scales)
        if cache is not None:
            cache.add([keys[i] for i in at], part_codes, part_scales)
        if on_embedded:
            on_embedded(0, len(at), len(todo))
    norms = np.linalg.norm(sums, axis=1, keepdims=True)
    vectors = sums / np.where(norms > 0, norms, 1.0)
    if on_embedded:
        on_embedded(len(passages), 0, len(todo))
    return vectors, SentenceVectors(codes, table, len(passages), scales)


def _encode_slices(
    encoder: Encoder,
    texts: list[str],
    batch_size: int,
    done: Callable[[int, int, int], None] | None,
) -> np.ndarray:
    """`encoder.encode(texts)` longest first in slices of SLICE_CHARS; `done(n, 0, 0)` after
    each."""
    vectors = np.empty((len(texts), encoder.dimension), dtype=np.float32)
    for rows in slices([len(t) for t in texts]):
        vectors[rows] = encoder.encode([texts[i] for i in rows], batch_size)
        if done:
            done(len(rows), 0, 0)
    return vectors


def ranges(firsts: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """int64: firsts[0] .. firsts[0] + counts[0] - 1, then the same for each next pair."""
    total = int(counts.sum())
    before = np.cumsum(counts) - counts
    return np.repeat(firsts - before, counts) + np.arange(total, dtype=np.int64)


@dataclass(frozen=True)
class SentenceScores:
    """Cosines between a question and the sentences of some passages (global rows, in order):
    passage i's sentences are [bounds[i], bounds[i + 1]) (none for a passage of an older
    segment)."""

    bounds: np.ndarray  # int64[passages + 1]
    spans: np.ndarray  # int32[n, 2]: offsets into the passage text
    cosines: np.ndarray  # float32[n]

    def best(self) -> np.ndarray:
        """float32[passages]: each passage's best sentence cosine; NaN where it has none."""
        out = np.full(len(self.bounds) - 1, np.nan, dtype=np.float32)
        has = np.flatnonzero(np.diff(self.bounds) > 0)
        if has.size:
            out[has] = np.maximum.reduceat(self.cosines, self.bounds[:-1][has])
        return out

    def of(self, i: int) -> list[tuple[int, int, float]]:
        """Passage i's sentences as (start, end, cosine)."""
        a, b = int(self.bounds[i]), int(self.bounds[i + 1])
        return [
            (int(s), int(e), float(c))
            for (s, e), c in zip(self.spans[a:b].tolist(), self.cosines[a:b].tolist(), strict=True)
        ]
