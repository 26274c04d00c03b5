"""The index on disk: immutable segments, versions published atomically, merges, ingest."""

from .build import SENTENCE_CACHE_MB, build_index
from .ingest import (
    BuildOptions,
    IngestError,
    IngestPlan,
    IngestReport,
    ingest,
    ingest_lock,
    plan_ingest,
    update,
)
from .manifest import (
    FORMAT_VERSION,
    IndexDamagedError,
    IndexFormatError,
    IndexMismatchError,
    Manifest,
    NoIndexError,
    StorageFullError,
    StoreError,
    current_version,
    read_manifest,
)
from .version import IndexVersion, load_current, load_last_good

__all__ = [
    "FORMAT_VERSION",
    "SENTENCE_CACHE_MB",
    "BuildOptions",
    "IndexDamagedError",
    "IndexFormatError",
    "IndexMismatchError",
    "IndexVersion",
    "IngestError",
    "IngestPlan",
    "IngestReport",
    "Manifest",
    "NoIndexError",
    "StorageFullError",
    "StoreError",
    "build_index",
    "current_version",
    "ingest",
    "ingest_lock",
    "load_current",
    "load_last_good",
    "plan_ingest",
    "read_manifest",
    "update",
]
