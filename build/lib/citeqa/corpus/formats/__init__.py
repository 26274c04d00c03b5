"""The formats citeqa reads, one module each; a file's format comes from its name's suffix.

Each module exposes `FORMATS`: its `Format`s (kind, suffixes, reader of bytes -> `Read`). Adding
a format is a module here, its entry in `FORMATS` below, and its tests.
"""

from __future__ import annotations

from pathlib import PurePosixPath

from . import csv, docx, eml, epub, gz, html, image, md, pdf, pptx, txt, xlsx
from .base import DocumentError, Format, Read, UnsupportedType

FORMATS: tuple[Format, ...] = (
    *txt.FORMATS,
    *md.FORMATS,
    *pdf.FORMATS,
    *html.FORMATS,
    *docx.FORMATS,
    *gz.FORMATS,
    *image.FORMATS,
    *pptx.FORMATS,
    *xlsx.FORMATS,
    *csv.FORMATS,
    *epub.FORMATS,
    *eml.FORMATS,
)
BY_SUFFIX: dict[str, Format] = {s: f for f in FORMATS for s in f.suffixes}


def matching_suffix(name: str) -> str | None:
    """The longest suffix of `name` that a format reads, lower case ("notes.MD.gz" -> ".md.gz")."""
    suffixes = [s.lower() for s in PurePosixPath(name).suffixes]
    for n in (2, 1):
        candidate = "".join(suffixes[-n:])
        if len(suffixes) >= n and candidate in BY_SUFFIX:
            return candidate
    return None


__all__ = [
    "BY_SUFFIX",
    "FORMATS",
    "DocumentError",
    "Format",
    "Read",
    "UnsupportedType",
    "matching_suffix",
]
