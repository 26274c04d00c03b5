"""BatchingEncoder: a lone question is encoded in the caller's thread, questions that arrive
while the model is busy are encoded together, and every caller gets its own vector (or error)."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from citeqa.index.encoder import Encoder
from citeqa.index.encoder.batching import BatchingEncoder


class RecordingModel:
    """A stand-in encoder: a vector made from each text's length, each call recorded with the
    thread that made it; `hold` makes the next call wait until it is set."""

    dimension = 4

    def __init__(self) -> None:
        self.calls: list[tuple[list[str], str]] = []
        self.hold: threading.Event | None = None
        self.started = threading.Event()
        self.fail = False

    def encode(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        self.calls.append((list(texts), threading.current_thread().name))
        self.started.set()
        if self.hold is not None:
            hold, self.hold = self.hold, None
            assert hold.wait(10)
        if self.fail:
            raise RuntimeError("model failed")
        return np.array([vector(t) for t in texts], dtype=np.float32).reshape(-1, self.dimension)


def vector(text: str) -> list[float]:
    return [len(text), 1.0, 2.0, 3.0]


def test_a_lone_question_is_encoded_in_the_callers_thread() -> None:
    model = RecordingModel()
    batching = BatchingEncoder(model)  # type: ignore[arg-type]
    assert batching.encode(["one"]).tolist() == [vector("one")]
    assert batching.encode(["a", "three"]).tolist() == [vector("a"), vector("three")]
    assert batching.encode([]).shape == (0, 4)
    me = threading.current_thread().name
    assert model.calls == [(["one"], me), (["a", "three"], me), ([], me)]


def test_questions_arriving_while_the_model_is_busy_are_one_batch() -> None:
    model = RecordingModel()
    batching = BatchingEncoder(model)  # type: ignore[arg-type]
    model.hold = release = threading.Event()
    questions = ["first", "q-two", "q-three!", "q-four!!!"]
    with ThreadPoolExecutor(4) as pool:
        first = pool.submit(batching.encode, [questions[0]])
        assert model.started.wait(10)  # the first question holds the model
        others = [pool.submit(batching.encode, [q]) for q in questions[1:]]
        deadline = time.monotonic() + 10
        while batching._queued < 3 and time.monotonic() < deadline:
            time.sleep(0.001)
        release.set()
        assert first.result(10).tolist() == [vector(questions[0])]
        for q, future in zip(questions[1:], others, strict=True):
            assert future.result(10).tolist() == [vector(q)]
    assert [sorted(texts) for texts, _ in model.calls] == [["first"], sorted(questions[1:])]
    assert model.calls[1][1] == "query-encoder"
    assert batching._queued == 0


def test_each_waiting_caller_gets_the_error_and_the_encoder_goes_on() -> None:
    model = RecordingModel()
    batching = BatchingEncoder(model)  # type: ignore[arg-type]
    model.fail = True
    with pytest.raises(RuntimeError, match="model failed"):
        batching.encode(["alone"])
    model.hold = release = threading.Event()
    model.started.clear()
    with ThreadPoolExecutor(3) as pool:
        first = pool.submit(batching.encode, ["first"])
        assert model.started.wait(10)
        waiting = [pool.submit(batching.encode, [q]) for q in ("b", "c")]
        deadline = time.monotonic() + 10
        while batching._queued < 2 and time.monotonic() < deadline:
            time.sleep(0.001)
        release.set()
        for future in (first, *waiting):
            with pytest.raises(RuntimeError, match="model failed"):
                future.result(10)
    model.fail = False
    assert batching.encode(["again"]).tolist() == [vector("again")]
    assert batching._queued == 0


def test_concurrent_questions_get_the_vectors_the_encoder_gives(encoder: Encoder) -> None:
    """With the real model: one at a time exactly `Encoder.encode`'s vectors; sixteen at once
    the same up to float noise from batching (padding changes the summation order)."""
    batching = BatchingEncoder(encoder)
    questions = [f"question number {i} about trade between the {i % 7} partners" for i in range(48)]
    alone = np.stack([encoder.encode([q])[0] for q in questions])
    assert np.array_equal(np.stack([batching.encode([q])[0] for q in questions]), alone)
    with ThreadPoolExecutor(16) as pool:
        together = np.stack(list(pool.map(lambda q: batching.encode([q])[0], questions)))
    np.testing.assert_allclose(together, alone, atol=1e-5)
    assert batching._queued == 0
