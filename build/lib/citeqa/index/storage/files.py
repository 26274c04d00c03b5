"""File-level durability shared by every writer of the index: fsync, and telling a full disk.

Everything under CITEQA_HOME is written under a temporary name, fsynced, and renamed into place
(then the folder is fsynced), so a crash leaves either the old file or the new one.
"""

from __future__ import annotations

import errno
import hashlib
import os
from pathlib import Path
from typing import IO, Any

DISK_FULL = frozenset({errno.ENOSPC, errno.EDQUOT})


def is_disk_full(err: BaseException) -> bool:
    return isinstance(err, OSError) and err.errno in DISK_FULL


def sync(f: IO[Any]) -> None:
    """Flush `f` and have the kernel write it to the device."""
    f.flush()
    os.fsync(f.fileno())


def fsync_dir(path: Path) -> None:
    """Make the renames and new names in folder `path` durable."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def file_sha256(path: Path) -> str:
    """The sha256 of a file's bytes, read in 1 MiB pieces."""
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()
