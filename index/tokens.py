"""Texts as the model reads them: word pieces with their character offsets, batched by length,
and the token embeddings of a forward pass pooled over character spans ("late chunking")."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from tokenizers import Encoding, Tokenizer


def load_tokenizer(model_dir: Path, max_tokens: int) -> Tokenizer:
    """The model's fast tokenizer, cutting and padding as sentence-transformers does."""
    tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
    # tokenizer.json pads and truncates to 128; sentence-transformers reads up to
    # max_seq_length (256) and pads each batch to its longest text.
    tokenizer.enable_truncation(max_length=max_tokens)
    tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
    return tokenizer


@dataclass
class TokenBatch:
    """A batch of texts as the model reads them. `rows[i]` is the index, in the texts given, of
    `encodings[i]`; `feed` holds int64[b, tokens] arrays named as the model's inputs."""

    rows: np.ndarray  # int64[b]
    encodings: list[Encoding]
    feed: dict[str, np.ndarray]


def token_batches(
    tokenizer: Tokenizer, texts: Sequence[str], batch_size: int
) -> Iterator[TokenBatch]:
    """`texts` longest first (less padding per batch) in batches of `batch_size`."""
    by_length = np.argsort([-len(t) for t in texts], kind="stable")
    for start in range(0, len(texts), batch_size):
        rows = by_length[start : start + batch_size]
        encodings = tokenizer.encode_batch([texts[i] for i in rows])
        feed = {
            "input_ids": np.array([e.ids for e in encodings], dtype=np.int64),
            "attention_mask": np.array([e.attention_mask for e in encodings], dtype=np.int64),
            "token_type_ids": np.array([e.type_ids for e in encodings], dtype=np.int64),
        }
        yield TokenBatch(rows, encodings, feed)


@dataclass
class TokenOutput:
    """A forward pass over a `TokenBatch`: its texts' pooled vectors and their token embeddings."""

    batch: TokenBatch
    vectors: np.ndarray  # float32[b, d]: mean over real tokens, unit length (the text's vector)
    tokens: np.ndarray  # float32[b, tokens, d]: the last hidden state, before pooling


def span_tokens(encoding: Encoding, spans: Sequence[tuple[int, int]]) -> np.ndarray:
    """bool[len(spans), tokens]: the word pieces of `encoding` (not [CLS], [SEP] or padding)
    that overlap each character span of its text."""
    offsets = np.asarray(encoding.offsets, dtype=np.int64).reshape(-1, 2)
    real = np.asarray(encoding.special_tokens_mask) == 0
    bounds = np.asarray(spans, dtype=np.int64).reshape(-1, 2)
    return (
        real[None, :]
        & (offsets[None, :, 0] < bounds[:, 1:2])
        & (offsets[None, :, 1] > bounds[:, 0:1])
    )


def pool_spans(
    text: str, encoding: Encoding, tokens: np.ndarray, spans: Sequence[tuple[int, int]]
) -> tuple[np.ndarray, np.ndarray]:
    """Each character span of `text` as the unit-length mean of the token embeddings
    (`tokens`, float32[T, d], the pass over `text` that `encoding` describes) of its word
    pieces. Returns (float32[len(spans), d], bool[len(spans)]): a span is pooled only when the
    model read all of it; one its window cut off is False and its row zeros."""
    inside = span_tokens(encoding, spans)
    read = np.asarray(inside.any(axis=1), dtype=bool)
    if encoding.overflowing:  # cut: past the last word piece read only whitespace may remain
        real = np.asarray(encoding.special_tokens_mask) == 0
        read_to = int(np.asarray(encoding.offsets)[real, 1].max()) if real.any() else 0
        read &= np.array([not text[read_to:end].strip() for _, end in spans], dtype=bool)
    # A span's word pieces are consecutive: sum each run (a matrix product would call BLAS,
    # whose threads spin against the model's on a busy machine: 30 ms a passage, not 0.1).
    first = inside.argmax(axis=1)
    last = inside.shape[1] - inside[:, ::-1].argmax(axis=1)
    vectors = np.zeros((len(read), tokens.shape[-1]), dtype=np.float32)
    for i in np.flatnonzero(read).tolist():
        total = tokens[first[i] : last[i]].sum(axis=0)
        vectors[i] = total / max(float(np.sqrt(total @ total)), 1e-12)
    return vectors, read
