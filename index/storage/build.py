"""Writing a new index version: chunk and embed what is new, keep the rest as it is.

New documents arrive in parts (`Part`), each chunked, embedded and written as a segment of its
own before the next is read, so an ingest holds one part's passages and vectors at a time
whatever its size. A part's segment is listed as staged (staging.py) as soon as it is written:
a killed ingest resumes from there. One version is published at the end.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from citeqa.corpus import LOADER_VERSION, ChunkedPassages, ChunkSettings, Document
from citeqa.index.encoder.base import INGEST_BATCH_SIZE, Encoder
from citeqa.index.retrieval.sentence_cache import SentenceCache
from citeqa.index.vectorstores.base import VectorStore

from .manifest import (
    FORMAT_VERSION,
    Manifest,
    collect_garbage,
    new_version_name,
    publish,
    publishing,
    store_kind,
)
from .progress import IngestProgress
from .segment import segment_name, write_segment
from .staging import Staged, StagedSegment, write_staged
from .windows import WINDOW_CHARS, assembling, embed_part

# Memory for the codes of sentences already embedded by a write, so that text repeated across
# its windows, parts and files is embedded once: 64 MB holds ~127k sentences of MiniLM.
SENTENCE_CACHE_MB = 64.0


@dataclass
class Part:
    """Documents embedded together into one segment; `nbytes`: their files' bytes (the unit of
    the progress bar)."""

    documents: list[Document]
    nbytes: int


def ingest_key(
    encoder: Encoder,
    chunking: ChunkSettings,
    store: VectorStore | None,
    sentence_vectors: bool,
    sentence_encoder: Encoder | None,
) -> dict[str, Any]:
    """What makes a segment's rows: staged segments are reused only under the same key."""
    return {
        "format_version": FORMAT_VERSION,
        "loader_version": LOADER_VERSION,
        "model_fingerprint": encoder.fingerprint,
        "chunking": asdict(chunking),
        "vector_store": store_kind(store),
        "sentences": (sentence_encoder or encoder).fingerprint if sentence_vectors else None,
        "passage_vectors": "sentence mean" if sentence_vectors else "encoded",
    }


@dataclass
class Written:
    """A segment of new documents: made by this write, or resumed from an interrupted one."""

    name: str
    rows: int
    documents: dict[str, str]  # doc id -> sha256 of its file
    passages: dict[str, int]  # doc id -> passages


def build_index(
    fresh: Sequence[Document],
    kept: Iterable[str],
    encoder: Encoder,
    home: Path,
    chunking: ChunkSettings,
    previous: Manifest | None = None,
    *,
    roots: Sequence[Path] = (),
    batch_size: int = INGEST_BATCH_SIZE,
    progress: IngestProgress | None = None,
    keep_versions: int = 3,
    store: VectorStore | None = None,
    sentence_vectors: bool = True,
    sentence_encoder: Encoder | None = None,
    sentence_cache_mb: float = SENTENCE_CACHE_MB,
) -> Manifest:
    """Publish a new current version: `previous`'s documents named in `kept` as they are (not
    read, not re-embedded) and the `fresh` documents chunked and embedded into a new segment.

    `previous` must be compatible (`is_compatible`); with None every document must be fresh.
    The cost is that of the fresh documents, whatever the size of the index.
    """
    written: list[Path] = []
    with publishing(home, written):
        made = write_parts(
            [Part(list(fresh), sum(len(d.text) for d in fresh))],
            home,
            encoder,
            chunking,
            first_seq=previous.next_seq() if previous else 1,
            batch_size=batch_size,
            progress=progress,
            store=store,
            sentence_vectors=sentence_vectors,
            sentence_encoder=sentence_encoder,
            written=written,
            sentence_cache_mb=sentence_cache_mb,
        )
        manifest = new_manifest(encoder, chunking, previous, kept, made, roots, store)
        publish(home, manifest)
    collect_garbage(home, keep_versions, store)
    return manifest


def write_parts(
    parts: Iterable[Part],
    home: Path,
    encoder: Encoder,
    chunking: ChunkSettings,
    *,
    first_seq: int,
    batch_size: int = INGEST_BATCH_SIZE,
    progress: IngestProgress | None = None,
    store: VectorStore | None = None,
    sentence_vectors: bool = True,
    sentence_encoder: Encoder | None = None,
    staged: Staged | None = None,
    written: list[Path] | None = None,
    window_chars: int = WINDOW_CHARS,
    sentence_cache_mb: float = SENTENCE_CACHE_MB,
) -> list[Written]:
    """Each part chunked, embedded (passages and their sentences: retrieval/sentences.py) and
    written as a segment of its own, numbered from `first_seq`, before the next part is read.
    A sentence embedded for one part is not embedded again for another while the codes of
    those embedded fit in `sentence_cache_mb` (retrieval/sentence_cache.py).
    `staged`: list each segment there as soon as it is written (HOME/staged.json), so that a
    killed ingest resumes from it; otherwise its folder is appended to `written` (removed if
    the write fails)."""
    progress = progress or IngestProgress()
    dimension = (sentence_encoder or encoder).dimension
    cache = SentenceCache(dimension, int(sentence_cache_mb * 1e6)) if sentence_vectors else None
    made: list[Written] = []
    seq = first_seq
    for part in parts:
        if not part.documents:
            progress.add(bytes_done=part.nbytes)
            continue
        name = segment_name(seq)
        path, counts = _write_part(
            part,
            home / "segments",
            name,
            seq,
            encoder,
            chunking,
            batch_size,
            progress,
            store,
            sentence_vectors,
            sentence_encoder,
            cache,
            window_chars,
        )
        docs = {d.id: d.sha256 for d in part.documents}
        made.append(Written(name, sum(counts.values()), docs, dict(counts)))
        if staged is not None:
            staged.segments[name] = StagedSegment(seq, made[-1].rows, docs, dict(counts))
            write_staged(home, staged)
        elif written is not None:
            written.append(path)
        progress.add(passages_written=made[-1].rows, segments_written=1)
        seq += 1
    return made


def new_manifest(
    encoder: Encoder,
    chunking: ChunkSettings,
    previous: Manifest | None,
    kept: Iterable[str],
    made: Sequence[Written],
    roots: Sequence[Path],
    store: VectorStore | None,
) -> Manifest:
    """The version holding `previous`'s documents named in `kept` and those of `made` (later
    segments win a document named twice)."""
    kept = sorted(set(kept))
    if kept and previous is None:
        raise ValueError("documents can only be kept from a previous version")
    segments = dict(previous.segments) if previous else {}
    placement = {doc_id: previous.placement[doc_id] for doc_id in kept} if previous else {}
    doc_passages = {doc_id: previous.doc_passages[doc_id] for doc_id in kept} if previous else {}
    documents = {doc_id: previous.documents[doc_id] for doc_id in kept} if previous else {}
    for segment in made:
        segments[segment.name] = segment.rows
        for doc_id, sha in segment.documents.items():
            placement[doc_id], documents[doc_id] = segment.name, sha
            doc_passages[doc_id] = segment.passages[doc_id]
    used = set(placement.values())
    return Manifest(
        version=new_version_name(),
        created_at=datetime.now(UTC).isoformat(timespec="seconds"),
        format_version=FORMAT_VERSION,
        model=encoder.name,
        model_fingerprint=encoder.fingerprint,
        backend=encoder.backend,
        dimension=encoder.dimension,
        chunking=asdict(chunking),
        documents=dict(sorted(documents.items())),
        passages=sum(doc_passages.values()),
        reused_documents=len(kept),
        roots=[str(r) for r in roots],
        segments={n: rows for n, rows in segments.items() if n in used},
        placement=dict(sorted(placement.items())),
        doc_passages=dict(sorted(doc_passages.items())),
        vector_store=store_kind(store),
    )


def _write_part(
    part: Part,
    folder: Path,
    name: str,
    seq: int,
    encoder: Encoder,
    chunking: ChunkSettings,
    batch_size: int,
    progress: IngestProgress,
    store: VectorStore | None,
    sentence_vectors: bool,
    sentence_encoder: Encoder | None,
    cache: SentenceCache | None,
    window_chars: int,
) -> tuple[Path, Mapping[str, int]]:
    """Chunk, embed and write one part as segment `name`: (its folder, passages per doc). A
    large part is embedded in windows kept on disk (windows.py), which a killed ingest resumes."""
    docs = sorted(part.documents, key=lambda d: d.id)
    passages = ChunkedPassages(docs, chunking)
    progress.add(passages_chunked=len(passages))
    progress.stage("embedding")
    done = [0.0]  # bytes of the part counted so far

    def counted(share: float, reused: bool = False, **counts: int) -> None:
        before = int(done[0])
        done[0] = min(done[0] + share * part.nbytes, part.nbytes)
        delta = int(done[0]) - before
        progress.add(bytes_done=delta, bytes_reused=delta if reused else 0, **counts)

    def embedded(passages_done: int, sentences_done: int, share: float) -> None:
        counted(share, passages_embedded=passages_done, sentences_embedded=sentences_done)

    def resumed(passages_done: int, share: float) -> None:
        counted(share, reused=True, passages_resumed=passages_done)

    home = folder.parent
    key = ingest_key(encoder, chunking, store, sentence_vectors, sentence_encoder)
    with assembling(home, passages, key, window_chars):
        made = embed_part(
            passages,
            encoder,
            home,
            key,
            batch_size=batch_size,
            sentences=sentence_vectors,
            sentence_encoder=sentence_encoder,
            cache=cache,
            window_chars=window_chars,
            on_embedded=embedded,
            on_resumed=resumed,
        )
        progress.add(bytes_done=part.nbytes - int(done[0]))
        path = write_segment(
            folder,
            name,
            seq,
            docs,
            passages,
            made.vectors,
            encoder.fingerprint,
            store=store,
            sentences=made.sentences,
        )
    return path, Counter(p.doc_id for p in passages)
