"""The time an ingest has left: the rate of the bytes it embedded, not of those found done."""

from __future__ import annotations

import time

from citeqa.index.storage.progress import IngestProgress


def started_seconds_ago(seconds: float, files: int, total_bytes: int) -> IngestProgress:
    progress = IngestProgress()
    progress.start(files, total_bytes)
    progress._started = time.monotonic() - seconds  # as if it began that long ago
    return progress


def test_files_found_unchanged_do_not_make_the_rest_look_instant() -> None:
    progress = started_seconds_ago(10.0, files=10, total_bytes=1000)
    progress.add(files_read=9, bytes_done=900, bytes_reused=900)  # nine unchanged files
    assert progress.seconds_left() is None  # nothing embedded yet: no rate to go by
    progress.add(bytes_done=50)  # half the changed file, embedded in those 10 s
    left = progress.seconds_left()
    assert left is not None and 9.5 < left < 10.5  # the other half: 10 s more, not 0.5 s
    assert progress.snapshot()["bytes_reused"] == 900


def test_an_ingest_with_nothing_reused_goes_by_all_its_bytes() -> None:
    progress = started_seconds_ago(10.0, files=2, total_bytes=1000)
    progress.add(bytes_done=250)
    left = progress.seconds_left()
    assert left is not None and 29.5 < left < 30.5
    progress.add(bytes_done=750)
    assert progress.seconds_left() is None  # done
