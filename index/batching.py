"""Concurrent questions encoded together: one forward pass for all waiting questions.

Encoding one short question costs nearly as much as encoding eight (the model's fixed cost
dominates), so under concurrent load a single worker thread takes whatever questions are waiting
and encodes them as one batch. A lone request is not delayed: nothing ever waits to fill a batch.
"""

from __future__ import annotations

import queue
import threading
from concurrent.futures import Future

import numpy as np

from .embedding import Encoder


class BatchingEncoder:
    """Thread-safe `encode` for questions, batching callers that arrive together."""

    def __init__(self, encoder: Encoder, max_batch: int = 64):
        self.encoder = encoder
        self.dimension = encoder.dimension
        self.max_batch = max_batch
        self._queue: queue.SimpleQueue[tuple[str, Future[np.ndarray]]] = queue.SimpleQueue()
        threading.Thread(target=self._work, name="query-encoder", daemon=True).start()

    def encode(self, texts: list[str]) -> np.ndarray:
        """float32[len(texts), d], the same vectors `Encoder.encode` gives."""
        futures: list[Future[np.ndarray]] = []
        for text in texts:
            future: Future[np.ndarray] = Future()
            self._queue.put((text, future))
            futures.append(future)
        if not futures:
            return self.encoder.encode([])
        return np.stack([f.result() for f in futures])

    def _work(self) -> None:
        while True:
            batch = [self._queue.get()]
            while len(batch) < self.max_batch:
                try:
                    batch.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            try:
                vectors = self.encoder.encode([text for text, _ in batch], batch_size=len(batch))
            except Exception as err:  # each waiting request gets the error, the worker lives on
                for _, future in batch:
                    future.set_exception(err)
                continue
            for (_, future), vector in zip(batch, vectors, strict=True):
                future.set_result(vector)
