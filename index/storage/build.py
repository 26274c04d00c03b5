"""Writing a new index version: chunk and embed what is new, keep the rest as it is."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path

from citeqa.corpus import ChunkSettings, Document, chunk_document
from citeqa.index.encoder.base import Encoder
from citeqa.index.retrieval.sentences import embed_sentences
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
from .segment import segment_name, write_segment


def build_index(
    fresh: Sequence[Document],
    kept: Iterable[str],
    encoder: Encoder,
    home: Path,
    chunking: ChunkSettings,
    previous: Manifest | None = None,
    *,
    roots: Sequence[Path] = (),
    batch_size: int = 32,
    progress: bool = False,
    on_progress: Callable[[int, int], None] | None = None,
    keep_versions: int = 3,
    store: VectorStore | None = None,
    sentence_vectors: bool = True,
) -> Manifest:
    """Publish a new current version: `previous`'s documents named in `kept` as they are (not
    read, not re-embedded) and the `fresh` documents chunked and embedded (passages, then their
    sentences: retrieval/sentences.py) into a new segment. `on_progress` counts passages only.

    `previous` must be compatible (`is_compatible`); with None every document must be fresh.
    The cost is that of the fresh documents, whatever the size of the index.
    """
    kept = sorted(set(kept))
    if kept and previous is None:
        raise ValueError("documents can only be kept from a previous version")
    fresh = sorted(fresh, key=lambda d: d.id)
    segments = dict(previous.segments) if previous else {}
    placement = {doc_id: previous.placement[doc_id] for doc_id in kept} if previous else {}
    doc_passages = {doc_id: previous.doc_passages[doc_id] for doc_id in kept} if previous else {}
    documents = {doc_id: previous.documents[doc_id] for doc_id in kept} if previous else {}
    passages = [p for doc in fresh for p in chunk_document(doc, chunking)]
    vectors = encoder.encode_many([p.text for p in passages], batch_size, progress, on_progress)
    sentences = (
        embed_sentences(passages, encoder, batch_size, progress) if sentence_vectors else None
    )
    written: list[Path] = []
    with publishing(home, written):
        if fresh:
            seq = previous.next_seq() if previous else 1
            name = segment_name(seq)
            folder = home / "segments"
            fingerprint = encoder.fingerprint
            written.append(
                write_segment(
                    folder,
                    name,
                    seq,
                    fresh,
                    passages,
                    vectors,
                    fingerprint,
                    store=store,
                    sentences=sentences,
                )
            )
            segments[name] = len(passages)
            counts = Counter(p.doc_id for p in passages)
            for doc in fresh:
                placement[doc.id], doc_passages[doc.id] = name, counts[doc.id]
                documents[doc.id] = doc.sha256
        used = set(placement.values())
        manifest = Manifest(
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
        publish(home, manifest)
    collect_garbage(home, keep_versions, store)
    return manifest
