"""A segment: an immutable slice of the index (documents, passages, vectors, BM25) on disk.

An index version is a list of segments plus which documents each one holds live (manifest.py).
Adding documents writes one new segment sized by what was added; replacing or removing one only
changes which segment the version reads it from, so a write costs what changed, not the index.
Small segments are merged in the background (`merge.compact`).

    segments/<name>/segment.json     sequence number, rows, model fingerprint, where vectors are
    segments/<name>/texts.bin, ...   the documents and passages, memory-mapped (textstore.py)
    segments/<name>/vectors.npy      float32[rows, dimension], L2-normalised
    segments/<name>/sentences.npy    the passages' sentences embedded (retrieval/sentences.py), and
    segments/<name>/sentence_rows.npy  which passage and span each one is (and, for int8 codes,
    segments/<name>/sentence_scales.npy  each one's scale)
    segments/<name>/keyword/         BM25 over the rows (bm25s)
    segments/<name>/ivf.faiss        above retrieval.dense.FLAT_LIMIT rows: the ANN index
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from citeqa.corpus import Document, Passage
from citeqa.index.retrieval.dense import DenseIndex, open_dense_index, write_dense_index
from citeqa.index.retrieval.keyword import KeywordIndex, keyword_texts
from citeqa.index.retrieval.sentences import (
    SENTENCE_ROWS_FILE,
    SENTENCE_SCALES_FILE,
    SENTENCES_FILE,
    SentenceVectors,
    load_sentences,
)
from citeqa.index.vectorstores.base import VectorStore

from .files import fsync_dir, save_array, sync
from .textstore import TEXT_FILES, Documents, Passages, TextStore

SEGMENT_FILE = "segment.json"


@dataclass
class Segment:
    """A loaded segment. Row i of `vectors` embeds `passages[i]`; ids are (seq << 32) | row."""

    name: str
    path: Path
    seq: int
    texts: TextStore = field(repr=False)
    # float32[rows, d], a read-only memory map, and the dense index over it; both None when the
    # vectors live in an external vector store (Milvus) under `ids`.
    vectors: np.ndarray | None = field(repr=False)
    dense: DenseIndex | None = field(repr=False)
    keyword: KeywordIndex = field(repr=False)
    # The passages' sentence vectors, memory-mapped; None when the index was built without them.
    sentences: SentenceVectors | None = field(default=None, repr=False)
    passages: Passages = field(init=False, repr=False)  # each read when indexed
    documents: Documents = field(init=False, repr=False)  # each read when looked up

    def __post_init__(self) -> None:
        self.passages, self.documents = Passages(self.texts), Documents(self.texts)

    @property
    def rows(self) -> int:
        return self.texts.rows

    def ids(self, rows: np.ndarray | range) -> np.ndarray:
        """The passage ids of these rows: (seq << 32) | row."""
        return passage_ids(self.seq, np.asarray(rows, dtype=np.int64))


def passage_ids(seq: int, rows: np.ndarray) -> np.ndarray:
    return (np.int64(seq) << np.int64(32)) | rows.astype(np.int64)


def segment_name(seq: int) -> str:
    return f"{seq:08d}-{secrets.token_hex(3)}"


def write_segment(
    folder: Path,
    name: str,
    seq: int,
    docs: list[Document],
    passages: Sequence[Passage],
    vectors: np.ndarray,
    fingerprint: str,
    ivf_from: Path | None = None,
    store: VectorStore | None = None,
    sentences: SentenceVectors | None = None,
) -> Path:
    """Write a segment under `folder/name` (via a hidden temporary folder, fsynced, renamed).

    `ivf_from`: an older segment whose trained IVF is reused instead of training again.
    `store`: an external vector store that takes the vectors instead of the segment's files
    (before the segment is sealed; rows a failure leaves there belong to no version).
    `sentences`: the passages' sentence vectors, kept in the segment's files with either store.
    A failure removes what was written."""
    folder.mkdir(parents=True, exist_ok=True)
    tmp, final = folder / f".tmp-{name}", folder / name
    tmp.mkdir()
    try:
        TextStore.build(docs, passages).write(tmp)
        if store is None:
            save_array(tmp / "vectors.npy", vectors)
            write_dense_index(vectors, tmp, ivf_from)
        else:
            ids = passage_ids(seq, np.arange(len(passages)))
            for start in range(0, len(ids), 8192):
                part = slice(start, start + 8192)
                store.add(ids[part], [p.doc_id for p in passages[part]], vectors[part])
        if sentences is not None:
            for file_name, array in sentences.files().items():
                save_array(tmp / file_name, array)
        KeywordIndex.build(keyword_texts(docs, passages)).save(tmp / "keyword")
        for written in (tmp / "keyword").iterdir():
            with written.open("rb+") as f:
                sync(f)
        fsync_dir(tmp / "keyword")
        return seal_segment(
            tmp,
            final,
            seq,
            len(passages),
            fingerprint,
            store is not None,
        )
    except BaseException:
        # Removed at once, giving back the space a full disk needs; nothing refers to it yet.
        shutil.rmtree(tmp, ignore_errors=True)
        shutil.rmtree(final, ignore_errors=True)
        raise


def seal_segment(
    tmp: Path,
    final: Path,
    seq: int,
    rows: int,
    fingerprint: str,
    in_store: bool = False,
) -> Path:
    """Write segment.json into the finished folder `tmp`, fsync it and rename it to `final`."""
    meta = {
        "name": final.name,
        "seq": seq,
        "rows": rows,
        "model_fingerprint": fingerprint,
        "vectors": "store" if in_store else "file",
    }
    with (tmp / SEGMENT_FILE).open("w") as f:
        json.dump(meta, f)
        sync(f)
    fsync_dir(tmp)
    os.rename(tmp, final)
    fsync_dir(final.parent)
    return final


def segment_looks_whole(path: Path, dimension: int) -> bool:
    """A cheap check (headers and sizes, no texts) that a segment's files are all there."""
    try:
        meta = json.loads((path / SEGMENT_FILE).read_text())
        if not all((path / f).exists() for f in (*TEXT_FILES, "keyword")):
            return False
        if TextStore.open(path).rows != meta["rows"]:  # maps the files, reads no text
            return False
        if (path / SENTENCES_FILE).exists():
            sentences = np.load(path / SENTENCES_FILE, mmap_mode="r")
            sentence_rows = np.load(path / SENTENCE_ROWS_FILE, mmap_mode="r")
            if sentences.shape != (len(sentence_rows), dimension):
                return False
            if sentences.dtype == np.int8:
                scales = np.load(path / SENTENCE_SCALES_FILE, mmap_mode="r")
                if scales.shape != (len(sentences),):
                    return False
        if meta.get("vectors") == "store":
            return True
        vectors = np.load(path / "vectors.npy", mmap_mode="r")  # fails when truncated
        return bool(vectors.shape == (meta["rows"], dimension))
    except (OSError, ValueError, KeyError, TypeError):
        return False


def load_segment(path: Path, dimension: int) -> Segment:
    """A segment from disk (ValueError, OSError, KeyError... when its files are damaged)."""
    meta = json.loads((path / SEGMENT_FILE).read_text())
    texts = open_texts(path)
    rows = texts.rows
    if meta["rows"] != rows:
        raise ValueError(f"segment {path.name}: {rows} passages of {meta['rows']}")
    keyword = KeywordIndex.load(path / "keyword", rows)
    sentences = load_sentences(path, rows, dimension)
    seq = int(meta["seq"])
    if meta.get("vectors") == "store":
        return Segment(path.name, path, seq, texts, None, None, keyword, sentences)
    vectors = np.asarray(np.load(path / "vectors.npy", mmap_mode="r"))  # shared by workers
    if vectors.shape != (rows, dimension):
        raise ValueError(
            f"segment {path.name}: {vectors.shape[0]} vectors of {vectors.shape[1]} for "
            f"{rows} passages (expected {dimension})"
        )
    dense = open_dense_index(path, vectors)
    return Segment(path.name, path, seq, texts, vectors, dense, keyword, sentences)


def open_texts(path: Path) -> TextStore:
    """The texts of the segment at `path`, memory-mapped."""
    return TextStore.open(path)


def stored_rows(path: Path) -> tuple[int, int, bool]:
    """(seq, rows, vectors in an external store) of the segment at `path`."""
    meta = json.loads((path / SEGMENT_FILE).read_text())
    return int(meta["seq"]), int(meta["rows"]), meta.get("vectors") == "store"
