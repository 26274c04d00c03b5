"""Which backend runs the model: `load_encoder` picks one and returns a ready `Encoder`."""

from __future__ import annotations

import os
from pathlib import Path

from .base import (
    BACKENDS,
    DEFAULT_BACKEND,
    DEFAULT_MODEL,
    Encoder,
    ModelError,
    fingerprint,
    one_line,
    resolve_model_path,
)
from .onnx import USE_TORCH, OnnxSentenceModel
from .onnx_export import export_path
from .torch import TorchSentenceModel


def load_encoder(
    spec: str = DEFAULT_MODEL,
    backend: str = DEFAULT_BACKEND,
    cache: Path | None = None,
    threads: int | None = None,
) -> Encoder:
    """The model `spec` run by `backend`. ONNX graphs are exported once into `cache` (default: a
    `citeqa` folder in the user's cache); `threads` caps the encoder's threads."""
    if backend not in BACKENDS:
        raise ModelError(f"unknown backend {backend!r}: choose one of {', '.join(BACKENDS)}")
    model_dir = resolve_model_path(spec)
    weights = fingerprint(model_dir)
    if backend == "torch":
        model = TorchSentenceModel(model_dir, threads)
        if not model.dimension:
            raise ModelError(f"model in {model_dir} does not declare its embedding dimension")
        return Encoder(spec, weights, model.dimension, model.max_tokens, backend, model)
    cache = cache or Path(os.environ.get("XDG_CACHE_HOME", "~/.cache")).expanduser() / "citeqa"
    try:
        onnx_file = export_path(model_dir, weights, backend, cache)
        onnx_model = OnnxSentenceModel(onnx_file, model_dir, threads)
    except ModelError:
        raise
    except Exception as err:  # a cache that cannot be written, a tokenizer ONNX cannot read...
        raise ModelError(
            f"cannot run model {spec!r} with backend {backend} ({one_line(err)}); {USE_TORCH}"
        ) from err
    # fp32 ONNX gives torch's vectors, so indexes move freely between the two; the quantised
    # backends do not.
    identity = weights if backend == "onnx" else f"{weights}-{backend.removeprefix('onnx-')}"
    return Encoder(spec, identity, onnx_model.dimension, onnx_model.max_tokens, backend, onnx_model)
