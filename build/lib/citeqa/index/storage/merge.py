"""Merging segments: which to merge (a geometric policy) and the merge itself.

Every write adds a segment; left alone, searches would visit ever more of them and dead rows would
pile up. The newest segments are merged while together they hold at least 1/MERGE_FACTOR of the
rows of the one before, so segment sizes fall geometrically (few segments to search) and each
passage is rewritten O(log n) times in all; a mostly dead segment is rewritten without its dead
rows. Nothing is re-embedded: rows, sentence vectors and (above retrieval.dense.FLAT_LIMIT) the
trained IVF of the largest merged segment are reused.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from citeqa.corpus import Passage
from citeqa.index.retrieval.sentences import SentenceVectors, concatenate
from citeqa.index.vectorstores.base import VectorStore

from .manifest import (
    FORMAT_VERSION,
    Manifest,
    collect_garbage,
    new_version_name,
    publish,
    publishing,
    read_manifest,
    store_kind,
)
from .segment import load_segment, segment_name, write_segment

MERGE_FACTOR = 4  # the newest segments are merged while together they are >= 1/4 of the one before
MAX_DEAD_FRACTION = 0.5  # a segment with more rows dead than this is rewritten without them
MAX_SEGMENTS = 24
# Merges up to this many rows run inside the write that calls for them (well under a second
# here); larger ones run after it, in the background (the service) or at the end (the CLI).
SMALL_MERGE_ROWS = 20_000

# Told (home, operation, seconds) after each ingest, update and merge that published a version,
# so a service can export the timings without the index importing it. Callers append and remove.
TIMING_HOOKS: list[Callable[[Path, str, float], None]] = []


def report_timing(home: Path, operation: str, seconds: float) -> None:
    for hook in list(TIMING_HOOKS):
        hook(home, operation, seconds)


def compact(
    home: Path,
    keep_versions: int = 3,
    max_rows: int | None = None,
    store: VectorStore | None = None,
) -> Manifest | None:
    """Merge segments while the merge policy asks for it; the caller holds the ingest lock.
    `max_rows`: stop before a merge rewriting more rows than this (`pending_merge` then says one
    is due). Returns the last version published, or None."""
    published = None
    while run := pending_merge(home):
        manifest = read_manifest(home)
        assert manifest is not None
        if max_rows is not None and sum(manifest.segments[n] for n in run) > max_rows:
            break
        if manifest.vector_store != store_kind(store):
            break  # another store's index: the next ingest rebuilds it
        started = time.perf_counter()
        published = _merge(home, manifest, run, keep_versions, store)
        report_timing(home, "merge", time.perf_counter() - started)
    return published


def pending_merge(home: Path) -> list[str]:
    """The segments the merge policy would merge next in the current version, or []."""
    manifest = read_manifest(home)
    if manifest is None or manifest.format_version != FORMAT_VERSION:
        return []
    return plan_merge(manifest)


def plan_merge(manifest: Manifest) -> list[str]:
    """The consecutive segments to merge next (one alone: rewrite it without its dead rows),
    or []."""
    names = list(manifest.segments)
    live = manifest.live_rows()
    if len(names) >= 2:
        run, total = [names[-1]], live[names[-1]]
        for name in reversed(names[:-1]):
            if total * MERGE_FACTOR < live[name]:
                break
            run.insert(0, name)
            total += live[name]
        if len(run) >= 2:
            return run
    for name in names:
        if live[name] < (1 - MAX_DEAD_FRACTION) * manifest.segments[name]:
            return [name]
    if len(names) > MAX_SEGMENTS:
        pairs = [(live[a] + live[b], i) for i, (a, b) in enumerate(itertools.pairwise(names))]
        _, i = min(pairs)
        return names[i : i + 2]
    return []


def _merge(
    home: Path,
    manifest: Manifest,
    run: list[str],
    keep_versions: int,
    store: VectorStore | None,
) -> Manifest:
    """Publish `manifest` with the segments `run` rewritten as one holding their live rows."""
    segments = [load_segment(home / "segments" / name, manifest.dimension) for name in run]
    docs, parts = [], []
    passages: list[Passage] = []
    sentence_parts: list[SentenceVectors] = []  # none for an index built without them
    for segment in segments:
        for row, doc_id, start, end in segment.texts.spans():
            if manifest.placement.get(doc_id) == segment.name:
                docs.append(segment.texts.document(row).load())
                if segment.sentences is not None:
                    sentence_parts.append(segment.sentences.of_passages(start, end, len(passages)))
                passages.extend(segment.passages[start:end])
                if store is None:
                    parts.append(segment.vectors[start:end])  # type: ignore[index]
                else:
                    parts.append(store.get(segment.ids(range(start, end))))
    kept = [(n, rows) for n, rows in manifest.segments.items() if n not in run]
    position = list(manifest.segments).index(run[0])
    placement = dict(manifest.placement)
    written: list[Path] = []
    with publishing(home, written):
        if docs:
            seq, vectors = manifest.next_seq(), np.concatenate(parts)
            sentences = concatenate(sentence_parts, len(passages), manifest.dimension)
            name = segment_name(seq)
            largest = max(segments, key=lambda s: s.rows)  # its trained IVF may serve again
            written.append(
                write_segment(
                    home / "segments",
                    name,
                    seq,
                    docs,
                    passages,
                    vectors,
                    manifest.model_fingerprint,
                    ivf_from=largest.path,
                    store=store,
                    sentences=sentences,
                )
            )
            kept.insert(position, (name, len(passages)))
            placement.update({doc.id: name for doc in docs})
        new = Manifest(
            **{
                **asdict(manifest),
                "version": new_version_name(),
                "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
                "reused_documents": len(manifest.documents),
                "segments": dict(kept),
                "placement": placement,
            }
        )
        publish(home, new)
    collect_garbage(home, keep_versions, store)
    return new
