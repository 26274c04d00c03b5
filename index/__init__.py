"""Stage 2 of citeqa: passages -> embeddings -> an index version on disk -> ranked `Hit`s."""

from .embedding import BACKENDS, DEFAULT_BACKEND, DEFAULT_MODEL, Encoder, ModelError, load_encoder
from .ingest import BuildOptions, IngestError, IngestReport, ingest, ingest_lock, update
from .search import Hit, search
from .store import (
    IndexDamagedError,
    IndexMismatchError,
    Manifest,
    NoIndexError,
    StorageFullError,
    StoreError,
    build_index,
    current_version,
    read_manifest,
)
from .version import IndexVersion, load_current, load_last_good

__all__ = [
    "BACKENDS",
    "DEFAULT_BACKEND",
    "DEFAULT_MODEL",
    "BuildOptions",
    "Encoder",
    "Hit",
    "IndexDamagedError",
    "IndexMismatchError",
    "IndexVersion",
    "IngestError",
    "IngestReport",
    "Manifest",
    "ModelError",
    "NoIndexError",
    "StorageFullError",
    "StoreError",
    "build_index",
    "current_version",
    "ingest",
    "ingest_lock",
    "load_current",
    "load_encoder",
    "load_last_good",
    "read_manifest",
    "search",
    "update",
]
