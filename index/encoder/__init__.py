"""Text -> float32[n, d] unit vectors: the bundled model run by ONNX Runtime or torch."""

from .base import (
    BACKENDS,
    DEFAULT_BACKEND,
    DEFAULT_MODEL,
    INGEST_BATCH_SIZE,
    Encoder,
    ModelError,
    has_int8_dot_products,
)
from .batching import BatchingEncoder
from .loading import load_encoder

__all__ = [
    "BACKENDS",
    "DEFAULT_BACKEND",
    "DEFAULT_MODEL",
    "INGEST_BATCH_SIZE",
    "BatchingEncoder",
    "Encoder",
    "ModelError",
    "has_int8_dot_products",
    "load_encoder",
]
