"""What a document says about itself beside its text: Markdown front matter, PDF and DOCX
document properties, and a sidecar `<file>.meta.json` that any file may have.

Metadata is a flat mapping of names to a string or a list of strings: numbers and booleans become
their JSON spelling ("3", "true"), dates their ISO form, so a filter compares one kind of value.
Where the source gives a modification date (PDF ModDate, DOCX `modified`, front matter `modified`,
`updated` or `date`), it becomes the document's `modified`, in ISO 8601 UTC.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import yaml

from .formats.base import DocumentError

Metadata = dict[str, str | list[str]]

SIDECAR_SUFFIX = ".meta.json"
MAX_KEY_CHARS = 100
MAX_VALUE_CHARS = 2000
MAX_VALUES = 100  # items in one list value
# Front matter: a `---` line first, a `---` (or YAML's `...`) line to close it, at most this far in.
_FRONT_MATTER = re.compile(
    r"\A\ufeff?---[ \t]*\r?\n(.*?\r?\n)?(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S
)
MAX_FRONT_MATTER_CHARS = 64_000
_DATE_KEYS = ("modified", "updated", "last_modified", "date")


@dataclass
class Described:
    """Metadata and the modification date a source gives (`modified` "" when it gives none)."""

    metadata: Metadata = field(default_factory=dict)
    modified: str = ""


def iso_utc(value: dt.datetime | dt.date) -> str:
    """`value` as "YYYY-MM-DDTHH:MM:SSZ" (a date is taken at midnight UTC; a naive time as UTC)."""
    if not isinstance(value, dt.datetime):
        value = dt.datetime(value.year, value.month, value.day, tzinfo=dt.UTC)
    elif value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def timestamp_utc(seconds: float) -> str:
    """A POSIX time (a file's mtime) in ISO 8601 UTC."""
    return iso_utc(dt.datetime.fromtimestamp(seconds, dt.UTC))


def _scalar(value: Any) -> str | None:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | str):
        return str(value)[:MAX_VALUE_CHARS]
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return None


def clean_metadata(raw: Mapping[Any, Any], *, strict: bool, where: str) -> Metadata:
    """`raw` as Metadata. `strict` (a sidecar, written for us): a value that is not a string,
    number, boolean or list of strings is a DocumentError; otherwise (front matter, written for
    other tools too) such values are left out."""
    out: Metadata = {}
    for key, value in raw.items():
        name = str(key).strip()[:MAX_KEY_CHARS]
        if not name:
            continue
        if isinstance(value, list):
            items = [_scalar(v) for v in value[:MAX_VALUES]]
            if strict and not all(isinstance(v, str) for v in value):
                raise DocumentError(f"{where}: {name!r} must be a string or a list of strings")
            out[name] = [v for v in items if v is not None]
            continue
        text = _scalar(value)
        if text is None:
            if strict:
                raise DocumentError(
                    f"{where}: {name!r} must be a string, number, boolean or list of strings"
                )
            continue
        out[name] = text
    return out


def _date_of(value: Any) -> str:
    if isinstance(value, dt.datetime | dt.date):
        return iso_utc(value)
    if isinstance(value, str):
        try:
            return iso_utc(dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00")))
        except ValueError:
            return ""
    return ""


def split_front_matter(text: str, where: str) -> tuple[Described, str, str]:
    """(what the YAML front matter of a Markdown text says, its `title` or "", the text after
    it). A text without front matter, or whose opening block is not a YAML mapping (a `---` rule
    that opens a page), comes back whole with nothing described."""
    match = _FRONT_MATTER.match(text[: MAX_FRONT_MATTER_CHARS + 8])
    if match is None:
        return Described(), "", text
    try:
        # safe_load: front matter is data, never a constructor of Python objects.
        raw = yaml.safe_load(match.group(1) or "")
    except yaml.YAMLError:
        return Described(), "", text
    if not isinstance(raw, dict):
        return Described(), "", text
    title = raw.pop("title", "")
    modified = next((d for d in (_date_of(raw.get(k)) for k in _DATE_KEYS) if d), "")
    described = Described(clean_metadata(raw, strict=False, where=where), modified)
    return described, title if isinstance(title, str) else "", text[match.end() :]


def read_sidecar(data: bytes, where: str) -> Metadata:
    """A sidecar's flat JSON object as Metadata; DocumentError saying what is wrong with it."""
    try:
        raw = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as err:
        raise DocumentError(f"{where}: not valid JSON ({err})") from err
    if not isinstance(raw, dict):
        raise DocumentError(f"{where}: must be a JSON object of names to values")
    return clean_metadata(raw, strict=True, where=where)


def _words(value: Any) -> str | list[str] | None:
    """A keywords property: a list when it is separated by commas or semicolons."""
    if value is None:
        return None
    text = str(value).strip()
    if not text:
        return None
    parts = [p.strip() for p in re.split(r"[;,]", text) if p.strip()]
    return parts if len(parts) > 1 else text


def pdf_properties(data: bytes) -> Described:
    """Author, subject, keywords and creator of a PDF's document information, and its ModDate.
    A PDF whose properties cannot be read describes nothing (its text may still read)."""
    import pypdf  # on first use, as in formats/pdf.py

    try:
        info = pypdf.PdfReader(io.BytesIO(data)).metadata
        if info is None:
            return Described()
        found = {
            "author": info.author,
            "subject": info.subject,
            "keywords": _words(info.get("/Keywords")),
            "creator": info.creator,
        }
        modified = info.modification_date or info.creation_date
    except Exception:  # a damaged info dictionary: pypdf raises many kinds; the text decides
        return Described()
    return _described(found, modified)


def docx_properties(data: bytes) -> Described:
    """Author, subject, keywords, category and last editor of a DOCX file's core properties,
    and its `modified` date."""
    import docx  # on first use, as in formats/docx.py

    try:
        core = docx.Document(io.BytesIO(data)).core_properties
        found = {
            "author": core.author,
            "subject": core.subject,
            "keywords": _words(core.keywords),
            "category": core.category,
            "last_modified_by": core.last_modified_by,
        }
        modified = core.modified or core.created
    except Exception:  # unreadable properties: the reader decides about the file
        return Described()
    return _described(found, modified)


def _described(found: dict[str, Any], modified: dt.datetime | None) -> Described:
    """The non-empty properties (text trimmed and bounded, word lists kept) and the date."""
    metadata: Metadata = {}
    for name, value in found.items():
        if isinstance(value, list):
            metadata[name] = value
        elif value and str(value).strip():
            metadata[name] = str(value).strip()[:MAX_VALUE_CHARS]
    return Described(metadata, iso_utc(modified) if modified else "")


PROPERTIES = {"pdf": pdf_properties, "docx": docx_properties}
