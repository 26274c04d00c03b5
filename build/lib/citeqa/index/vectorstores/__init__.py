"""Where passage vectors live when not in the index's own files: FAISS folders and Milvus."""

from .base import (
    ModelIdentity,
    VectorStore,
    VectorStoreError,
    VectorStoreMismatchError,
    VectorStoreUnavailable,
)
from .factory import VectorStoreSpec, close_opened_stores, open_vector_store

__all__ = [
    "ModelIdentity",
    "VectorStore",
    "VectorStoreError",
    "VectorStoreMismatchError",
    "VectorStoreSpec",
    "VectorStoreUnavailable",
    "close_opened_stores",
    "open_vector_store",
]
