"""One view of an ingest's progress: files read, passages chunked, embedded and written.

The counts live in `IngestProgress`; whoever follows the ingest sees the same numbers: a tqdm
bar on a terminal (over the bytes of the files to read, with the counts beside it, so the rate
and the time left cover the whole ingest, not one stage), a line per stage in a log otherwise,
and a callback (the rebuild job's `GET /jobs/{id}`).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from tqdm import tqdm

log = logging.getLogger("citeqa.ingest")

# A log line (no terminal) at most this often while a stage runs, and at each stage's end.
LOG_EVERY_SECONDS = 10.0


@dataclass
class Counts:
    """What an ingest has done so far. `bytes_total` and `files_total` are known at the start
    (the files' sizes); passages are counted as the documents are chunked."""

    stage: str = "reading"  # reading, embedding, writing, merging, done
    files_total: int = 0
    bytes_total: int = 0
    files_read: int = 0
    bytes_read: int = 0  # of files read and parsed (unchanged files count when seen)
    bytes_done: int = 0  # of files whose passages are embedded: the bar, the rate, the time left
    # Of those, bytes that took no embedding (unchanged files, resumed segments and windows,
    # unreadable files): left out of the rate, or an ingest that finds most files unchanged
    # would promise the few changed ones in no time.
    bytes_reused: int = 0
    documents: int = 0  # documents to embed, found so far
    passages_chunked: int = 0
    passages_embedded: int = 0  # passages whose vectors are made (reused ones included)
    sentences_embedded: int = 0
    passages_written: int = 0  # in segments on disk
    segments_written: int = 0
    passages_resumed: int = 0  # found in the segments or windows of an interrupted ingest


@dataclass
class IngestProgress:
    """Counts of one ingest and the views of them. `bar`: draw a tqdm bar on stderr; `log_lines`:
    log a line per stage (and every LOG_EVERY_SECONDS); `callback`: gets the counts as a dict
    after every change."""

    bar: bool = False
    log_lines: bool = False
    callback: Callable[[dict[str, Any]], None] | None = None
    counts: Counts = field(default_factory=Counts)
    _tqdm: Any = field(default=None, repr=False)
    _logged: float = field(default=0.0, repr=False)
    _started: float = field(default_factory=time.monotonic, repr=False)

    def start(self, files: int, total_bytes: int) -> None:
        self.counts.files_total, self.counts.bytes_total = files, total_bytes
        if self.bar:
            self._tqdm = tqdm(
                total=total_bytes, unit="B", unit_scale=True, desc="ingest", dynamic_ncols=True
            )
        self._note(force=True)

    def add(self, **deltas: int) -> None:
        """Add to counts (`files_read=1, bytes_read=n, ...`)."""
        for key, value in deltas.items():
            setattr(self.counts, key, getattr(self.counts, key) + value)
        if self._tqdm is not None and deltas.get("bytes_done"):
            self._tqdm.update(deltas["bytes_done"])
        self._note()

    def seconds_left(self) -> float | None:
        """The time left at the rate so far (bytes of files embedded per second), or None."""
        c, spent = self.counts, time.monotonic() - self._started
        worked = c.bytes_done - c.bytes_reused
        if worked <= 0 or c.bytes_done >= c.bytes_total:
            return None
        return spent * (c.bytes_total - c.bytes_done) / worked

    def stage(self, name: str) -> None:
        if name != self.counts.stage:
            self._note(force=True)  # the end of the stage before
            self.counts.stage = name
            self._note(force=True)

    def close(self) -> None:
        self.counts.stage = "done"
        self._note(force=True)
        if self._tqdm is not None:
            self._tqdm.close()
            self._tqdm = None

    def snapshot(self) -> dict[str, Any]:
        left = self.seconds_left()
        return asdict(self.counts) | {
            "seconds": round(time.monotonic() - self._started, 1),
            "seconds_left": None if left is None else round(left, 1),
        }

    def _left_text(self) -> str:
        c = self.counts
        if (c.bytes_total and c.bytes_done >= c.bytes_total) or c.stage in (
            "writing",
            "merging",
            "done",
        ):
            return "0 s"  # nothing left to embed
        left = self.seconds_left()
        return "?" if left is None else f"{left:.0f} s"

    def _note(self, force: bool = False) -> None:
        c = self.counts
        if self._tqdm is not None:
            self._tqdm.set_postfix_str(
                f"{c.stage}: files {c.files_read}/{c.files_total}, passages "
                f"{c.passages_chunked} chunked, {c.passages_embedded} embedded "
                f"(+{c.sentences_embedded} sentences), {c.passages_written} written",
                refresh=False,
            )
            self._tqdm.refresh()
        now = time.monotonic()
        if self.log_lines and (force or now - self._logged >= LOG_EVERY_SECONDS):
            self._logged = now
            log.info(
                "ingest %s: files %d/%d (%.1f of %.1f MB), documents %d, passages %d chunked, "
                "%d embedded, %d sentences embedded, %d written, %d resumed; %.0f s, %s left",
                c.stage,
                c.files_read,
                c.files_total,
                c.bytes_read / 1e6,
                c.bytes_total / 1e6,
                c.documents,
                c.passages_chunked,
                c.passages_embedded,
                c.sentences_embedded,
                c.passages_written,
                c.passages_resumed,
                now - self._started,
                self._left_text(),
            )
        if self.callback is not None:
            self.callback(self.snapshot())
