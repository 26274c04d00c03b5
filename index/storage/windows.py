"""Embedding a large part in windows, each kept on disk as soon as it is done.

A part is the documents of one segment (build.py); one large file is a part alone. Embedded in
one go, its passage vectors, sentence codes and the sentence table would all sit in memory until
the segment is written, and a kill would lose every vector made so far. So a part whose passages
hold more than a window of text is embedded a window at a time (consecutive passages of about
`window_chars` characters):

    HOME/embedding/<sha256>.npz   one window's passage vectors and sentences, named by what made
                                  them (the ingest key) and the window's passages (document,
                                  offsets, text); written under a temporary name, fsynced, renamed

An ingest that starts again after a kill chunks the same files into the same windows and finds
the finished ones by name, so it embeds only the rest. The windows are then appended, one at a
time, to .npy files that the segment writer links into the segment (never reading them through
the process), and removed once the segment is written. A finished ingest removes any window left
by an abandoned one.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from citeqa.corpus import Passage
from citeqa.index.encoder.base import INGEST_BATCH_SIZE, Encoder
from citeqa.index.retrieval.sentence_cache import SentenceCache
from citeqa.index.retrieval.sentences import SentenceVectors, embed_passages

from .files import fsync_dir, sync

WINDOWS_DIR = "embedding"
# Passage text per window at most: about 2,000 passages, a few minutes of embedding on 2 cores,
# and about 30 MB of vectors and sentence codes held at a time.
WINDOW_CHARS = 2_000_000


def windows_of(passages: Sequence[Passage], window_chars: int) -> list[range]:
    """Consecutive row ranges of `passages`, each holding about `window_chars` characters of
    text (at least one passage)."""
    out, start, chars = [], 0, 0
    for row, passage in enumerate(passages):
        chars += len(passage.text)
        if chars >= window_chars:
            out.append(range(start, row + 1))
            start, chars = row + 1, 0
    if start < len(passages) or not out:
        out.append(range(start, len(passages)))
    return out


def window_name(key: dict[str, Any], passages: Sequence[Passage]) -> str:
    """The file name of a window: what made its vectors and exactly which texts they embed."""
    digest = hashlib.sha256(json.dumps(key, sort_keys=True).encode())
    for p in passages:
        digest.update(f"\0{p.doc_id}\0{p.start}\0{p.end}\0".encode())
        digest.update(p.text.encode("utf-8", "surrogatepass"))
    return digest.hexdigest() + ".npz"


@dataclass
class Embedded:
    """A part's vectors: row i of `vectors` embeds passage i; `resumed`: passages whose vectors
    came from windows an interrupted ingest had finished."""

    vectors: np.ndarray
    sentences: SentenceVectors | None
    resumed: int = 0


# (passages embedded, sentences embedded, share of the part's embedding now done)
OnEmbedded = Callable[[int, int, float], None]


def embed_part(
    passages: Sequence[Passage],
    encoder: Encoder,
    home: Path,
    key: dict[str, Any],
    *,
    batch_size: int = INGEST_BATCH_SIZE,
    sentences: bool = True,
    sentence_encoder: Encoder | None = None,
    cache: SentenceCache | None = None,
    window_chars: int = WINDOW_CHARS,
    on_embedded: OnEmbedded | None = None,
    on_resumed: Callable[[int, float], None] | None = None,
) -> Embedded:
    """Passage vectors (and sentence vectors) of `passages`, in windows when there are more
    than one: then the arrays are memory maps of files under HOME/embedding, to be used inside
    `assembling(...)`, which removes them. Sentences found in `cache` are not embedded again."""
    windows = windows_of(passages, window_chars)
    if len(windows) == 1:
        vectors, found = _embed(
            passages, encoder, batch_size, sentences, sentence_encoder, cache, on_embedded, 1.0
        )
        return Embedded(vectors, found)
    folder = home / WINDOWS_DIR
    folder.mkdir(parents=True, exist_ok=True)
    out = _Assembly(Path(tempfile.mkdtemp(prefix=".assembling-", dir=folder)), encoder.dimension)
    resumed = 0
    for rows in windows:
        share = len(rows) / len(passages)
        window = passages[rows.start : rows.stop]
        path = folder / window_name(key, window)
        kept = _read_window(path, encoder.dimension, len(window), sentences)
        if kept is None:
            vectors, found = _embed(
                window, encoder, batch_size, sentences, sentence_encoder, cache, on_embedded, share
            )
            _write_window(path, vectors, found)
        else:
            vectors, found = kept
            resumed += len(window)
            if on_resumed:
                on_resumed(len(window), share)
        out.append(rows.start, vectors, found)
        del vectors, found
    vectors, found = out.finish(len(passages), sentences)
    return Embedded(vectors, found, resumed)


@contextmanager
def assembling(
    home: Path, passages: Sequence[Passage], key: dict[str, Any], window_chars: int
) -> Iterator[None]:
    """Around `embed_part` and the segment's write: afterwards the assembled copies are removed,
    and, when the segment was written, the part's windows too (after a failure they stay, for
    the next ingest to resume from)."""
    folder = home / WINDOWS_DIR
    try:
        yield
        if folder.is_dir():
            for rows in windows_of(passages, window_chars):
                window = passages[rows.start : rows.stop]
                (folder / window_name(key, window)).unlink(missing_ok=True)
    finally:
        for leftover in folder.glob(".assembling-*") if folder.is_dir() else ():
            shutil.rmtree(leftover, ignore_errors=True)


def clear_windows(home: Path) -> None:
    """Remove every window and assembly (a finished ingest: none of them is needed again)."""
    shutil.rmtree(home / WINDOWS_DIR, ignore_errors=True)


def _embed(
    passages: Sequence[Passage],
    encoder: Encoder,
    batch_size: int,
    sentences: bool,
    sentence_encoder: Encoder | None,
    cache: SentenceCache | None,
    on_embedded: OnEmbedded | None,
    share: float,
) -> tuple[np.ndarray, SentenceVectors | None]:
    """embed_passages, its progress told as this window's `share` of the part: by the sentences
    embedded when there are sentences (the passages' vectors are made from them; done when all
    were cached), else by the passages."""
    total = max(len(passages), 1)

    def told(passages_done: int, sentences_done: int, sentences_total: int) -> None:
        if on_embedded is None:
            return
        if not sentences:
            part = passages_done / total
        elif sentences_total:
            part = sentences_done / sentences_total
        else:  # every sentence was in the cache: done when the passages' vectors are
            part = 1.0 if passages_done else 0.0
        on_embedded(passages_done, sentences_done, part * share)

    return embed_passages(
        passages,
        encoder,
        batch_size,
        sentences=sentences,
        sentence_encoder=sentence_encoder,
        cache=cache,
        on_embedded=told,
    )


def _write_window(path: Path, vectors: np.ndarray, found: SentenceVectors | None) -> None:
    arrays: dict[str, Any] = {"vectors": np.asarray(vectors, dtype=np.float32)}
    if found is not None:
        codes, scales = found.quantised()
        arrays |= {"codes": codes, "scales": scales, "rows": np.asarray(found.rows, np.int32)}
    tmp = path.with_name(f".{path.name}.tmp")
    with tmp.open("wb") as f:
        np.savez(f, **arrays)
        sync(f)
    os.replace(tmp, path)
    fsync_dir(path.parent)


def _read_window(
    path: Path, dimension: int, rows: int, sentences: bool
) -> tuple[np.ndarray, SentenceVectors | None] | None:
    """A finished window's arrays, or None when it is missing, damaged or of another shape."""
    try:
        with np.load(path) as data:
            vectors = data["vectors"]
            if vectors.shape != (rows, dimension) or sentences != ("codes" in data):
                return None
            if not sentences:
                return vectors, None
            found = SentenceVectors(data["codes"], data["rows"], rows, data["scales"])
            return vectors, found
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile):
        return None


# Bytes kept ahead of each assembled file's data for its .npy header, written when the file is
# complete: numpy's version 1.0 header takes 128 for every 1- and 2-D shape up to 10^15 rows.
NPY_HEADER = 128


class _Assembly:
    """The windows of a part, appended to .npy files in `folder`, read back as memory maps.
    The segment's files are these ones, linked (files.save_array), not copies read through
    this process."""

    def __init__(self, folder: Path, dimension: int) -> None:
        self.folder, self.dimension = folder, dimension
        self.sentence_rows = 0

    def _append(self, name: str, array: np.ndarray) -> None:
        with (self.folder / name).open("ab") as f:
            if f.tell() == 0:
                f.write(bytes(NPY_HEADER))
            f.write(np.ascontiguousarray(array).tobytes())

    def append(self, first_row: int, vectors: np.ndarray, found: SentenceVectors | None) -> None:
        self._append("vectors.npy", np.asarray(vectors, dtype=np.float32))
        if found is not None:
            codes, scales = found.quantised()
            rows = np.array(found.rows, dtype=np.int32)
            rows[:, 0] += first_row  # window rows -> part rows
            self._append("codes.npy", codes)
            self._append("scales.npy", np.asarray(scales, dtype=np.float32))
            self._append("rows.npy", rows)
            self.sentence_rows += len(rows)

    def finish(self, passages: int, sentences: bool) -> tuple[np.ndarray, SentenceVectors | None]:
        vectors = self._map("vectors.npy", np.float32, (passages, self.dimension))
        if not sentences:
            return vectors, None
        n = self.sentence_rows
        found = SentenceVectors(
            self._map("codes.npy", np.int8, (n, self.dimension)),
            self._map("rows.npy", np.int32, (n, 3)),
            passages,
            self._map("scales.npy", np.float32, (n,)),
        )
        return vectors, found

    def _map(self, name: str, dtype: type, shape: tuple[int, ...]) -> np.ndarray:
        if not shape[0]:
            return np.zeros(shape, dtype=dtype)
        header = io.BytesIO()
        fields = {"descr": np.lib.format.dtype_to_descr(np.dtype(dtype)), "fortran_order": False}
        np.lib.format.write_array_header_1_0(header, fields | {"shape": shape})
        if len(header.getvalue()) != NPY_HEADER:
            raise ValueError(f"a .npy header of {len(header.getvalue())} bytes for {shape}")
        path = self.folder / name
        with path.open("rb+") as f:
            f.write(header.getvalue())
        mapped = np.load(path, mmap_mode="r")
        if mapped.shape != shape:
            raise ValueError(f"{path} holds {mapped.shape}, not {shape}")
        return mapped
