"""The sentence encoder run by ONNX Runtime (backends `onnx`, `onnx-int8`): 1.4-2× torch's
speed, the same vectors. The graph comes from `onnx_export.py`, once per weights."""

from __future__ import annotations

import json
import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
import onnxruntime as ort
from tokenizers import Tokenizer

USE_TORCH = "set CITEQA_BACKEND=torch to run it without ONNX"

# A batch holds up to batch_size × TOKENS_PER_TEXT word pieces (padding included): at the ingest
# default of 4 (base.INGEST_BATCH_SIZE), two passages near the 256-piece window or ~14 sentences.
TOKENS_PER_TEXT = 128


def token_budget_batches(lengths: list[int], budget: int) -> list[np.ndarray]:
    """Row indices, longest first, cut into batches whose padded size (rows × longest) stays
    within `budget` word pieces (a longer text alone makes a batch of one)."""
    order = np.argsort([-n for n in lengths], kind="stable")
    batches: list[np.ndarray] = []
    start = 0
    while start < len(order):
        longest = max(lengths[order[start]], 1)  # the batch's first row is its longest
        size = max(budget // longest, 1)
        batches.append(order[start : start + size])
        start += size
    return batches


class OnnxSentenceModel:
    """Tokenizer + ONNX session: texts → float32[n, d] unit vectors, in batches of similar
    length run side by side on `threads` threads (one each)."""

    def __init__(self, onnx_file: Path, model_dir: Path, threads: int | None = None) -> None:
        settings = json.loads((model_dir / "sentence_bert_config.json").read_text())
        self.max_tokens = int(settings.get("max_seq_length", 256))
        self.tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        # tokenizer.json pads and truncates to 128; sentence-transformers reads up to
        # max_seq_length (256). Each batch is padded here to its longest text.
        self.tokenizer.enable_truncation(max_length=self.max_tokens)
        self.pad_id = _pad_id(self.tokenizer, model_dir)
        self.tokenizer.no_padding()
        self.workers = threads or os.cpu_count() or 1
        options = ort.SessionOptions()
        # Batches side by side, one thread each, rather than each batch split over threads: on
        # 2 cores 1.11× the passages/s (quiet machine; 1.36× at load 8), the same vectors.
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        options.log_severity_level = 3  # warnings about the fused graph are not the user's concern
        self._onnx_file = onnx_file
        self._options = options
        self._session: ort.InferenceSession | None = None
        self.input_names = {i.name for i in self.session.get_inputs()}
        self.dimension = int(self.session.get_outputs()[0].shape[-1])

    @property
    def session(self) -> ort.InferenceSession:
        if self._session is None:
            self._session = ort.InferenceSession(
                str(self._onnx_file), self._options, providers=["CPUExecutionProvider"]
            )
        return self._session

    def release(self) -> None:
        """Free the session (the weights and ONNX Runtime's memory arena, ~100 MB for MiniLM)
        until the next `encode` loads it again: an ingest whose sentences another encoder
        embeds never runs this one."""
        self._session = None

    def encode(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        vectors = np.empty((len(texts), self.dimension), dtype=np.float32)
        encodings = self.tokenizer.encode_batch(texts)
        session = self.session
        batches = token_budget_batches(
            [len(e.ids) for e in encodings], batch_size * TOKENS_PER_TEXT
        )

        def run(rows: np.ndarray) -> None:
            ids = [encodings[i].ids for i in rows]
            shape = (len(ids), len(ids[0]))  # the first row is the longest
            feed = {name: np.zeros(shape, dtype=np.int64) for name in self.input_names}
            feed["input_ids"] = np.full(shape, self.pad_id, dtype=np.int64)
            for row, piece_ids in enumerate(ids):  # the rest stays padding, masked out
                feed["input_ids"][row, : len(piece_ids)] = piece_ids
                feed["attention_mask"][row, : len(piece_ids)] = 1
            vectors[rows] = session.run(["sentence_embedding"], feed)[0]

        if self.workers == 1 or len(batches) == 1:
            for rows in batches:
                run(rows)
        else:  # ONNX Runtime lets go of the GIL while it runs
            with ThreadPoolExecutor(self.workers) as pool:
                futures = [pool.submit(run, rows) for rows in batches]
                try:
                    for future in futures:
                        future.result()
                except BaseException:
                    # Ctrl-C or a failed batch: the batches not yet started are dropped, so the
                    # pool's exit waits only for those running, not for every one queued.
                    for future in futures:
                        future.cancel()
                    raise
        return vectors


def _pad_id(tokenizer: Any, model_dir: Path) -> int:
    """The padding word piece, as torch's tokenizer pads: BERT's [PAD] is 0, MPNet's <pad> 1.
    (MPNet numbers positions from its pad id, yet padding with 0 gives the same vectors: the pads
    come after the real pieces and are masked. Padding as torch does keeps it so for any model.)"""
    if tokenizer.padding:
        return int(tokenizer.padding["pad_id"])
    config = json.loads((model_dir / "config.json").read_text())
    return int(config.get("pad_token_id") or 0)
