"""gzip-compressed text, Markdown and HTML (`notes.md.gz`): read as the format inside, after
decompressing at most MAX_DECOMPRESSED_BYTES, so a gzip bomb costs bounded time and memory."""

from __future__ import annotations

import gzip
import io
import zlib
from collections.abc import Callable

from . import html, md, txt
from .base import DocumentError, Format, Read

# Bounds what a small compressed file can expand to (a 50 KB gzip bomb unpacks to 50 MB), and
# matches the default upload limit of 50 MB: nothing larger is indexed uncompressed either.
MAX_DECOMPRESSED_BYTES = 50 * 1024 * 1024


def decompress(data: bytes, doc_id: str) -> bytes:
    """The bytes inside a gzip file (all of its members), or DocumentError past the bound."""
    try:
        # GzipFile.read(n) inflates incrementally and stops at n bytes: it never holds more.
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as f:
            inner = f.read(MAX_DECOMPRESSED_BYTES + 1)
    except (OSError, EOFError, zlib.error) as err:  # BadGzipFile is an OSError
        raise DocumentError(f"{doc_id}: not a readable gzip file ({err})") from err
    if len(inner) > MAX_DECOMPRESSED_BYTES:
        raise DocumentError(
            f"{doc_id}: decompresses to more than {MAX_DECOMPRESSED_BYTES // 2**20} MB; "
            "index it uncompressed or split it"
        )
    return inner


def _inside(read: Callable[[bytes, str], Read]) -> Callable[[bytes, str], Read]:
    def read_compressed(data: bytes, doc_id: str) -> Read:
        return read(decompress(data, doc_id), doc_id)

    return read_compressed


FORMATS = tuple(
    Format(inner.kind, tuple(s + ".gz" for s in inner.suffixes), _inside(inner.read))
    for inner in (*txt.FORMATS, *md.FORMATS, *html.FORMATS)
)
