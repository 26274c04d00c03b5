"""Concurrent questions encoded together: one forward pass for all waiting questions.

Encoding one short question costs nearly as much as encoding eight (the model's fixed cost
dominates), so under concurrent load a single worker thread takes whatever questions are waiting
and encodes them as one batch. A lone request is not delayed: nothing ever waits to fill a batch,
and when the model is idle and no question is queued the caller encodes in its own thread, which
saves the two thread hand-offs (about 0.1-0.3 ms on 2 busy cores) a trip through the worker costs.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future

import numpy as np

from .base import Encoder


class BatchingEncoder:
    """Thread-safe `encode` for questions, batching callers that arrive together."""

    def __init__(self, encoder: Encoder, max_batch: int = 64):
        self.encoder = encoder
        self.dimension = encoder.dimension
        self.max_batch = max_batch
        # Told the size of every forward pass (a service's metrics); must not raise.
        self.on_batch: Callable[[int], None] | None = None
        self._queue: queue.SimpleQueue[tuple[str, Future[np.ndarray]]] = queue.SimpleQueue()
        # Held by whoever runs the model: a caller alone, or the worker with a batch.
        self._model = threading.Lock()
        # Questions queued and not yet in a batch (under `_count`): while any wait, a newcomer
        # queues behind them instead of taking the model first.
        self._queued = 0
        self._count = threading.Lock()
        threading.Thread(target=self._work, name="query-encoder", daemon=True).start()

    def encode(self, texts: list[str]) -> np.ndarray:
        """float32[len(texts), d], the same vectors `Encoder.encode` gives."""
        if not texts:
            return self.encoder.encode([])
        if not self._queued and self._model.acquire(blocking=False):
            try:  # nobody waiting and the model idle: no batch to join, no hand-off
                self._observe(len(texts))
                return self.encoder.encode(texts, batch_size=len(texts))
            finally:
                self._model.release()
        with self._count:
            self._queued += len(texts)
        futures: list[Future[np.ndarray]] = []
        for text in texts:
            future: Future[np.ndarray] = Future()
            self._queue.put((text, future))
            futures.append(future)
        return np.stack([f.result() for f in futures])

    def _observe(self, size: int) -> None:
        if self.on_batch is not None:
            self.on_batch(size)

    def _work(self) -> None:
        while True:
            first = self._queue.get()
            # The batch is taken once the model is free, so it holds everyone who queued
            # while the model was busy.
            with self._model:
                batch = [first]
                while len(batch) < self.max_batch:
                    try:
                        batch.append(self._queue.get_nowait())
                    except queue.Empty:
                        break
                with self._count:
                    self._queued -= len(batch)
                self._observe(len(batch))
                try:
                    texts = [text for text, _ in batch]
                    vectors = self.encoder.encode(texts, batch_size=len(batch))
                except Exception as err:  # each waiting request gets the error, the worker lives on
                    for _, future in batch:
                        future.set_exception(err)
                    continue
            for (_, future), vector in zip(batch, vectors, strict=True):
                future.set_result(vector)
