"""Segments an unfinished ingest has written, so that a killed ingest resumes where it stopped.

A large ingest writes a segment per part of its documents as it goes (build.py) and publishes
one version at the end. Until then each finished segment is listed in `HOME/staged.json` with
the documents it holds (id and file sha256) and what made its rows (model, chunking, loader
version...). An ingest that starts again keeps the listed segments whose documents are still
the same files read the same way, and embeds only the rest; garbage collection spares listed
segments. A published version empties the list.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .files import fsync_dir, sync

STAGED_FILE = "staged.json"


@dataclass
class StagedSegment:
    seq: int
    rows: int
    documents: dict[str, str]  # doc id -> sha256 of its file
    passages: dict[str, int]  # doc id -> passages


@dataclass
class Staged:
    key: dict[str, Any]  # what made the rows: a later ingest reuses them only under the same key
    segments: dict[str, StagedSegment] = field(default_factory=dict)

    def reusable(self, key: dict[str, Any], above_seq: int) -> Staged:
        """The segments a new ingest under `key` may keep: same key, and numbered above every
        segment of the current version (a write published since then may have used the number)."""
        if key != self.key:
            return Staged(key)
        return Staged(key, {n: s for n, s in self.segments.items() if s.seq > above_seq})

    def documents(self) -> dict[str, tuple[str, str]]:
        """doc id -> (segment name, sha256), the newest segment winning."""
        found: dict[str, tuple[str, str]] = {}
        for name, segment in sorted(self.segments.items(), key=lambda item: item[1].seq):
            for doc_id, sha in segment.documents.items():
                found[doc_id] = (name, sha)
        return found


def read_staged(home: Path) -> Staged | None:
    try:
        data = json.loads((home / STAGED_FILE).read_text())
        segments = {n: StagedSegment(**s) for n, s in data["segments"].items()}
        return Staged(data["key"], segments)
    except (OSError, ValueError, KeyError, TypeError):
        return None


def write_staged(home: Path, staged: Staged) -> None:
    """Replace the list atomically (fsynced), so a kill leaves the old list or the new."""
    tmp = home / f".{STAGED_FILE}.tmp"
    with tmp.open("w") as f:
        json.dump(
            {"key": staged.key, "segments": {n: asdict(s) for n, s in staged.segments.items()}}, f
        )
        sync(f)
    os.replace(tmp, home / STAGED_FILE)
    fsync_dir(home)


def clear_staged(home: Path) -> None:
    (home / STAGED_FILE).unlink(missing_ok=True)


def staged_names(home: Path) -> set[str]:
    staged = read_staged(home)
    return set(staged.segments) if staged else set()
