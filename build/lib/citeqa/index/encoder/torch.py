"""The encoder run by torch, as sentence-transformers runs it (backend `torch`).

torch is imported when a model is loaded, not with this module: it costs seconds and about
180 MB per process, and a service on the default ONNX backend never needs it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from .base import ModelError, one_line


class TorchSentenceModel:
    def __init__(self, model_dir: Path, threads: int | None = None) -> None:
        import torch
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as transformers_logging

        if threads:  # torch's pool is per process: answering wants one thread per question
            torch.set_num_threads(threads)
        transformers_logging.disable_progress_bar()  # a bar for reading 90 MB of weights is noise
        try:
            self.model: Any = SentenceTransformer(str(model_dir), device="cpu")
        except Exception as err:  # a model folder can break its loader in any way
            raise ModelError(f"cannot load model from {model_dir} ({one_line(err)})") from err
        self.dimension = self.model.get_embedding_dimension()
        self.max_tokens = int(self.model.max_seq_length or 512)

    def encode(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        return self.model.encode(
            texts, batch_size=batch_size, normalize_embeddings=True, convert_to_numpy=True
        )
