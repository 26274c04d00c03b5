"""File-level durability shared by every writer of the index: fsync, and telling a full disk.

Everything under CITEQA_HOME is written under a temporary name, fsynced, and renamed into place
(then the folder is fsynced), so a crash leaves either the old file or the new one.
"""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
from pathlib import Path
from typing import IO, Any

import numpy as np

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


def save_array(path: Path, array: np.ndarray) -> None:
    """`np.save` into `path`, fsynced. An array that is the memory map of a whole .npy file (an
    embedding window's assembly, windows.py) is linked, or copied by the kernel, instead: its
    hundreds of MB are never read into this process."""
    source = whole_npy_file(array)
    if source is not None:
        try:
            os.link(source, path)
        except OSError:  # another file system, or one without hard links
            shutil.copyfile(source, path)
        with path.open("rb+") as f:
            os.fsync(f.fileno())
        return
    with path.open("wb") as f:
        np.save(f, array)
        sync(f)


def whole_npy_file(array: np.ndarray) -> Path | None:
    """The .npy file `array` maps whole (shape, type and order as its header says), or None."""
    if not isinstance(array, np.memmap) or array.filename is None:
        return None
    if not array.flags.c_contiguous:
        return None
    try:
        with open(array.filename, "rb") as f:
            version = np.lib.format.read_magic(f)
            read = np.lib.format.read_array_header_1_0
            if version != (1, 0):
                read = np.lib.format.read_array_header_2_0
            shape, fortran, dtype = read(f)
            offset = f.tell()
    except (OSError, ValueError):
        return None
    # A view of the map with the file's own shape can only be the whole of it.
    if (shape, fortran, dtype) != (array.shape, False, array.dtype) or array.offset != offset:
        return None
    return Path(array.filename)
